// `cube-integration/sandbox` in Cloudflare Workers (workerd): the wasm file is imported as a
// compiled module (wrangler's default rule), as the client's workerd entry does.
import * as wasm from './cube_sandbox.js';
import module from './cube_sandbox_bg.wasm';
import { makeSandbox } from './in-process.js';

let loaded = false;

/** A Cube sandbox in this worker: `sandbox.fetch` is the server. */
export async function createSandbox(options) {
  if (!loaded) {
    wasm.initSync({ module });
    loaded = true;
  }
  return makeSandbox(wasm, options);
}
