// `cube-integration/sandbox` in Node (and Deno and Bun, which resolve the "node" condition):
// the wasm module is read from the package's own file.
import { readFileSync } from 'node:fs';
import * as wasm from './cube_sandbox.js';
import { makeSandbox } from './in-process.js';

let loaded = false;
function load() {
  if (!loaded) {
    wasm.initSync({ module: readFileSync(new URL('./cube_sandbox_bg.wasm', import.meta.url)) });
    loaded = true;
  }
  return wasm;
}

/** A Cube sandbox in this process: `sandbox.fetch` is the server. */
export async function createSandbox(options) {
  return makeSandbox(load(), options);
}

export { load as loadSandboxCore };
