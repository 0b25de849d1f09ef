// For bundlers with WebAssembly ESM integration (webpack's asyncWebAssembly,
// vite-plugin-wasm): the wasm is imported as a module and ready at once.
import * as engine from './cube_integration.js';
import { createApi } from '../js/api.js';

const api = createApi(engine, null);
export const { CubeClient, CubeError, Pager, ERROR_CODES, ready } = api;
