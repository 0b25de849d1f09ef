// The example project (examples/nightly-sync-project) as a user has it: copied to a directory
// outside the repository (so nothing resolves to the repository's own node_modules), the packed
// tarball installed offline, and its own `npm test` run there. Its test syncs against
// createSandbox() with the global fetch and every TCP connect replaced by failures, so it
// passes only if nothing leaves the process; npm runs with `offline` too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, lstatSync, existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { pack, tempDir, sh, cleanup, readJson, ROOT } from './tarball.mjs';

const EXAMPLE = path.join(ROOT, 'examples/nightly-sync-project');
let tarball;
before(async () => {
  ({ tarball } = await pack());
}, { timeout: 60_000 });
after(cleanup);

test('the example project installs the tarball and its npm test passes with no network', { timeout: 180_000 }, async () => {
  const dir = tempDir('example');
  assert.ok(!realpathSync(dir).startsWith(`${realpathSync(ROOT)}${path.sep}`), `${dir} is outside the repository`);
  cpSync(EXAMPLE, dir, { recursive: true, filter: (src) => !/[\\/](node_modules|package-lock\.json)$/.test(src) });
  const env = {
    npm_config_cache: path.join(dir, '.npm-cache'),
    npm_config_offline: 'true',
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    // Set by this test's own runner: a nested `node --test` seeing it would report to it in
    // the runner's private protocol instead of printing TAP.
    NODE_TEST_CONTEXT: undefined,
  };
  await sh('npm', ['install', '--no-package-lock', tarball], { cwd: dir, env, timeoutMs: 120_000 });

  // The installed package is the tarball's copy, not a link into the repository.
  const installed = path.join(dir, 'node_modules/cube-integration');
  assert.ok(lstatSync(installed).isDirectory() && !lstatSync(installed).isSymbolicLink());
  assert.ok(existsSync(path.join(installed, 'sandbox/cube_sandbox_bg.wasm')));
  assert.match(readJson(path.join(dir, 'package.json')).dependencies['cube-integration'], /^file:.*\.tgz$/);

  const { stdout } = await sh('npm', ['test', '--', '--test-reporter=tap'], { cwd: dir, env, timeoutMs: 120_000 });
  assert.match(stdout, /^# fail 0$/m, stdout);
  const passed = Number(/^# pass (\d+)$/m.exec(stdout)?.[1]);
  assert.equal(passed, 4, stdout);
  assert.match(stdout, /^ok \d+ - nothing left the process$/m, stdout);
});
