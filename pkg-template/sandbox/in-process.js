// The in-process edge: a sandbox that *is* a `fetch`. Each call goes through the same core as
// the native server (arrival logged, latency and fault decided, answer), with the timers and
// the transport faults played out the way a real `fetch` shows them: a reset before any byte
// rejects the promise, after some bytes errors the body stream; a dribbled or endless body
// arrives chunk by chunk; `init.signal` aborts the wait and the body.
import { CubeError as WebCubeError } from '../js/errors.js';
import { argsOf, optionError } from './options.js';

const DEFAULT_ORIGIN = 'https://sandbox.invalid';
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

const abortReason = (signal) => signal.reason ?? new DOMException('This operation was aborted', 'AbortError');

// Waits `ms`, or rejects with the signal's reason when it aborts first.
function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

// What a connection reset looks like from `fetch` (Node's shape: TypeError, cause with a code).
function resetError() {
  const cause = Object.assign(new Error('read ECONNRESET (sandbox: injected reset)'), { code: 'ECONNRESET' });
  return new TypeError('fetch failed', { cause });
}

// A body that sends `chunks()` (an async generator of Uint8Array) and stops on abort.
function streamOf(chunks, signal) {
  const it = chunks();
  return new ReadableStream({
    async pull(controller) {
      try {
        if (signal?.aborted) throw abortReason(signal);
        const { value, done } = await it.next();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (e) {
        controller.error(e);
      }
    },
    cancel() {
      it.return?.();
    },
  });
}

function bodyOf(answer, signal) {
  const kind = answer.kind;
  const bytes = answer.takeBody();
  if (kind === 'bytes') return bytes;
  if (kind === 'reset') {
    const keep = answer.keep;
    return streamOf(async function* reset() {
      yield bytes.subarray(0, keep);
      await sleep(10, signal);
      throw resetError();
    }, signal);
  }
  if (kind === 'dribble') {
    const { chunk, delayMs } = answer;
    return streamOf(async function* dribble() {
      for (let at = 0; at < bytes.length; at += chunk) {
        if (at > 0) await sleep(delayMs, signal);
        yield bytes.subarray(at, at + chunk);
      }
    }, signal);
  }
  if (kind === 'endless') {
    const { chunk, delayMs, maxSeconds } = answer;
    const spaces = new Uint8Array(chunk).fill(0x20);
    return streamOf(async function* endless() {
      const end = Date.now() + maxSeconds * 1000;
      yield bytes;
      while (Date.now() < end) {
        await sleep(delayMs, signal);
        yield spaces.slice();
      }
    }, signal);
  }
  throw new Error(`sandbox: an answer of kind ${kind}`);
}

/**
 * `CubeError`: the class the program's client throws (Node's `require` and `import` share
 * node/errors.cjs; the web, bundler and workerd builds js/errors.js), so `instanceof` holds.
 */
export function makeSandbox(wasm, options, CubeError = WebCubeError) {
  let core;
  try {
    core = new wasm.SandboxCore(argsOf(options, wasm.sandboxFlags(), CubeError), Date.now());
  } catch (e) {
    throw e instanceof CubeError ? e : optionError(e, CubeError);
  }
  const sandboxFetch = (input, init) => fetchFrom(core, input, init);
  const control = (method, path, body, options) => controlCall(core, CubeError, method, path, body, options);
  const edits = (request = {}) => {
    if (typeof request === 'number') return control('POST', '/_sandbox/edits', { count: request });
    return control('POST', '/_sandbox/edits', request);
  };
  const faults = (config) => (config === undefined
    ? control('GET', '/_sandbox/faults')
    : config === null
      ? control('DELETE', '/_sandbox/faults')
      : control('POST', '/_sandbox/faults', config));

  return Object.freeze({
    baseUrl: DEFAULT_ORIGIN,
    fetch: sandboxFetch,
    info: () => control('GET', '/_sandbox/info'),
    requests: () => control('GET', '/_sandbox/requests'),
    clearRequests: () => {
      control('DELETE', '/_sandbox/requests');
    },
    edits,
    importSheet: (sheet, options) => importSheet(control, CubeError, sheet, options),
    faults,
    reset: () => {
      control('POST', '/_sandbox/reset');
    },
    close: () => core.free(),
  });
}

// The sandbox's `fetch`: the request through `core`, after its latency, answered as a real
// `fetch` answers (a same-origin redirect followed, another refused).
async function fetchFrom(core, input, init) {
  const request = new Request(input, init);
  const signal = request.signal;
  if (signal?.aborted) throw abortReason(signal);
  const url = new URL(request.url);
  const headers = ['host', url.host];
  request.headers.forEach((value, name) => headers.push(name, value));
  const body = request.method === 'GET' || request.method === 'HEAD'
    ? new Uint8Array(0)
    : new Uint8Array(await request.arrayBuffer());
  const pending = core.arrive(request.method, url.pathname, url.search.slice(1), headers, body, url.origin, Date.now());
  try {
    if (pending.delayMs > 0) await sleep(pending.delayMs, signal);
  } catch (e) {
    core.abort(pending, Date.now());
    pending.free();
    throw e;
  }
  const answer = core.answer(pending, Date.now());
  pending.free();
  try {
    return responseOf(core, answer, request, url);
  } finally {
    answer.free();
  }
}

// The `Response` of the core's `answer` to `request` (at `url`).
function responseOf(core, answer, request, url) {
  const signal = request.signal;
  // Only a sandbox on a port serves files (createSandbox() takes no directory): a 404.
  if (answer.kind === 'file') answer.serveFile(undefined, answer.filePath);
  if (answer.kind === 'reset' && answer.keep === 0) throw resetError();
  const status = answer.status;
  const list = answer.headers;
  const responseHeaders = new Headers();
  for (let i = 0; i < list.length; i += 2) responseHeaders.set(list[i], list[i + 1]);
  if (status >= 300 && status < 400 && responseHeaders.has('location') && request.redirect !== 'manual') {
    const target = new URL(responseHeaders.get('location'), url);
    if (request.redirect === 'error' || target.origin !== url.origin) {
      throw new TypeError('fetch failed', {
        cause: new Error(`sandbox: a ${status} redirect to ${target.origin} (redirect: '${request.redirect}')`),
      });
    }
    return fetchFrom(core, target, { method: 'GET', headers: request.headers, signal, redirect: request.redirect });
  }
  const empty = NULL_BODY.has(status) || request.method === 'HEAD';
  const responseBody = empty ? null : bodyOf(answer, signal);
  if (responseBody instanceof Uint8Array) responseHeaders.set('content-length', String(responseBody.length));
  return new Response(responseBody, { status, headers: responseHeaders });
}

// The control API, as methods: the same core routes `/_sandbox/…` answer on a port. `body`
// is sent as JSON; `sheet` (bytes) as they are, with the `query` the route reads.
function controlCall(core, CubeError, method, path, body, { query = '', sheet } = {}) {
  let headers = [];
  let bytes = new Uint8Array(0);
  if (sheet !== undefined) {
    bytes = sheet;
  } else if (body !== undefined) {
    headers = ['content-type', 'application/json'];
    bytes = new TextEncoder().encode(JSON.stringify(body));
  }
  const pending = core.arrive(method, path, query, headers, bytes, DEFAULT_ORIGIN, Date.now());
  const answer = core.answer(pending, Date.now());
  pending.free();
  const status = answer.status;
  const text = new TextDecoder().decode(answer.takeBody());
  answer.free();
  const value = text === '' ? undefined : JSON.parse(text);
  if (status >= 400) {
    const error = new CubeError(`sandbox: ${value?.detail ?? `${method} ${path} answered ${status}`}`, {
      code: 'invalid_argument', status, detail: value?.detail,
    });
    // The import's row errors: [{ row, column, message }].
    if (Array.isArray(value?.errors)) error.errors = value.errors;
    throw error;
  }
  return value;
}

// An import sheet's bytes: what `importSheet()` returns (a Uint8Array), any typed array or
// ArrayBuffer (a Node Buffer too), or CSV text.
function sheetBytes(sheet, CubeError) {
  if (ArrayBuffer.isView(sheet)) return new Uint8Array(sheet.buffer, sheet.byteOffset, sheet.byteLength);
  if (sheet instanceof ArrayBuffer) return new Uint8Array(sheet);
  if (typeof sheet === 'string') return new TextEncoder().encode(sheet);
  const what = sheet === null ? 'null' : typeof sheet === 'object' ? sheet.constructor?.name ?? 'an object' : typeof sheet;
  throw new CubeError(`sandbox: importSheet(sheet, options): the sheet is the bytes of an .xlsx or CSV file (a Uint8Array or an ArrayBuffer) or CSV text, not ${what}`, {
    code: 'invalid_argument', param: 'sheet',
  });
}

// Every option is a query parameter of `POST /_sandbox/import`, which refuses one it does not
// read, naming it: the same answer as on a port.
function importSheet(control, CubeError, sheet, options) {
  const bytes = sheetBytes(sheet, CubeError);
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new CubeError('sandbox: importSheet(sheet, options): options is { dataOwnerId, crmType }', {
      code: 'invalid_argument', param: 'options',
    });
  }
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(options)) {
    if (value !== undefined) query.append(name, String(value));
  }
  return control('POST', '/_sandbox/import', undefined, { query: query.toString(), sheet: bytes });
}
