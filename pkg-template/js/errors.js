// `CubeError`, the one error class of the package, and how the engine's plain error objects
// become one. Every module of this folder is plain ESM whose imports and single export line
// the build rewrites into the CommonJS copy (node/*.cjs).

const ERROR_CODES = Object.freeze([
  'unauthorized', 'forbidden', 'not_found', 'bad_request', 'rate_limited', 'server',
  'timeout', 'aborted', 'network', 'invalid_response', 'invalid_argument', 'out_of_memory',
  'internal', 'wasm_blocked',
]);

// The runtime's own error of a request that got no response, rebuilt from the engine's
// redacted text copy (name, message, code of each link) as a chain of plain `Error`s.
function causeChain(links) {
  if (!Array.isArray(links) || links.length === 0) return undefined;
  let cause;
  for (let i = links.length - 1; i >= 0; i--) {
    const link = links[i];
    const e = new Error(String(link.message ?? ''), cause === undefined ? undefined : { cause });
    e.name = String(link.name ?? 'Error');
    if (link.code !== undefined) e.code = String(link.code);
    cause = e;
  }
  return cause;
}

const causeJSON = (e) => (e instanceof Error
  ? { name: e.name, message: e.message, code: e.code, cause: causeJSON(e.cause) }
  : undefined);

class CubeError extends Error {
  constructor(message, fields = {}) {
    const cause = fields.cause instanceof Error ? fields.cause : causeChain(fields.cause);
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'CubeError';
    this.code = fields.code ?? 'invalid_argument';
    this.status = fields.status;
    this.url = fields.url;
    this.detail = fields.detail;
    this.param = fields.param;
    this.retries = fields.retries ?? 0;
    this.resumePage = fields.resumePage;
    this.retryAfterMs = fields.retryAfterMs;
  }

  toJSON() {
    const { name, code, message, status, url, detail, param, retries, resumePage, retryAfterMs } = this;
    return { name, code, message, status, url, detail, param, retries, resumePage, retryAfterMs, cause: causeJSON(this.cause) };
  }
}

function toCubeError(e) {
  if (e instanceof CubeError) return e;
  if (e && e.__cubeError === true) {
    const err = new CubeError(e.message, e);
    if (Error.captureStackTrace) Error.captureStackTrace(err, toCubeError);
    return err;
  }
  // A trap of the client module (the records module's own are told apart in
  // records-module.js): a bug, with the trap as its cause.
  if (typeof WebAssembly === 'object' && e instanceof WebAssembly.RuntimeError) {
    return new CubeError(`cube-integration stopped on an internal fault (${e.message}): this is a bug, please report it`, { code: 'internal', cause: e });
  }
  return e;
}

const invalid = (param, message) => new CubeError(message, { code: 'invalid_argument', param });

export { ERROR_CODES, CubeError, toCubeError, invalid };
