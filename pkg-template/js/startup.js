// Starting a wasm module: once at a time, a success kept, a failure reported as a CubeError
// and not kept (the next call tries again).

import { CubeError } from './errors.js';

// Whether the runtime refused to compile WebAssembly because of a Content-Security-Policy:
// Chromium's CompileError ("Refused to compile or instantiate WebAssembly module because
// 'unsafe-eval' is not an allowed source of script in the following Content Security Policy
// directive…"), Firefox's ("… blocked by CSP"), WebKit's EvalError ("Refused to create a
// WebAssembly object because 'unsafe-eval' or 'wasm-unsafe-eval' is not an allowed source…").
function blockedByPolicy(e) {
  const name = String(e?.name ?? '');
  if (name !== 'CompileError' && name !== 'EvalError') return false;
  return /Content[- ]Security[- ]Policy|\bCSP\b|unsafe-eval/i.test(String(e?.message ?? ''));
}

// A failed start-up (the .wasm could not be fetched or compiled: a missing file, a CSP
// without 'wasm-unsafe-eval', a runtime without `import.meta.url`) as a CubeError. It is not
// kept: the next call starts again. A CSP that blocks WebAssembly has its own code
// (`wasm_blocked`), so that a page does not take it for being offline (`network`).
function startupError(file, e) {
  const said = String(e?.message ?? e).replace(/\.$/, '');
  const err = blockedByPolicy(e)
    ? new CubeError(
        `cube-integration could not start: a Content-Security-Policy does not allow WebAssembly here, so ${file} cannot be compiled. ` +
          "Add 'wasm-unsafe-eval' to the policy's script-src: for a page, `Content-Security-Policy: script-src 'self' 'wasm-unsafe-eval'` " +
          "(a header or a <meta http-equiv>); for an extension, its manifest's content_security_policy.extension_pages: " +
          "\"script-src 'self' 'wasm-unsafe-eval'; object-src 'self'\". " +
          `The browser said: ${said}`,
        { code: 'wasm_blocked' },
      )
    : new CubeError(
        `cube-integration could not start: loading its WebAssembly (${file}) failed: ${said}. ` +
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
