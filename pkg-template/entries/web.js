// Browsers, Web Workers, extension service workers, and bundlers that understand
// `new URL('…wasm', import.meta.url)` (Vite, webpack 5, Rollup, esbuild, Parcel).
import init, * as engine from './cube_integration.js';
import initRecords, * as records from './cube_records.js';
import { createApi } from '../js/api.js';

// Node (and Deno, Bun) running this entry from disk: the glue would `fetch` the wasm from a
// `file:` URL, which Node's fetch refuses; its bytes are read with `node:fs/promises` instead.
// Anywhere else (no `process.versions.node`, or a URL that is not `file:`) the glue loads the
// wasm itself. The module name is a variable and the import marked ignored so that no bundler
// resolves `node:fs` for the browser.
async function wasmFromDisk(file) {
  if (typeof process !== 'object' || typeof process?.versions?.node !== 'string') return undefined;
  const url = new URL(file, import.meta.url);
  if (url.protocol !== 'file:') return undefined;
  const fs = 'node:fs/promises';
  const { readFile } = await import(/* webpackIgnore: true */ /* @vite-ignore */ fs);
  return { module_or_path: await readFile(url) };
}

// The records module's wasm is fetched only when a round-trip helper is first used.
const api = createApi(engine, async () => init(await wasmFromDisk('./cube_integration_bg.wasm')), async () => {
  await initRecords(await wasmFromDisk('./cube_records_bg.wasm'));
  return records;
});
export const {
  CubeClient, CubeError, Pager, ERROR_CODES, EXIT_CODES, exitCodeFor, ready, isCrmType,
  diff, sync, changedSince, labelRecords, unlabelRecords, customerViews, toCsv, toXlsx, importSheet, readCsv,
  changeRows, changeSheet, updateFile, mappingPreset,
} = api;
