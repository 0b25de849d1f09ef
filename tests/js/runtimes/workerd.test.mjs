// Cloudflare Workers: a worker that imports 'cube-integration', bundled from the packed tarball
// by esbuild with wrangler's conditions (workerd, worker, browser), runs under workerd (npm
// `workerd`) from a config this test writes. Its fetch handler runs the smoke program against
// the sandbox: whoAmI, a paged read of 12,000 records, sync, toXlsx, a CubeError and a refused
// redirect. The bundle must take the "workerd" build, whose wasm files stay modules.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { build } from 'esbuild';
import { pack, project, cleanup } from '../packaging/tarball.mjs';
import { SMOKE_SOURCE, SANDBOX_SMOKE_SOURCE, startSandboxes, checkSmoke, checkSandboxSmoke, runtimeBinary } from './smoke.mjs';

const WORKER = `import * as api from 'cube-integration';
${SMOKE_SOURCE}
export default {
  async fetch(request, env) {
    try {
      return Response.json(await smoke(api, env.SANDBOX_URL));
    } catch (e) {
      return Response.json({ failed: String(e?.stack ?? e), code: e?.code }, { status: 500 });
    }
  },
};
`;

// A second worker on the web build, which cannot start in workerd (no import.meta.url): each
// call must say so as a CubeError, and not keep the failure.
const WEB_WORKER = `import * as web from 'cube-integration/web';
export default {
  async fetch(request, env) {
    const out = [];
    for (let i = 0; i < 2; i++) {
      try {
        await new web.CubeClient({ baseUrl: env.SANDBOX_URL, auth: { token: 'demo-token' } }).whoAmI();
        out.push({ started: true });
      } catch (e) {
        out.push({ isCubeError: e instanceof web.CubeError, code: e.code, message: e.message });
      }
    }
    return Response.json(out);
  },
};
`;

// A third worker: cube-integration/sandbox in-process (its "workerd" entry, the core's wasm
// imported as a module) as the client's fetch.
const SANDBOX_WORKER = `import * as api from 'cube-integration';
import * as sandboxApi from 'cube-integration/sandbox';
${SANDBOX_SMOKE_SOURCE}
export default {
  async fetch() {
    try {
      return Response.json(await sandboxSmoke(api, sandboxApi));
    } catch (e) {
      return Response.json({ failed: String(e?.stack ?? e), code: e?.code }, { status: 500 });
    }
  },
};
`;

/** The workerd config: the bundle and every .wasm beside it as modules; outbound to loopback only. */
function capnp({ port, webPort, sandboxPort, wasm, sandboxUrl }) {
  const worker = (main) => `(
  modules = [
    (name = "${main}", esModule = embed "${main}"),
${wasm.map((m) => `    (name = "${m}", wasm = embed "${m}"),`).join('\n')}
  ],
  compatibilityDate = "2026-11-01",
  bindings = [(name = "SANDBOX_URL", text = "${sandboxUrl}")],
  globalOutbound = "loopback",
)`;
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "web", worker = .webWorker),
    (name = "sandbox", worker = .sandboxWorker),
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [
    (name = "http", address = "127.0.0.1:${port}", http = (), service = "main"),
    (name = "web", address = "127.0.0.1:${webPort}", http = (), service = "web"),
    (name = "sandbox", address = "127.0.0.1:${sandboxPort}", http = (), service = "sandbox"),
  ],
);

const worker :Workerd.Worker = ${worker('worker.js')};
const webWorker :Workerd.Worker = ${worker('web-worker.js')};
const sandboxWorker :Workerd.Worker = ${worker('sandbox-worker.js')};
`;
}

const freePort = () => new Promise((resolve, reject) => {
  const server = net.createServer();
  server.once('error', reject);
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});

let sandboxes;
let workerd;
let workerUrl;
let webWorkerUrl;
let sandboxWorkerUrl;
let sandboxInputs;
let inputs;
let wasmImports;
const workerdOutput = [];

before(async () => {
  const bin = runtimeBinary('workerd');
  const { tarball } = await pack();
  let dir;
  [dir, sandboxes] = await Promise.all([project('workerd', tarball, { files: { 'worker.mjs': WORKER, 'web-worker.mjs': WEB_WORKER, 'sandbox-worker.mjs': SANDBOX_WORKER } }), startSandboxes()]);
  const out = path.join(dir, 'dist');
  // What wrangler does, by hand: its resolve conditions, and `.wasm` imports kept as modules.
  // Two entry points, no code splitting: two self-contained bundles.
  const result = await build({
    entryPoints: {
      worker: path.join(dir, 'worker.mjs'),
      'web-worker': path.join(dir, 'web-worker.mjs'),
      'sandbox-worker': path.join(dir, 'sandbox-worker.mjs'),
    },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    target: 'es2022',
    loader: { '.wasm': 'copy' },
    assetNames: '[name]',
    outdir: out,
    metafile: true,
    logLevel: 'silent',
  });
  const bundle = result.metafile.outputs[path.relative(process.cwd(), path.join(out, 'worker.js'))];
  inputs = Object.keys(bundle.inputs);
  sandboxInputs = Object.keys(result.metafile.outputs[path.relative(process.cwd(), path.join(out, 'sandbox-worker.js'))].inputs);
  wasmImports = bundle.imports.map((i) => i.path).filter((p) => p.endsWith('.wasm')).map((p) => path.basename(p)).sort();
  const wasm = readdirSync(out).filter((f) => f.endsWith('.wasm')).sort();
  const [port, webPort, sandboxPort] = [await freePort(), await freePort(), await freePort()];
  writeFileSync(path.join(out, 'config.capnp'), capnp({ port, webPort, sandboxPort, wasm, sandboxUrl: sandboxes.sb.url }));
  workerd = spawn(bin, ['serve', 'config.capnp'], { cwd: out, stdio: ['ignore', 'pipe', 'pipe'] });
  workerd.stdout.on('data', (d) => workerdOutput.push(String(d)));
  workerd.stderr.on('data', (d) => workerdOutput.push(String(d)));
  workerUrl = `http://127.0.0.1:${port}/`;
  webWorkerUrl = `http://127.0.0.1:${webPort}/`;
  sandboxWorkerUrl = `http://127.0.0.1:${sandboxPort}/`;
  // Ready when it answers (any status): generous, CI is a busy 2-core machine.
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (workerd.exitCode !== null) throw new Error(`workerd exited (${workerd.exitCode}):\n${workerdOutput.join('')}`);
    try {
      await fetch(workerUrl + 'ping', { method: 'HEAD' });
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`workerd did not listen within 60 s:\n${workerdOutput.join('')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}, { timeout: 180_000 });

after(() => {
  workerd?.kill('SIGKILL');
  sandboxes?.stop();
  cleanup();
});

test('esbuild with the workerd conditions bundles the "workerd" build, its wasm files as modules', () => {
  const pkgFiles = inputs.filter((f) => f.includes('node_modules/cube-integration/')).map((f) => f.replace(/^.*node_modules\/cube-integration\//, '')).sort();
  assert.deepEqual(pkgFiles, [
    'js/api.js',
    'js/client.js',
    'js/endpoint-table.js',
    'js/errors.js',
    'js/exit-codes.js',
    'js/helpers.js',
    'js/inputs.js',
    'js/pager.js',
    'js/previous-source.js',
    'js/records-module.js',
    'js/startup.js',
    'web/cube_integration.js',
    'web/cube_records.js',
    'workerd/index.js',
  ]);
  // The wasm files are copied beside the bundle and imported from it: workerd's wasm modules.
  assert.deepEqual(wasmImports, ['cube_integration_bg.wasm', 'cube_records_bg.wasm']);
});

test('workerd: a fetch handler runs the smoke program against the sandbox', { timeout: 180_000 }, async () => {
  const response = await fetch(workerUrl, { signal: AbortSignal.timeout(150_000) });
  const result = await response.json();
  assert.equal(response.status, 200, `${JSON.stringify(result)}\n${workerdOutput.join('')}`);
  await checkSmoke(assert, result, sandboxes.sb.url, sandboxes.other);
});

test('workerd: a second request reuses the started engine and passes again', { timeout: 180_000 }, async () => {
  const response = await fetch(workerUrl, { signal: AbortSignal.timeout(150_000) });
  const result = await response.json();
  assert.equal(response.status, 200, JSON.stringify(result));
  await checkSmoke(assert, result, sandboxes.sb.url, sandboxes.other);
});

test('workerd: the web build, which cannot start there, fails each call with a CubeError (not kept)', { timeout: 60_000 }, async () => {
  const response = await fetch(webWorkerUrl, { signal: AbortSignal.timeout(50_000) });
  const calls = await response.json();
  assert.equal(calls.length, 2);
  for (const call of calls) {
    assert.equal(call.isCubeError, true, JSON.stringify(call));
    assert.equal(call.code, 'network');
    assert.match(call.message, /^cube-integration could not start: loading its WebAssembly \(cube_integration_bg\.wasm\) failed: .*Cloudflare Workers: the "workerd" condition/);
  }
});

test('workerd: cube-integration/sandbox in-process (its "workerd" entry) serves the client: read, sync, fault, option error', { timeout: 120_000 }, async () => {
  const pkgFiles = sandboxInputs.filter((f) => f.includes('node_modules/cube-integration/sandbox/')).map((f) => f.replace(/^.*node_modules\/cube-integration\//, '')).sort();
  assert.deepEqual(pkgFiles, ['sandbox/cube_sandbox.js', 'sandbox/in-process.js', 'sandbox/options.js', 'sandbox/workerd.js'], 'the bundle took the "workerd" entry');
  const response = await fetch(sandboxWorkerUrl, { signal: AbortSignal.timeout(100_000) });
  const result = await response.json();
  assert.equal(response.status, 200, `${JSON.stringify(result)}\n${workerdOutput.join('')}`);
  checkSandboxSmoke(assert, result);
});
