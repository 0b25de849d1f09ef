// The installed tarball's web build without a bundler, served as plain files by the sandbox
// (`--static-dir` = the throwaway project, node_modules included): on a page through an
// import map, and in a module Web Worker (no `window`, no import map: a relative path).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox } from '../support/sandbox.mjs';
import { launch, screenshot } from '../support/browser.mjs';
import { pack, project, cleanup, PROBE_SOURCE, SANDBOX_ARGS, checkProbe } from './tarball.mjs';

let sb;
let browser;
let info;
before(async () => {
  const { tarball } = await pack();
  const dir = await project('worker', tarball, {
    files: {
      'page.html': `<!doctype html>
<html><head><meta charset="utf-8"><title>web build, no bundler</title>
<script type="importmap">{ "imports": { "cube-integration": "./node_modules/cube-integration/web/index.js" } }</script>
</head><body><script type="module">
import * as api from 'cube-integration';
${PROBE_SOURCE}
probe(api, location.origin).then((r) => { window.__result = r; }, (e) => { window.__error = String(e?.stack ?? e); });
</script></body></html>
`,
      'client-only.html': `<!doctype html>
<html><head><meta charset="utf-8"><title>client only</title>
<script type="importmap">{ "imports": { "cube-integration": "./node_modules/cube-integration/web/index.js" } }</script>
</head><body><script type="module">
import { CubeClient, ready } from 'cube-integration';
await ready();
const me = await new CubeClient({ baseUrl: location.origin, auth: { token: 'demo-token' } }).whoAmI();
window.__result = { username: me.username };
</script></body></html>
`,
      'worker.html': `<!doctype html>
<html><head><meta charset="utf-8"><title>module worker</title></head><body><script type="module">
const worker = new Worker('./worker.js', { type: 'module' });
worker.onmessage = ({ data }) => { if (data.error) window.__error = data.error; else window.__result = data.result; };
worker.onerror = (e) => { window.__error = 'worker error: ' + (e.message || 'failed to load'); };
worker.postMessage({ baseUrl: new URLSearchParams(location.search).get('api') ?? location.origin });
</script></body></html>
`,
      'worker.js': `import * as api from './node_modules/cube-integration/web/index.js';
${PROBE_SOURCE}
self.onmessage = async ({ data }) => {
  try {
    const result = await probe(api, data.baseUrl);
    result.hasWindow = typeof window !== 'undefined';
    result.isWorker = typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope;
    self.postMessage({ result });
  } catch (e) {
    self.postMessage({ error: String(e?.stack ?? e) });
  }
};
`,
    },
  });
  [sb, browser] = await Promise.all([startSandbox([...SANDBOX_ARGS, '--static-dir', dir]), launch()]);
  info = await sb.info();
}, { timeout: 90_000 });
after(async () => {
  await browser?.close();
  sb?.stop();
  cleanup();
});

async function run(pathname, name, origin = sb.url, wasmFetched = []) {
  const page = await browser.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('requestfinished', (r) => r.url().endsWith('.wasm') && wasmFetched.push(new URL(r.url()).pathname));
  try {
    await page.goto(origin + pathname);
    await page.waitForFunction(() => window.__result || window.__error, null, { timeout: 30_000 });
    const { result, error } = await page.evaluate(() => ({ result: window.__result, error: window.__error }));
    if (error) await screenshot(page, `packaging-${name}`);
    assert.equal(error, undefined);
    assert.deepEqual(pageErrors, []);
    return result;
  } finally {
    await page.close();
  }
}

test('a page imports the web build through an import map (no bundler)', { timeout: 60_000 }, async () => {
  checkProbe(assert, await run('/page.html', 'page'), info);
});

test('a module Web Worker imports the web build and calls the API cross-origin (CORS)', { timeout: 60_000 }, async () => {
  // The page and worker come from http://localhost:PORT, the API is http://127.0.0.1:PORT.
  const api = new URL(sb.url);
  const pageOrigin = `http://localhost:${api.port}`;
  const result = await run(`/worker.html?api=${encodeURIComponent(sb.url)}`, 'worker', pageOrigin);
  assert.equal(result.hasWindow, false);
  assert.equal(result.isWorker, true);
  const campaignsCall = (await sb.requests()).findLast((r) => r.path === '/api/v1/campaigns');
  assert.equal(campaignsCall?.headers.origin, pageOrigin, 'a cross-origin request');
  delete result.hasWindow;
  delete result.isWorker;
  checkProbe(assert, result, info);
});

test('a page that uses only the client never fetches the records wasm', { timeout: 60_000 }, async () => {
  const wasm = [];
  assert.deepEqual(await run('/client-only.html', 'client-only', sb.url, wasm), { username: 'demo@example.com' });
  assert.deepEqual(wasm, ['/node_modules/cube-integration/web/cube_integration_bg.wasm']);
});
