// `cube-integration/sandbox` in headless Chromium: a page (served by the native sandbox, the
// package under /pkg/) imports pkg/sandbox/index.js, creates a sandbox in the page and reads
// every customer with the web build's CubeClient through the sandbox's fetch — no request to
// the serving server's API. The same in a module Web Worker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSandbox, PKG } from '../support/sandbox.mjs';
import { launch } from '../support/browser.mjs';
import { skipUnless } from '../support/available.mjs';
import { createSandbox } from '../../../pkg/sandbox/node.js';
import { CubeClient } from '../../../pkg/node/index.mjs';

const skip = skipUnless({ web: true, chromium: true });

// What the page and the worker run (source text): a sandbox of 1234 customers a CRM at 100 a
// page, every B2C customer of data owner 1, the request log's size, and a refused option.
const READ_SOURCE = `
async function readAll() {
  const { createSandbox } = await import('/pkg/sandbox/index.js');
  const { CubeClient, CubeError } = await import('/pkg/web/index.js');
  const sandbox = await createSandbox({ customers: 1234, pageSize: 100, today: '2026-06-01' });
  const cube = new CubeClient({ baseUrl: sandbox.baseUrl, auth: { username: 'demo@example.com', password: 'demo' }, fetch: sandbox.fetch });
  const me = await cube.whoAmI();
  const ids = [];
  let pages = 0;
  for await (const page of cube.customers({ dataOwnerId: 1, crmType: 'B2C' }).pages()) {
    pages += 1;
    for (const r of page.records) ids.push(r.crm__customer_id);
  }
  const logged = sandbox.requests().length;
  sandbox.close();
  let refused = null;
  try {
    await createSandbox({ pageSise: 5 });
  } catch (e) {
    refused = { isCubeError: e instanceof CubeError, code: e.code, param: e.param };
  }
  return { username: me.username, ids, pages, logged, refused };
}`;

let sb;
let browser;
let dir;
let expectedIds;
before(async () => {
  if (skip) return;
  dir = mkdtempSync(path.join(tmpdir(), 'cube-sandbox-browser-'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>sandbox in a page</title>');
  writeFileSync(path.join(dir, 'worker.js'), `${READ_SOURCE}\nreadAll().then((r) => postMessage(r), (e) => postMessage({ failed: String(e?.stack ?? e) }));\n`);
  [sb, browser] = await Promise.all([startSandbox(['--pkg-dir', PKG, '--static-dir', dir]), launch()]);
  // What Node's in-process sandbox reads with the same options: the ids to expect.
  const local = await createSandbox({ customers: 1234, pageSize: 100, today: '2026-06-01' });
  const client = new CubeClient({ baseUrl: local.baseUrl, auth: { username: 'demo@example.com', password: 'demo' }, fetch: local.fetch });
  expectedIds = (await client.customers({ dataOwnerId: 1, crmType: 'B2C' }).toArray()).map((r) => r.crm__customer_id);
  local.close();
}, { timeout: 60_000 });
after(async () => {
  await browser?.close();
  sb?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function check(result) {
  assert.equal(result.failed, undefined, result.failed);
  assert.equal(result.username, 'demo@example.com');
  assert.equal(result.pages, 13);
  assert.equal(result.ids.length, 1234);
  assert.deepEqual(result.ids, expectedIds, 'the same customers as Node\'s in-process sandbox, in order');
  assert.equal(result.logged, 14, 'whoAmI and 13 pages, in the in-page log');
  assert.deepEqual(result.refused, { isCubeError: true, code: 'invalid_argument', param: 'pageSise' });
}

test('in a page: createSandbox() and CubeClient read every customer through the in-page fetch', { timeout: 90_000, skip }, async () => {
  const page = await browser.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${sb.url}/`);
  await sb.clearRequests();
  const result = await page.evaluate(`(${READ_SOURCE.trim().replace(/^async function readAll\(\)/, 'async () =>')})()`);
  const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((r) => new URL(r.name).pathname));
  await page.close();
  assert.deepEqual(pageErrors, []);
  check(result);
  assert.ok(loaded.includes('/pkg/sandbox/cube_sandbox_bg.wasm'), `the page loaded the sandbox's wasm: ${loaded.join(' ')}`);
  // The API calls never left the page: the serving sandbox's log (API routes) is empty.
  assert.deepEqual(await sb.requests(), []);
});

test('in a module Web Worker: the same read', { timeout: 90_000, skip }, async () => {
  const page = await browser.newPage();
  await page.goto(`${sb.url}/`);
  const result = await page.evaluate(() => new Promise((resolve) => {
    const worker = new Worker('/worker.js', { type: 'module' });
    worker.onmessage = (e) => resolve(e.data);
    worker.onerror = (e) => resolve({ failed: e.message ?? 'worker error' });
  }));
  await page.close();
  check(result);
});
