// A redirect is refused with the same CubeError — code, message, url, status, retries — in
// Node (node and web builds), Chromium and Firefox (pages on the web build, cross-origin, so
// the answer is an `opaqueredirect`). workerd, Deno and Bun check the same `refusedRedirect`
// in their own tests. Nothing reaches the redirect's target: the credentials never follow.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startSandbox, ROOT, PKG } from '../support/sandbox.mjs';
import { launch } from '../support/browser.mjs';
import { launchFirefox } from '../support/firefox.mjs';
import { REDIRECT_PROBE_SOURCE, redirectFlag, refusedRedirect } from '../support/redirect.mjs';

let sb;
let other;
let pageOrigin;
before(async () => {
  other = await startSandbox();
  sb = await startSandbox(['--static-dir', path.join(ROOT, 'www-demo'), '--pkg-dir', PKG, '--fault', redirectFlag(other.url)]);
  // Pages come from http://localhost:PORT, the API is http://127.0.0.1:PORT: cross-origin.
  pageOrigin = `http://localhost:${new URL(sb.url).port}`;
}, { timeout: 60_000 });
after(() => {
  sb?.stop();
  other?.stop();
});

const redirectProbe = new Function(`${REDIRECT_PROBE_SOURCE}; return redirectProbe;`)();
/** The probe as an expression a page evaluates: the web build, imported by the page. */
const pageProbe = (baseUrl) => `(async () => {
  ${REDIRECT_PROBE_SOURCE}
  return redirectProbe(await import('/pkg/web/index.js'), ${JSON.stringify(baseUrl)});
})()`;

const results = {};

test('Node: the node build refuses the redirect', { timeout: 30_000 }, async () => {
  results.nodeBuild = await redirectProbe(await import('../../../pkg/node/index.mjs'), sb.url);
  assert.deepEqual(results.nodeBuild, refusedRedirect(sb.url));
});

test('Chromium: a page on the web build refuses the redirect (opaqueredirect)', { timeout: 90_000 }, async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(`${pageOrigin}/`);
    results.chromium = await page.evaluate(pageProbe(sb.url));
  } finally {
    await browser.close();
  }
  assert.deepEqual(results.chromium, refusedRedirect(sb.url));
});

test('Firefox: a page on the web build refuses the redirect (opaqueredirect)', { timeout: 120_000 }, async () => {
  const browser = await launchFirefox();
  try {
    const page = await browser.newPage();
    await page.goto(`${pageOrigin}/`);
    results.firefox = await page.evaluate(pageProbe(sb.url));
  } finally {
    await browser.close();
  }
  assert.deepEqual(results.firefox, refusedRedirect(sb.url));
});

test('the same CubeError everywhere, and the redirect target got no request', async () => {
  assert.deepEqual(Object.keys(results).sort(), ['chromium', 'firefox', 'nodeBuild']);
  assert.deepEqual(results.chromium, results.nodeBuild);
  assert.deepEqual(results.firefox, results.nodeBuild);
  assert.deepEqual(await other.requests(), []);
  const redirected = (await sb.requests()).filter((r) => r.path.startsWith('/api/v1/client_access/') && r.method === 'GET');
  assert.equal(redirected.length, 3, 'one request each (not retried)');
  assert.ok(redirected.every((r) => r.headers.authorization === 'Token demo-token'), 'the configured origin got the credentials');
});
