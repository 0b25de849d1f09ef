// The exit codes of the `cube` command line, for programs that run it or that want to end as
// it would: `EXIT_CODES` (each outcome's code) and `exitCodeFor(error)` (the code `cube` exits
// with for an error). The command line reads both from here, so there is one table.

import { CubeError, ERROR_CODES } from './errors.js';

const EXIT_CODES = Object.freeze({
  /** Success; `sync`: nothing changed (or a `--baseline` run). */
  ok: 0,
  /** An unexpected error, `internal` among them: a bug. */
  internal: 1,
  /** A usage error (`invalid_argument`): unknown command or flag, bad value, no credentials. */
  usage: 2,
  /** `sync`: something changed (the changes and the new state were written). */
  changes: 10,
  unauthorized: 20,
  forbidden: 21,
  not_found: 22,
  bad_request: 23,
  rate_limited: 24,
  server: 25,
  timeout: 26,
  network: 27,
  invalid_response: 28,
  /** A local file could not be read or written. */
  file: 30,
  /** `sync`: another run is using the state file. */
  locked: 31,
  out_of_memory: 32,
  /** Ctrl-C (SIGINT), and an `aborted` CubeError. */
  interrupted: 130,
  /** SIGTERM. */
  terminated: 143,
});

// The exit code of each CubeError code: the row of the same name, except `invalid_argument`
// (a usage error), `aborted` (an interrupt), `internal` (a bug) and `wasm_blocked` (1 too).
const OF_ERROR_CODE = Object.freeze({
  unauthorized: EXIT_CODES.unauthorized,
  forbidden: EXIT_CODES.forbidden,
  not_found: EXIT_CODES.not_found,
  bad_request: EXIT_CODES.bad_request,
  rate_limited: EXIT_CODES.rate_limited,
  server: EXIT_CODES.server,
  timeout: EXIT_CODES.timeout,
  aborted: EXIT_CODES.interrupted,
  network: EXIT_CODES.network,
  invalid_response: EXIT_CODES.invalid_response,
  invalid_argument: EXIT_CODES.usage,
  out_of_memory: EXIT_CODES.out_of_memory,
  internal: EXIT_CODES.internal,
  // A page's Content-Security-Policy stopped the wasm: not something `cube` (Node) meets, and
  // for a script a setup fault like any other unexpected error.
  wasm_blocked: EXIT_CODES.internal,
});

// A CubeError of this copy of the package, or of another one (the ESM and CommonJS builds
// share one class, but a program may load the web build too): told by its name and code.
function isCubeError(error) {
  return error instanceof CubeError || (error !== null && typeof error === 'object' && error.name === 'CubeError');
}

/** The exit code `cube` ends with for `error`: a CubeError's by its code; anything else 1. */
function exitCodeFor(error) {
  if (!isCubeError(error) || !ERROR_CODES.includes(error.code)) return EXIT_CODES.internal;
  return OF_ERROR_CODE[error.code];
}

export { EXIT_CODES, exitCodeFor };
