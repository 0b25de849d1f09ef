// A page whose Content-Security-Policy lacks 'wasm-unsafe-eval' cannot compile the package's
// WebAssembly: the first call fails with `wasm_blocked` (not `network`, which a UI would show
// as "offline"), and its message says what to add to the policy. The same page with
// 'wasm-unsafe-eval' works. Served by a small HTTP server of this test (the page with its CSP
// header, the package under /pkg/), in headless Chromium, against the sandbox.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { startSandbox, PKG } from '../support/sandbox.mjs';
import { launch } from '../support/browser.mjs';
import { skipUnless } from '../support/available.mjs';

const skip = skipUnless({ web: true, chromium: true });

const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html; charset=utf-8' };
// `/strict/` is served with a CSP that allows scripts of its own origin but no WebAssembly;
// `/allowed/` adds 'wasm-unsafe-eval'.
const POLICIES = {
  strict: "default-src 'self'; script-src 'self'; connect-src *",
  allowed: "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src *",
};

let sb;
let browser;
let server;
let origin;
before(async () => {
  if (skip) return;
  server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const [, first, ...rest] = url.pathname.split('/');
    try {
      if (first === 'pkg') {
        const file = path.join(PKG, ...rest);
        if (!file.startsWith(PKG + path.sep)) throw new Error('outside pkg/');
        const body = await readFile(file);
        res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' });
        res.end(body);
      } else if (POLICIES[first] !== undefined) {
        res.writeHead(200, { 'Content-Type': TYPES['.html'], 'Content-Security-Policy': POLICIES[first] });
        res.end('<!doctype html><meta charset="utf-8"><title>csp</title>');
      } else {
        res.writeHead(404).end();
      }
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  [sb, browser] = await Promise.all([startSandbox(['--customers', '30']), launch()]);
}, { timeout: 60_000 });
after(async () => {
  await browser?.close();
  sb?.stop();
  server?.close();
});

/** Load `/policy/`, import the web build, call whoAmI on the sandbox; what happened. */
async function firstCall(policy) {
  const page = await browser.newPage();
  await page.goto(`${origin}/${policy}/`);
  const outcome = await page.evaluate(async (baseUrl) => {
    const m = await import('/pkg/web/index.js');
    const cube = new m.CubeClient({ baseUrl, auth: { token: 'demo-token' } });
    try {
      return { ok: (await cube.whoAmI()).username };
    } catch (e) {
      return {
        cubeError: e instanceof m.CubeError,
        code: e.code,
        message: e.message,
        cause: e.cause ? { name: e.cause.name, message: e.cause.message } : null,
        again: await cube.campaigns().then(() => 'resolved', (x) => x.code),
      };
    }
  }, sb.url);
  await page.close();
  return outcome;
}

test("a page whose CSP lacks 'wasm-unsafe-eval': wasm_blocked, a message naming the fix, nothing sent", { timeout: 60_000, skip }, async () => {
  await sb.clearRequests();
  const outcome = await firstCall('strict');
  assert.equal(outcome.cubeError, true, JSON.stringify(outcome));
  assert.equal(outcome.code, 'wasm_blocked', outcome.message);
  assert.match(outcome.message, /^cube-integration could not start: a Content-Security-Policy does not allow WebAssembly here, so cube_integration_bg\.wasm cannot be compiled\. Add 'wasm-unsafe-eval' to the policy's script-src: /);
  assert.match(outcome.message, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.equal(outcome.cause.name, 'CompileError');
  assert.match(outcome.cause.message, /Content Security Policy/);
  assert.equal(outcome.again, 'wasm_blocked', 'the next call tries again, and is told the same');
  assert.deepEqual(await sb.requests(), [], 'no request reached the server');
});

test("the same page with 'wasm-unsafe-eval' starts and calls the sandbox", { timeout: 60_000, skip }, async () => {
  const outcome = await firstCall('allowed');
  assert.deepEqual(outcome, { ok: 'demo@example.com' });
});
