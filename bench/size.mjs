// Benchmark 4: size of the published wasm and JS glue: raw, gzip -9, brotli (max); the
// sandbox module apart; the npm tarball with and without the sandbox.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { table } from './common.mjs';

const pkg = path.resolve(process.argv[2]);
// The JS layer (js/*.js) is counted as one file, as a bundler ships it.
const JS_LAYER = ['api', 'client', 'errors', 'helpers', 'inputs', 'pager', 'startup'].map((m) => `js/${m}.js`);
const files = ['web/cube_integration_bg.wasm', 'web/cube_integration.js', 'js/*.js', 'web/index.js', 'web/cube_records_bg.wasm', 'web/cube_records.js'];
const kb = (n) => (n / 1024).toFixed(1);
const read = (f) => (f === 'js/*.js' ? Buffer.concat(JS_LAYER.map((m) => readFileSync(`${pkg}/${m}`))) : readFileSync(`${pkg}/${f}`));
const rows = files.map((f) => {
  const data = read(f);
  const gz = gzipSync(data, { level: 9 }).length;
  const br = brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  return [f, kb(data.length), kb(gz), kb(br)];
});
console.log(table('Published size (KB); the client is the first four, the round-trip module (loaded on first use) the last two', ['file', 'raw', 'gzip -9', 'brotli'], rows));

// cube-integration/sandbox: loaded only by createSandbox() and `npx cube-integration sandbox`.
const SANDBOX_JS = ['in-process', 'options', 'index', 'node', 'workerd', 'serve'].map((m) => `sandbox/${m}.js`);
const sandboxRows = ['sandbox/cube_sandbox_bg.wasm', 'sandbox/cube_sandbox.js', 'sandbox/*.js'].map((f) => {
  const data = f === 'sandbox/*.js' ? Buffer.concat(SANDBOX_JS.map((m) => readFileSync(`${pkg}/${m}`))) : readFileSync(`${pkg}/${f}`);
  const gz = gzipSync(data, { level: 9 }).length;
  const br = brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  return [f, kb(data.length), kb(gz), kb(br)];
});
console.log(table('cube-integration/sandbox (KB): loaded only by createSandbox() and the sandbox command', ['file', 'raw', 'gzip -9', 'brotli'], sandboxRows));

// The npm tarball, and the same package without what the sandbox added (sandbox/, the demo
// page it serves, the sandbox command): what installing the sandbox costs every user.
const tmp = mkdtempSync(path.join(os.tmpdir(), 'cube-size-'));
try {
  const packed = (dir) => JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', dir], {
    cwd: tmp, env: { ...process.env, npm_config_cache: path.join(tmp, '.npm'), npm_config_update_notifier: 'false' }, stdio: ['ignore', 'pipe', 'ignore'],
  }))[0];
  const without = path.join(tmp, 'pkg');
  cpSync(pkg, without, { recursive: true, filter: (src) => !src.startsWith(path.join(pkg, 'docs')) });
  for (const rel of ['sandbox', 'demo', 'cli/sandbox-command.mjs']) rmSync(path.join(without, rel), { recursive: true, force: true });
  const [withIt, withoutIt] = [packed(pkg), packed(without)];
  const mb = (n) => (n / 1e6).toFixed(2);
  console.log(table('npm tarball (MB)', ['package', 'tarball (gzip)', 'unpacked', 'files'], [
    ['with cube-integration/sandbox', mb(withIt.size), mb(withIt.unpackedSize), withIt.entryCount],
    ['without (sandbox/, demo/, the sandbox command removed)', mb(withoutIt.size), mb(withoutIt.unpackedSize), withoutIt.entryCount],
    ['difference', `+${mb(withIt.size - withoutIt.size)}`, `+${mb(withIt.unpackedSize - withoutIt.unpackedSize)}`, `+${withIt.entryCount - withoutIt.entryCount}`],
  ]));
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
