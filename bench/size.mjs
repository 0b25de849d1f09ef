// Benchmark 4: size of the published wasm and JS glue: raw, gzip -9, brotli (max).
import { readFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { table } from './common.mjs';

const pkg = process.argv[2];
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
