// The sandbox README's Python example (stdlib only: urllib.request + base64, following `next`
// until null) runs against `npx cube-integration sandbox` and counts every record and page.
// The example's text lives in walk_next.py between two markers (docs.test.mjs checks that the
// README's ```python block is that text). python3 missing: skipped locally, a failure with CI=true.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT, startSandbox } from '../support/sandbox.mjs';
import { onCi, skipUnless } from '../support/available.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const WALK = path.join(HERE, 'walk_next.py');
const PYTHON = process.env.CUBE_PYTHON ?? 'python3';

function pythonMissing() {
  const probe = spawnSync(PYTHON, ['--version'], { encoding: 'utf8' });
  if (probe.status === 0) return false;
  const reason = `no ${PYTHON} on this machine (${probe.error?.code ?? probe.stderr.trim()})`;
  if (onCi()) throw new Error(`CI=true: cannot run, and will not skip: ${reason}`);
  return reason;
}
const skip = skipUnless({ web: true, sandbox: false }) || pythonMissing();

let sb;
let url;
before(async () => {
  if (skip) return;
  sb = await startSandbox(['--customers', '1234', '--page-size', '100'], { edge: 'node' });
  url = sb.url;
}, { timeout: 40_000 });
after(() => sb?.stop());

const python = (args, env = {}) => new Promise((resolve, reject) => {
  execFile(PYTHON, [WALK, ...args], { cwd: ROOT, timeout: 60_000, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
    if (error) reject(new Error(`${PYTHON} walk_next.py failed: ${error.message}\n${stdout}\n${stderr}`));
    else resolve(stdout.trim());
  });
});

test('python3 walk_next.py follows `next` to null: 1234 records in 13 pages', { timeout: 60_000, skip }, async () => {
  assert.equal(await python([url, 'demo@example.com', 'demo', '/api/v1/data_owners/1/B2C/customers/']), 'records=1234 pages=13');
  // Another list, of another data owner.
  assert.equal(await python([url, 'demo@example.com', 'demo', '/api/v1/data_owners/2/B2B/customers/']), 'records=1234 pages=13');
});

test('walk_next.py: a wrong password fails (HTTP 401), it does not count nothing', { timeout: 60_000, skip }, async () => {
  await assert.rejects(python([url, 'demo@example.com', 'wrong', '/api/v1/data_owners/1/B2C/customers/']), /HTTP Error 401/);
});
