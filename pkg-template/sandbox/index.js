// `cube-integration/sandbox` in browsers, web workers and bundlers: the wasm module is
// fetched from next to this file on the first `createSandbox()`.
import init, * as wasm from './cube_sandbox.js';
import { makeSandbox } from './in-process.js';

let loading;

/** A Cube sandbox in this page or worker: `sandbox.fetch` is the server. */
export async function createSandbox(options) {
  loading ??= init({ module_or_path: new URL('./cube_sandbox_bg.wasm', import.meta.url) });
  await loading;
  return makeSandbox(wasm, options);
}
