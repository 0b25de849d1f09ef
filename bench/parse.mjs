// Benchmark 2: per-page cost from response bytes to JS records: the package's paths and the
// alternative (serde_json → serde-wasm-bindgen objects), vs plain JSON.parse of the bytes.
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { HEADERS, median, table } from './common.mjs';

const [url, enginePath] = process.argv.slice(2);
const engine = createRequire(import.meta.url)(enginePath);
const bytes = new Uint8Array(await (await fetch(`${url}/api/v1/data_owners/1/B2C/customers/`, { headers: HEADERS })).arrayBuffer());
const decoder = new TextDecoder();

function measure(fn, iterations = 200) {
  for (let i = 0; i < 20; i++) fn();
  const samples = [];
  for (let s = 0; s < 7; s++) {
    const t = performance.now();
    for (let i = 0; i < iterations / 7; i++) fn();
    samples.push((performance.now() - t) / (iterations / 7));
  }
  return median(samples);
}

const check = (records) => {
  if (records.length !== 500 || typeof records[0].crm__customer_id !== 'string') throw new Error('bad parse');
};
check(engine.bench_parse_json_text(bytes));
check(engine.bench_parse_serde(bytes));
check(engine.bench_parse_in_wasm(bytes));
const plain = measure(() => JSON.parse(decoder.decode(bytes)).results);
const text = measure(() => engine.bench_parse_json_text(bytes));
const serde = measure(() => engine.bench_parse_serde(bytes));
const inWasm = measure(() => engine.bench_parse_in_wasm(bytes));
console.log(table(`Page of 500 customers (${(bytes.length / 1024).toFixed(0)} KB): bytes → JS records, median ms per page`,
  ['strategy', 'ms/page', '÷ plain JSON.parse'],
  [
    ['plain JS: TextDecoder + JSON.parse', plain.toFixed(3), '1.00'],
    ['package, body without a stream: stays in JS, TextDecoder + JSON.parse, Rust checks the envelope', text.toFixed(3), (text / plain).toFixed(2)],
    ['package (shipped for streamed bodies): chunks copied into wasm, then decoded and parsed', inWasm.toFixed(3), (inWasm / plain).toFixed(2)],
    ['alternative: serde_json + serde-wasm-bindgen objects', serde.toFixed(3), (serde / plain).toFixed(2)],
  ]));
