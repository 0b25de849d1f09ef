// For bundlers with WebAssembly ESM integration (webpack's asyncWebAssembly,
// vite-plugin-wasm): the wasm is imported as a module and ready at once.
import * as engine from './cube_integration.js';
import { createApi } from '../js/api.js';

// A dynamic import lets the bundler split the records module into its own chunk.
const api = createApi(engine, null, () => import('./cube_records.js'));
export const {
  CubeClient, CubeError, Pager, ERROR_CODES, EXIT_CODES, exitCodeFor, ready, isCrmType,
  diff, sync, changedSince, labelRecords, unlabelRecords, customerViews, toCsv, toXlsx, importSheet, readCsv,
  changeRows, changeSheet, updateFile, mappingPreset,
} = api;
