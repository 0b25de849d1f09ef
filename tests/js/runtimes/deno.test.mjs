// Deno (npm `deno`) runs the packed tarball's smoke program against the sandbox: the build it
// resolves (`node`, through Deno's "deno", "node", "import" conditions) and the web build,
// with only --allow-read (the .wasm) and --allow-net (the API) — as the README's Runtimes
// table says.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pack, project, sh, cleanup, tempDir } from '../packaging/tarball.mjs';
import { SMOKE_FILES, startSandboxes, checkSmoke, checkSandboxSmoke, runtimeBinary } from './smoke.mjs';

let dir;
let sandboxes;
let deno;
before(async () => {
  deno = runtimeBinary('deno');
  const { tarball } = await pack();
  [dir, sandboxes] = await Promise.all([project('deno', tarball, { files: SMOKE_FILES }), startSandboxes()]);
}, { timeout: 120_000 });
after(() => {
  sandboxes?.stop();
  cleanup();
});

async function runDeno(file) {
  const { stdout } = await sh(deno, ['run', '--allow-read', '--allow-net', '--no-prompt', file, sandboxes.sb.url], {
    cwd: dir,
    timeoutMs: 120_000,
    env: { DENO_DIR: path.join(tempDir('deno-dir')), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
  });
  return JSON.parse(stdout.trim().split('\n').at(-1));
}

test('Deno: the default import loads the node build; the smoke program passes', { timeout: 150_000 }, async () => {
  const result = await runDeno('smoke-default.mjs');
  assert.match(result.resolved, /\/node_modules\/cube-integration\/node\/index\.mjs$/);
  delete result.resolved;
  await checkSmoke(assert, result, sandboxes.sb.url, sandboxes.other);
});

test('Deno: the web build (cube-integration/web) passes the same smoke program', { timeout: 150_000 }, async () => {
  const result = await runDeno('smoke-web.mjs');
  assert.match(result.resolved, /\/node_modules\/cube-integration\/web\/index\.js$/);
  delete result.resolved;
  await checkSmoke(assert, result, sandboxes.sb.url, sandboxes.other);
});

test('Deno: cube-integration/sandbox in-process (its node entry) serves the client: read, sync, fault, option error', { timeout: 150_000 }, async () => {
  const result = await runDeno('smoke-sandbox.mjs');
  assert.match(result.resolved, /\/node_modules\/cube-integration\/sandbox\/node\.js$/);
  delete result.resolved;
  checkSandboxSmoke(assert, result);
});
