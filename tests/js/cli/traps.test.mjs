// `cube sync` when the records module runs out of memory, through the packed tarball's `cube`:
// exit 32, one line naming out_of_memory and what to try, the state file unchanged; the next
// run works. The failure is forced by a preload this test writes (NODE_OPTIONS=--import),
// which caps the records module's memory through its test hook when an environment variable
// only the preload reads is set: `cube` itself has no flag for it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startSandbox, DEMO } from '../support/sandbox.mjs';
import { installCli, runCli, tempDir, cleanup } from './run.mjs';

const crm = ['--data-owner', '1', '--crm', 'B2C'];
let sb;
let bin;
let root;
let preload;

before(async () => {
  let installed;
  [sb, { bin, dir: installed }] = await Promise.all([
    startSandbox(['--customers', '6000', '--page-size', '500']),
    installCli(),
  ]);
  root = tempDir('cli-traps');
  const entry = pathToFileURL(path.join(installed, 'node_modules/cube-integration/node/index.mjs')).href;
  preload = path.join(root, 'cap-memory.mjs');
  writeFileSync(preload, `// Test preload: caps the records module's memory (its test hook) before \`cube\` runs.
const headroom = Number(process.env.CUBE_TEST_RECORDS_HEADROOM);
if (headroom > 0) {
  const { CubeClient } = await import(${JSON.stringify(entry)});
  const rt = new CubeClient({ baseUrl: 'http://127.0.0.1:9', auth: { token: 'preload' } })._runtime();
  const used = await rt._testSetAllocationLimit(0);
  await rt._testSetAllocationLimit(used + headroom);
}
`);
}, { timeout: 120_000 });
after(() => {
  sb?.stop();
  cleanup();
});

test('cube sync out of memory: exit 32, one line with what to try, the state unchanged; the next run works', { timeout: 120_000 }, async () => {
  const env = { CUBE_BASE_URL: sb.url, CUBE_TOKEN: DEMO.token };
  const state = path.join(root, 'customers.state');
  const out = path.join(root, 'changes.json');
  const args = ['sync', '--list', 'customers', ...crm, '--state', state, '-o', out, '-q'];
  const first = await runCli(bin, args, { env });
  assert.equal(first.code, 10, first.stderr);
  const saved = readFileSync(state);
  await sb.edits({ count: 20, seed: 9, dataOwnerId: 1, crmType: 'B2C' });

  const capped = { ...env, NODE_OPTIONS: `--import=${pathToFileURL(preload).href}`, CUBE_TEST_RECORDS_HEADROOM: String(2 * 1024 * 1024) };
  const r = await runCli(bin, args, { env: capped });
  assert.equal(r.code, 32, r.stderr);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /^cube: out_of_memory: the records module ran out of memory \(wasm32 holds at most 4 GB\) after \d+ pages?\. What to do: .*--store fingerprints.*\. Nothing was written to .* and the state file .* is unchanged/);
  assert.deepEqual(readFileSync(state), saved, 'the state file is unchanged');

  const again = await runCli(bin, args, { env });
  assert.equal(again.code, 10, again.stderr);
  assert.ok(JSON.parse(readFileSync(out, 'utf8')).changed.length > 0);
});
