// What JS hands the engine: `Date`s as calendar days, a call's own options (`signal`,
// `onProgress`) split from the endpoint's parameters, and the JSON and bytes the records
// module reads. The engine checks the values; this only converts what only JS can read.

import { invalid } from './errors.js';

function localDate(d) {
  if (Number.isNaN(d.getTime())) return 'Invalid Date';
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

// `B2C` or `B2B` in any case: what the engine accepts as `crmType` (and the `CrmType` type
// says), told synchronously, before the web build's wasm has loaded.
const isCrmType = (value) => typeof value === 'string' && /^[Bb]2[BbCc]$/.test(value);

function checkSignal(signal) {
  if (signal === undefined || signal === null) return undefined;
  if (typeof signal !== 'object' || typeof signal.aborted !== 'boolean' || typeof signal.addEventListener !== 'function') {
    throw invalid('signal', 'signal must be an AbortSignal (e.g. from new AbortController().signal)');
  }
  return signal;
}

// Split the caller's object into the endpoint's parameters (for the engine) and the call
// options this layer handles.
function splitParams(method, params) {
  if (params === undefined || params === null) return { params: undefined };
  // Anything but a plain object goes to the engine as it is: the engine says what is wrong.
  if (typeof params !== 'object' || Array.isArray(params)) return { params };
  const { signal, onProgress, ...rest } = params;
  for (const key of ['from', 'to']) {
    if (rest[key] instanceof Date) rest[key] = localDate(rest[key]);
  }
  return { params: rest, signal: checkSignal(signal), onProgress: checkProgress(onProgress, method) };
}

// `onProgress` of a call named `fn`: a function, or nothing.
function checkProgress(onProgress, fn) {
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw invalid('onProgress', `${fn}(): onProgress must be a function`);
  }
  return onProgress;
}

// A round-trip helper's options as JSON for the records module, which checks them (unknown
// options are refused there, by name). `undefined` values drop out, as they mean "not given".
const optionsJson = (options) => (options === undefined || options === null ? '{}' : JSON.stringify(options) ?? 'null');

// A stored snapshot as bytes for the records module: the bytes a sync returned, their text,
// or (0.1.0's array sync) the snapshot object. The records module says what is wrong with
// anything else.
function snapshotBytes(previous) {
  if (previous === undefined || previous === null) return undefined;
  if (ArrayBuffer.isView(previous)) return new Uint8Array(previous.buffer, previous.byteOffset, previous.byteLength);
  if (previous instanceof ArrayBuffer || Object.prototype.toString.call(previous) === '[object ArrayBuffer]') return new Uint8Array(previous);
  return new TextEncoder().encode(typeof previous === 'string' ? previous : JSON.stringify(previous));
}

function recordsJson(fn, param, records) {
  if (!Array.isArray(records)) throw invalid(param, `${fn}(): ${param} must be an array of records`);
  return JSON.stringify(records);
}

function changesJson(fn, changes) {
  if (changes === null || typeof changes !== 'object' || Array.isArray(changes)) {
    throw invalid('changes', `${fn}(): changes must be the \`changes\` object a sync or diff returned`);
  }
  return JSON.stringify(changes);
}

// `onWarning` of the .xlsx writers, handed to the records module beside the options JSON
// (which leaves functions out): a function, or nothing (a cell too long is then refused).
function warningCallback(fn, options) {
  const onWarning = options === null || typeof options !== 'object' ? undefined : options.onWarning;
  if (onWarning === undefined || onWarning === null) return undefined;
  if (typeof onWarning !== 'function') throw invalid('onWarning', `${fn}(): onWarning must be a function`);
  return onWarning;
}

// CSV input as bytes: a Uint8Array (any view), an ArrayBuffer, or text.
function csvBytes(data) {
  if (typeof data === 'string') return new TextEncoder().encode(data);
  if (data instanceof ArrayBuffer || Object.prototype.toString.call(data) === '[object ArrayBuffer]') return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw invalid('bytes', 'readCsv(): bytes must be a Uint8Array, an ArrayBuffer or a string');
}

export { isCrmType, localDate, checkSignal, checkProgress, splitParams, optionsJson, snapshotBytes, recordsJson, changesJson, csvBytes, warningCallback };
