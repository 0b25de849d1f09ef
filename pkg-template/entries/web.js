// Browsers, Web Workers, extension service workers, and bundlers that understand
// `new URL('…wasm', import.meta.url)` (Vite, webpack 5, Rollup, esbuild, Parcel).
import init, * as engine from './cube_integration.js';
import initRecords, * as records from './cube_records.js';
import { createApi } from '../js/api.js';

// The records module's wasm is fetched only when a round-trip helper is first used.
const api = createApi(engine, () => init(), async () => {
  await initRecords();
  return records;
});
export const {
  CubeClient, CubeError, Pager, ERROR_CODES, EXIT_CODES, exitCodeFor, ready,
  diff, sync, changedSince, labelRecords, unlabelRecords, customerViews, toCsv, toXlsx, importSheet, readCsv,
  changeRows, changeSheet,
} = api;
