// Start-up of the builds that load their wasm on first use (web, workerd): a failure is a
// CubeError naming the file, and it is not kept — the next call starts again. Run on the web
// build in Node, whose start-up fetches `cube_integration_bg.wasm` (and, for a round-trip
// helper, `cube_records_bg.wasm`) from a file: URL through the global fetch, which the test
// controls: it refuses the first fetch of each file, then serves it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { startSandbox, TOKEN } from '../support/sandbox.mjs';

const realFetch = globalThis.fetch;
const wasmFetches = [];
let refuse = new Set(); // file names whose next fetch fails

function fetchWasmFromDisk(input, init) {
  const url = String(input instanceof Request ? input.url : input);
  if (!url.startsWith('file:')) return realFetch(input, init);
  const name = url.slice(url.lastIndexOf('/') + 1);
  wasmFetches.push(name);
  if (refuse.delete(name)) return Promise.reject(new TypeError(`fetch failed: ${name} is not reachable (test)`));
  return readFile(fileURLToPath(url)).then((bytes) => new Response(bytes, { headers: { 'Content-Type': 'application/wasm' } }));
}

let sb;
let api;
before(async () => {
  sb = await startSandbox(['--customers', '50']);
  globalThis.fetch = fetchWasmFromDisk;
  api = await import('../../../pkg/web/index.js');
});
after(() => {
  globalThis.fetch = realFetch;
  sb?.stop();
});

test('a failed start-up is a CubeError, and the next call starts again', { timeout: 30_000 }, async () => {
  const { CubeClient, CubeError, ready } = api;
  const client = new CubeClient({ baseUrl: sb.url, auth: TOKEN });
  refuse = new Set(['cube_integration_bg.wasm']);
  let error;
  try {
    await client.whoAmI();
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof CubeError, `a CubeError, got ${error?.stack ?? error}`);
  assert.equal(error.code, 'network');
  assert.match(error.message, /^cube-integration could not start: loading its WebAssembly \(cube_integration_bg\.wasm\) failed: fetch failed: cube_integration_bg\.wasm is not reachable \(test\)\..*The next call tries again\.$/);
  assert.ok(error.cause instanceof TypeError, 'the original error is its cause');
  // Not kept: the same client, and ready(), start again and work.
  const me = await client.whoAmI();
  assert.equal(me.username, 'demo@example.com');
  await ready();
  assert.deepEqual(wasmFetches, ['cube_integration_bg.wasm', 'cube_integration_bg.wasm'], 'fetched again after the failure, once after the success');
});

test('a failed start-up of the records module is a CubeError, and the next helper call starts again', { timeout: 30_000 }, async () => {
  const { CubeError, toCsv } = api;
  wasmFetches.length = 0;
  refuse = new Set(['cube_records_bg.wasm']);
  await assert.rejects(toCsv([{ a: 1 }]), (e) => e instanceof CubeError && e.code === 'network' && /\(cube_records_bg\.wasm\) failed/.test(e.message));
  const csv = new TextDecoder().decode(await toCsv([{ a: 1 }]));
  assert.equal(csv, 'a\r\n1\r\n');
  await toCsv([{ a: 2 }]);
  assert.deepEqual(wasmFetches, ['cube_records_bg.wasm', 'cube_records_bg.wasm']);
});
