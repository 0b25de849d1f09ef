// Cloudflare Workers (workerd), through the "workerd" export condition (wrangler, or esbuild
// with the conditions workerd,worker,browser). workerd imports a `.wasm` file as a compiled
// `WebAssembly.Module` (wrangler's default module rule) and has neither `import.meta.url` nor
// compiling from bytes, so the web build's wasm files are imported as modules and
// instantiated with `initSync`: the client's on first use (or `await ready()`), the records
// module's when a round-trip helper is first used.
import * as engine from '../web/cube_integration.js';
import * as records from '../web/cube_records.js';
import clientWasm from '../web/cube_integration_bg.wasm';
import recordsWasm from '../web/cube_records_bg.wasm';
import { createApi } from '../js/api.js';

const api = createApi(engine, () => engine.initSync({ module: clientWasm }), () => {
  records.initSync({ module: recordsWasm });
  return records;
});
export const {
  CubeClient, CubeError, Pager, ERROR_CODES, EXIT_CODES, exitCodeFor, ready, isCrmType,
  diff, sync, changedSince, labelRecords, unlabelRecords, customerViews, toCsv, toXlsx, importSheet, readCsv,
  changeRows, changeSheet, updateFile, mappingPreset,
} = api;
