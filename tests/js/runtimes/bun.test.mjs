// Bun (npm `bun`) runs the packed tarball's smoke program against the sandbox: the build it
// resolves (`node`, through Bun's "bun", "node", "import" conditions) and the web build.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pack, project, sh, cleanup, tempDir } from '../packaging/tarball.mjs';
import { SMOKE_FILES, startSandboxes, checkSmoke, checkSandboxSmoke, runtimeBinary } from './smoke.mjs';

let dir;
let sandboxes;
let bun;
before(async () => {
  bun = runtimeBinary('bun');
  const { tarball } = await pack();
  [dir, sandboxes] = await Promise.all([project('bun', tarball, { files: SMOKE_FILES }), startSandboxes()]);
}, { timeout: 120_000 });
after(() => {
  sandboxes?.stop();
  cleanup();
});

async function runBun(file) {
  const { stdout } = await sh(bun, ['run', file, sandboxes.sb.url], {
    cwd: dir,
    timeoutMs: 120_000,
    env: { BUN_INSTALL_CACHE_DIR: path.join(tempDir('bun-cache')), DO_NOT_TRACK: '1', NO_COLOR: '1' },
  });
  return JSON.parse(stdout.trim().split('\n').at(-1));
}

test('Bun: the default import loads the node build; the smoke program passes', { timeout: 150_000 }, async () => {
  const result = await runBun('smoke-default.mjs');
  assert.match(result.resolved, /\/node_modules\/cube-integration\/node\/index\.mjs$/);
  delete result.resolved;
  await checkSmoke(assert, result, sandboxes.sb.url, sandboxes.other);
});

test('Bun: the web build (cube-integration/web) passes the same smoke program', { timeout: 150_000 }, async () => {
  const result = await runBun('smoke-web.mjs');
  assert.match(result.resolved, /\/node_modules\/cube-integration\/web\/index\.js$/);
  delete result.resolved;
  await checkSmoke(assert, result, sandboxes.sb.url, sandboxes.other);
});

test('Bun: cube-integration/sandbox in-process (its node entry) serves the client: read, sync, fault, option error', { timeout: 150_000 }, async () => {
  const result = await runBun('smoke-sandbox.mjs');
  assert.match(result.resolved, /\/node_modules\/cube-integration\/sandbox\/node\.js$/);
  delete result.resolved;
  checkSandboxSmoke(assert, result);
});
