// The installed tarball in a Vite app built for production (`vite build`, the root's Vite,
// no config, no plugin), served by the sandbox (`--static-dir dist`) and opened in headless
// Chromium: `import … from 'cube-integration'` must pick the web build and its wasm asset.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startSandbox } from '../support/sandbox.mjs';
import { launch, screenshot } from '../support/browser.mjs';
import { pack, project, sh, cleanup, BIN, PROBE_SOURCE, SANDBOX_ARGS, checkProbe } from './tarball.mjs';

let sb;
let browser;
let dist;
let buildMs;
let buildWarnings;
let appDir;
let devServer;
before(async () => {
  const { tarball } = await pack();
  const dir = await project('vite', tarball, {
    files: {
      'index.html': `<!doctype html>
<html><head><meta charset="utf-8"><title>cube-integration in a Vite app</title></head>
<body><pre id="out">loading…</pre><script type="module" src="/src/main.js"></script></body></html>
`,
      'src/main.js': `import * as api from 'cube-integration';
${PROBE_SOURCE}
// The API: the page's own origin (the sandbox serves dist/), or ?api=… (another origin).
const apiUrl = new URLSearchParams(location.search).get('api') ?? location.origin;
const out = document.getElementById('out');
probe(api, apiUrl).then(
  (result) => { window.__result = result; out.textContent = JSON.stringify(result, null, 2); },
  (error) => { window.__error = String(error?.stack ?? error); out.textContent = window.__error; },
);
`,
    },
  });
  appDir = dir;
  const started = Date.now();
  const { stdout, stderr } = await sh(path.join(BIN, 'vite'), ['build', '--logLevel', 'warn'], { cwd: dir, timeoutMs: 120_000 });
  buildWarnings = (stdout + stderr).trim();
  buildMs = Date.now() - started;
  dist = path.join(dir, 'dist');
  [sb, browser] = await Promise.all([startSandbox([...SANDBOX_ARGS, '--static-dir', dist]), launch()]);
}, { timeout: 180_000 });
after(async () => {
  devServer?.kill('SIGKILL');
  await browser?.close();
  sb?.stop();
  cleanup();
});

test('vite build emits the web build and its wasm as assets, nothing of the Node build', (t) => {
  // The build's time is reported, not asserted: it measures the machine (the before hook's
  // timeout catches a hang).
  t.diagnostic(`vite build took ${buildMs} ms`);
  const assets = readdirSync(path.join(dist, 'assets'));
  const engine = assets.filter((f) => /^cube_integration_bg-[\w-]+\.wasm$/.test(f));
  const js = assets.filter((f) => f.endsWith('.js'));
  assert.equal(engine.length, 1, `the engine's wasm is one hashed asset (${assets})`);
  // The sandbox is its own export and wasm module: an app that never tests never ships it.
  assert.deepEqual(assets.filter((f) => /sandbox/.test(f)), [], 'no sandbox module in an app that does not import it');
  assert.ok(js.length >= 1, `a JS chunk (${assets})`);
  const code = js.map((f) => readFileSync(path.join(dist, 'assets', f), 'utf8')).join('\n');
  for (const wasm of assets.filter((f) => f.endsWith('.wasm'))) {
    assert.ok(code.includes(wasm), `the chunks refer to the hashed asset ${wasm}`);
  }
  // The web entry's one `node:` name is `node:fs/promises`, imported only where
  // `process.versions.node` is (the web build run by Node) and never resolved by the bundler
  // (which may fold the variable into the import): nothing of Node is bundled or loaded in
  // the browser.
  assert.doesNotMatch(code, /readFileSync|__dirname|require\(['"]fs['"]\)|node:(?!fs\/promises[`'"])/, 'no Node build in the browser bundle');
  assert.doesNotMatch(code, /import\s*(?:\{[^}]*\}\s*from\s*)?['"]node:/, 'no import of a node: module that a bundler would resolve');
  assert.equal(buildWarnings, '', 'vite build printed no warning');
  const jsBytes = js.reduce((n, f) => n + readFileSync(path.join(dist, 'assets', f)).length, 0);
  assert.ok(jsBytes < 100_000, `the app's JavaScript stays small (${jsBytes} bytes)`);
});

async function openApp(url) {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  const wasmResponses = [];
  page.on('response', (r) => {
    const url = new URL(r.url());
    if (url.pathname.endsWith('.wasm')) wasmResponses.push([path.posix.basename(url.pathname).replace(/-[\w-]+\.wasm$/, '.wasm'), r.headers()['content-type']]);
    // The probe's wrong token is the one expected failure; browsers ask for a favicon.
    const expected = url.pathname === '/account/who_am_i' || url.pathname === '/favicon.ico';
    if (r.status() >= 400 && !expected) problems.push(`${r.status()} ${url.pathname}`);
  });
  await page.goto(url);
  await page.waitForFunction(() => window.__result || window.__error, null, { timeout: 30_000 });
  const { result, error } = await page.evaluate(() => ({ result: window.__result, error: window.__error }));
  if (error) await screenshot(page, 'packaging-vite');
  assert.equal(error, undefined);
  checkProbe(assert, result, await sb.info());
  const engineFetches = wasmResponses.filter(([name]) => name === 'cube_integration_bg.wasm');
  assert.equal(engineFetches.length, 1, `the engine's wasm was fetched once (${wasmResponses})`);
  for (const [p, type] of wasmResponses) assert.equal(type, 'application/wasm', `${p} can be compiled while streaming`);
  assert.deepEqual(problems, []);
  await page.close();
}

test('the built app calls whoAmI and lists campaigns in headless Chromium', { timeout: 60_000 }, async () => {
  await openApp(sb.url + '/');
});

test('the same app under the Vite dev server (no config), API on another origin', { timeout: 90_000 }, async () => {
  devServer = spawn(path.join(BIN, 'vite'), ['--host', '127.0.0.1', '--port', '0', '--clearScreen', 'false'], {
    cwd: appDir,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the Vite dev server did not start within 30 s')), 30_000);
    let seen = '';
    devServer.stdout.on('data', (chunk) => {
      seen += String(chunk).replace(/\x1b\[[0-9;]*m/g, '');
      const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(seen);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    devServer.once('exit', (code) => reject(new Error(`vite exited (${code}): ${seen}`)));
  });
  // The dev server serves the app; the API is the sandbox, another origin (CORS).
  await openApp(`${url}?api=${encodeURIComponent(sb.url)}`);
  devServer.kill('SIGKILL');
  devServer = null;
});
