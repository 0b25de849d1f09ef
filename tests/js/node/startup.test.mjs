// The web build (`cube-integration/web`) in Node: its start-up reads `cube_integration_bg.wasm`
// (and, for a round-trip helper, `cube_records_bg.wasm`) from disk with `node:fs/promises`,
// since Node's fetch cannot read a `file:` URL; every call works as in a browser. A failed
// start-up is a CubeError naming the file, and it is not kept — the next call starts again;
// a Content-Security-Policy that blocks WebAssembly has its own code, `wasm_blocked`. The test
// makes start-ups fail through `WebAssembly.instantiate`, which it wraps: it refuses the next
// instantiation of a file (told apart by its size) with the error a runtime would throw.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import path from 'node:path';
import { startSandbox, PKG, TOKEN } from '../support/sandbox.mjs';

const FILES = ['cube_integration_bg.wasm', 'cube_records_bg.wasm'];
const bySize = new Map(FILES.map((name) => [statSync(path.join(PKG, 'web', name)).size, name]));
const realInstantiate = WebAssembly.instantiate;
const realFetch = globalThis.fetch;
const started = []; // the files instantiated, in order
const refuse = new Map(); // file name → the error its next instantiation throws
const fetched = []; // every URL the global fetch was asked for

let sb;
let api;
before(async () => {
  sb = await startSandbox(['--customers', '50', '--page-size', '20']);
  WebAssembly.instantiate = function instantiate(source, imports) {
    const name = ArrayBuffer.isView(source) || source instanceof ArrayBuffer ? bySize.get(source.byteLength) : undefined;
    if (name !== undefined) {
      started.push(name);
      const error = refuse.get(name);
      if (error) {
        refuse.delete(name);
        return Promise.reject(error);
      }
    }
    return realInstantiate.call(WebAssembly, source, imports);
  };
  globalThis.fetch = (input, init) => {
    fetched.push(String(input instanceof Request ? input.url : input));
    return realFetch(input, init);
  };
  api = await import('../../../pkg/web/index.js');
});
after(() => {
  WebAssembly.instantiate = realInstantiate;
  globalThis.fetch = realFetch;
  sb?.stop();
});

// What Chromium (156) throws when a page's CSP has no 'wasm-unsafe-eval'.
const CSP_REFUSAL = "WebAssembly.instantiateStreaming(): Compiling or instantiating WebAssembly module violates the following Content Security policy directive because 'unsafe-eval' is not an allowed source of script in the following Content Security Policy directive: \"script-src 'self'\"";

test('a start-up blocked by a Content-Security-Policy is wasm_blocked, not network, and says what to add', { timeout: 30_000 }, async () => {
  const { CubeClient, CubeError, ERROR_CODES } = api;
  const client = new CubeClient({ baseUrl: sb.url, auth: TOKEN });
  refuse.set('cube_integration_bg.wasm', new WebAssembly.CompileError(CSP_REFUSAL));
  const error = await client.whoAmI().catch((e) => e);
  assert.ok(error instanceof CubeError, `a CubeError, got ${error?.stack ?? error}`);
  assert.equal(error.code, 'wasm_blocked');
  assert.ok(ERROR_CODES.includes('wasm_blocked'));
  assert.match(error.message, /^cube-integration could not start: a Content-Security-Policy does not allow WebAssembly here, so cube_integration_bg\.wasm cannot be compiled\. Add 'wasm-unsafe-eval' to the policy's script-src: /);
  assert.match(error.message, /Content-Security-Policy: script-src 'self' 'wasm-unsafe-eval'/);
  assert.match(error.message, /The browser said: WebAssembly\.instantiateStreaming\(\): Compiling or instantiating WebAssembly module violates/);
  assert.ok(error.cause instanceof WebAssembly.CompileError, 'the runtime\'s error is its cause');
  // Firefox's and WebKit's words for it.
  for (const blocked of [
    new WebAssembly.CompileError('call to WebAssembly.instantiate() blocked by CSP'),
    Object.assign(new Error("Refused to create a WebAssembly object because 'unsafe-eval' or 'wasm-unsafe-eval' is not an allowed source of script in the following Content Security Policy directive: \"script-src 'self'\""), { name: 'EvalError' }),
  ]) {
    refuse.set('cube_integration_bg.wasm', blocked);
    const e = await api.ready().catch((x) => x);
    assert.equal(e?.code, 'wasm_blocked', blocked.message);
  }
  // A compile error that is no CSP's is a failed start-up like any other.
  refuse.set('cube_integration_bg.wasm', new WebAssembly.CompileError('WebAssembly.instantiate(): expected magic word 00 61 73 6d'));
  assert.equal((await api.ready().catch((x) => x))?.code, 'network');
});

test('a failed start-up is a CubeError, and the next call starts again', { timeout: 30_000 }, async () => {
  const { CubeClient, CubeError, ready } = api;
  const client = new CubeClient({ baseUrl: sb.url, auth: TOKEN });
  started.length = 0;
  refuse.set('cube_integration_bg.wasm', new TypeError('cube_integration_bg.wasm is not reachable (test)'));
  const error = await client.whoAmI().catch((e) => e);
  assert.ok(error instanceof CubeError, `a CubeError, got ${error?.stack ?? error}`);
  assert.equal(error.code, 'network');
  assert.match(error.message, /^cube-integration could not start: loading its WebAssembly \(cube_integration_bg\.wasm\) failed: cube_integration_bg\.wasm is not reachable \(test\)\..*The next call tries again\.$/);
  assert.ok(error.cause instanceof TypeError, 'the original error is its cause');
  // Not kept: the same client, and ready(), start again and work.
  const me = await client.whoAmI();
  assert.equal(me.username, 'demo@example.com');
  await ready();
  assert.deepEqual(started, ['cube_integration_bg.wasm', 'cube_integration_bg.wasm'], 'started again after the failure, once after the success');
});

test('a failed start-up of the records module is a CubeError, and the next helper call starts again', { timeout: 30_000 }, async () => {
  const { CubeError, toCsv } = api;
  started.length = 0;
  refuse.set('cube_records_bg.wasm', new TypeError('cube_records_bg.wasm is not reachable (test)'));
  await assert.rejects(toCsv([{ a: 1 }]), (e) => e instanceof CubeError && e.code === 'network' && /\(cube_records_bg\.wasm\) failed/.test(e.message));
  const csv = new TextDecoder().decode(await toCsv([{ a: 1 }]));
  assert.equal(csv, 'a\r\n1\r\n');
  await toCsv([{ a: 2 }]);
  assert.deepEqual(started, ['cube_records_bg.wasm', 'cube_records_bg.wasm']);
});

test('cube-integration/web works in Node: lists, the streaming sync and the helpers, with no fetch of a file: URL', { timeout: 60_000 }, async () => {
  const { CubeClient, toCsv, diff } = api;
  const cube = new CubeClient({ baseUrl: sb.url, auth: TOKEN });
  const crm = { dataOwnerId: 1, crmType: 'B2C' };
  const customers = await cube.customers(crm).toArray();
  assert.equal(customers.length, 50);
  const first = await cube.customers(crm).sync(null);
  assert.equal(first.records, 50);
  assert.equal(first.changes.added.length + first.changes.anonymized.length, 50);
  const again = await cube.crm(1, 'b2c').customers().sync(first.snapshot);
  assert.deepEqual([again.changes.counts.added, again.changes.counts.changed, again.changes.counts.removed], [0, 0, 0]);
  assert.equal(again.changes.counts.unchanged, first.changes.added.length);
  assert.match(new TextDecoder().decode(await toCsv(customers.slice(0, 1))), /^crm__customer_id,/);
  assert.equal((await diff(customers, customers)).unchanged, first.changes.added.length);
  assert.deepEqual(fetched.filter((url) => !url.startsWith(sb.url)), [], 'every fetch went to the sandbox: no wasm was fetched');
});
