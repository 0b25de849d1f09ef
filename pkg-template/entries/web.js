// Browsers, Web Workers, extension service workers, and bundlers that understand
// `new URL('…wasm', import.meta.url)` (Vite, webpack 5, Rollup, esbuild, Parcel).
import init, * as engine from './cube_integration.js';
import { createApi } from '../js/api.js';

const api = createApi(engine, () => init());
export const { CubeClient, CubeError, Pager, ERROR_CODES, ready } = api;
