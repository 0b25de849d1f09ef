// The web build checks options before any request, also before `ready()`: until its wasm is
// loaded the constructor cannot check them, so the first call does, and rejects before it
// sends anything; once loaded, the constructor throws at once (README, "new CubeClient").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSandbox, PKG } from '../support/sandbox.mjs';
import { launch } from '../support/browser.mjs';
import { skipUnless } from '../support/available.mjs';

const skip = skipUnless({ web: true, chromium: true });

let sb;
let browser;
let dir;
before(async () => {
  if (skip) return;
  dir = mkdtempSync(path.join(tmpdir(), 'cube-web-options-'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>web options</title>');
  [sb, browser] = await Promise.all([startSandbox(['--pkg-dir', PKG, '--static-dir', dir]), launch()]);
}, { timeout: 60_000 });
after(async () => {
  await browser?.close();
  sb?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('bad options are refused before any request, before and after ready()', { timeout: 60_000, skip }, async () => {
  const page = await browser.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(sb.url + '/');
  const seen = await page.evaluate(async () => {
    const m = await import('/pkg/web/index.js');
    const describe = (e) => ({ cubeError: e instanceof m.CubeError, code: e?.code, param: e?.param });
    const options = { baseUrl: location.origin, auth: { token: 'demo-token' }, concurrency: 0 };
    const out = {};
    // Before ready(): the wasm is not loaded (nothing has asked for it yet).
    out.wasmBefore = performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.wasm')).length;
    let client;
    try {
      client = new m.CubeClient(options);
    } catch (e) {
      out.constructorBefore = describe(e);
    }
    if (client) {
      try {
        await client.whoAmI();
        out.callBefore = 'resolved';
      } catch (e) {
        out.callBefore = describe(e);
      }
      try {
        await client.customers({ dataOwnerId: 1, crmType: 'B2C' }).toArray();
        out.listBefore = 'resolved';
      } catch (e) {
        out.listBefore = describe(e);
      }
    }
    await m.ready();
    try {
      new m.CubeClient(options);
      out.constructorAfter = 'constructed';
    } catch (e) {
      out.constructorAfter = describe(e);
    }
    return out;
  });
  await page.close();
  assert.deepEqual(pageErrors, []);
  assert.equal(seen.wasmBefore, 0, 'the wasm was not loaded before the first call');
  const refused = { cubeError: true, code: 'invalid_argument', param: 'concurrency' };
  if (seen.constructorBefore) {
    // Checking in the constructor before ready() would be stricter still.
    assert.deepEqual(seen.constructorBefore, refused);
  } else {
    assert.deepEqual(seen.callBefore, refused, 'the first call checks the options');
    assert.deepEqual(seen.listBefore, refused, 'so does a list read');
  }
  assert.deepEqual(seen.constructorAfter, refused, 'after ready(), the constructor checks');
  assert.deepEqual(await sb.requests(), [], 'no request reached the server');
});
