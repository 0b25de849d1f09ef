// `cube-integration/sandbox` in Node (and Deno and Bun, which resolve the "node" condition):
// the wasm module is read from the package's own file.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as wasm from './cube_sandbox.js';
import { makeSandbox } from './in-process.js';

// The client's CubeError in Node (`import` and `require` of 'cube-integration' share it), so
// `e instanceof CubeError` holds for the sandbox's errors too.
const { CubeError } = createRequire(import.meta.url)('../node/errors.cjs');

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
  return makeSandbox(load(), options, CubeError);
}

export { load as loadSandboxCore };
