// The installed tarball in a Manifest V3 Chrome extension: its module service worker imports
// the web build (no window, no top-level await), the CSP allows 'wasm-unsafe-eval', and
// host_permissions cover the sandbox. Loaded unpacked into headless Chromium by Playwright.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startSandbox } from '../support/sandbox.mjs';
import { CHROMIUM_ARGS, executablePath } from '../support/browser.mjs';
import { pack, project, tempDir, writeFiles, cleanup, PROBE_SOURCE, SANDBOX_ARGS, checkProbe } from './tarball.mjs';

const SW = `import * as api from './node_modules/cube-integration/web/index.js';
${PROBE_SOURCE}
globalThis.runProbe = async (baseUrl) => {
  const result = await probe(api, baseUrl);
  result.hasWindow = typeof window !== 'undefined';
  result.hostPermission = await chrome.permissions.contains({ origins: [baseUrl + '/*'] });
  return result;
};
globalThis.loadWasm = async () => {
  try { await api.ready(); return 'ok'; } catch (e) { return String(e) + ' | code: ' + e.code + ' | cause: ' + String(e.cause); }
};
`;

const manifest = (origin, csp) => ({
  manifest_version: 3,
  name: 'cube-integration packaging test',
  version: '0.1.0',
  background: { service_worker: 'sw.js', type: 'module' },
  host_permissions: [`${origin}/*`],
  ...(csp ? { content_security_policy: { extension_pages: csp } } : {}),
});

let sb;
let info;
let tarball;
const contexts = new Set();
before(async () => {
  [sb, { tarball }] = await Promise.all([startSandbox(SANDBOX_ARGS), pack()]);
  info = await sb.info();
}, { timeout: 60_000 });
after(async () => {
  for (const ctx of contexts) await ctx.close().catch(() => {});
  sb?.stop();
  cleanup();
});

/** An extension dir with the tarball installed; loaded into a fresh profile. */
async function loadExtension(name, csp) {
  const ext = await project(name, tarball, { files: { 'sw.js': SW, 'manifest.json': manifest(sb.url, csp) } });
  const ctx = await chromium.launchPersistentContext(tempDir(`${name}-profile`), {
    executablePath: executablePath(),
    headless: true,
    args: [`--disable-extensions-except=${ext}`, `--load-extension=${ext}`, ...CHROMIUM_ARGS],
    timeout: 30_000,
  });
  contexts.add(ctx);
  const sw = ctx.serviceWorkers()[0] ?? (await ctx.waitForEvent('serviceworker', { timeout: 20_000 }));
  assert.match(sw.url(), /^chrome-extension:\/\/[a-p]{32}\/sw\.js$/);
  return { ctx, sw };
}

test('the extension service worker calls whoAmI and lists campaigns', { timeout: 90_000 }, async () => {
  const { ctx, sw } = await loadExtension('mv3', "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'");
  const result = await sw.evaluate((url) => globalThis.runProbe(url), sb.url);
  assert.equal(result.hasWindow, false, 'a service worker has no window');
  assert.equal(result.hostPermission, true, 'host_permissions grant the sandbox origin');
  delete result.hasWindow;
  delete result.hostPermission;
  checkProbe(assert, result, info);
  const call = (await sb.requests()).findLast((r) => r.path === '/api/v1/campaigns');
  assert.match(call?.headers['user-agent'] ?? '', /HeadlessChrome/, 'the requests came from Chromium');
  // With the host permission the worker's fetch is privileged: no CORS request, no Origin.
  assert.equal(call.headers.origin, undefined);
  await ctx.close();
  contexts.delete(ctx);
});

test("with the default MV3 CSP (no 'wasm-unsafe-eval') the wasm does not compile: why the README asks for it", { timeout: 90_000 }, async () => {
  const { ctx, sw } = await loadExtension('mv3-default-csp', null);
  const outcome = await sw.evaluate(() => globalThis.loadWasm());
  // A CubeError of its own code (not `network`: the extension is not offline) that names the
  // fix; the browser's CompileError is its cause.
  assert.match(outcome, /^CubeError: cube-integration could not start: a Content-Security-Policy does not allow WebAssembly here, .*Add 'wasm-unsafe-eval' to the policy's script-src: .*content_security_policy\.extension_pages.* \| code: wasm_blocked \| cause: CompileError: .*Content Security Policy/);
  await ctx.close();
  contexts.delete(ctx);
});
