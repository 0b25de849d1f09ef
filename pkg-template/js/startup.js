// Starting a wasm module: once at a time, a success kept, a failure reported as a CubeError
// and not kept (the next call tries again).

import { CubeError } from './errors.js';

// A failed start-up (the .wasm could not be fetched or compiled: a missing file, a CSP
// without 'wasm-unsafe-eval', a runtime without `import.meta.url`) as a CubeError. It is not
// kept: the next call starts again.
function startupError(file, e) {
  const err = new CubeError(
    `cube-integration could not start: loading its WebAssembly (${file}) failed: ${String(e?.message ?? e).replace(/\.$/, '')}. ` +
      'Check that the file is served next to the package\'s JS, that a Content-Security-Policy allows ' +
      "'wasm-unsafe-eval', and that the runtime picked its build (Cloudflare Workers: the \"workerd\" condition). The next call tries again.",
    { code: 'network' },
  );
  err.cause = e;
  return err;
}

// Run `start` once at a time; a success is kept, a failure is not (the next call runs it
// again). Resolves to what `start` gave.
function startOnce(file, start) {
  let done = null;
  let running = null;
  const run = () => {
    if (done) return done;
    running ??= (async () => start())().then(
      (value) => {
        done = Promise.resolve(value);
        return value;
      },
      (e) => {
        running = null;
        throw e instanceof CubeError ? e : startupError(file, e);
      },
    );
    return running;
  };
  return { run, started: () => done !== null };
}

export { startOnce };
