// The package's public JavaScript layer, over the wasm-bindgen engine.
//
// It adds what is easier to say in JS than in wasm-bindgen attributes: the `CubeError`
// class, async iterators for `for await`, `Date` parameters, lazy start-up of the web build.
// This file is a pure factory so that every build (web, bundler, Node ESM and CommonJS)
// makes its API from its own engine. Keep it free of `import` statements and keep the single
// `export` list at the end: the build derives the CommonJS copy from it.

const ERROR_CODES = Object.freeze([
  'unauthorized', 'forbidden', 'not_found', 'bad_request', 'rate_limited', 'server',
  'timeout', 'aborted', 'network', 'invalid_response', 'invalid_argument',
]);

class CubeError extends Error {
  constructor(message, fields = {}) {
    super(message);
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
    return { name, code, message, status, url, detail, param, retries, resumePage, retryAfterMs };
  }
}

function toCubeError(e) {
  if (e instanceof CubeError) return e;
  if (e && e.__cubeError === true) {
    const err = new CubeError(e.message, e);
    if (Error.captureStackTrace) Error.captureStackTrace(err, toCubeError);
    return err;
  }
  return e;
}

const invalid = (param, message) => new CubeError(message, { code: 'invalid_argument', param });

function localDate(d, name) {
  if (Number.isNaN(d.getTime())) return 'Invalid Date';
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

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
  if (typeof params !== 'object' || Array.isArray(params)) {
    throw invalid('params', `${method}(): params must be an object such as { dataOwnerId: 1, crmType: "B2C" }`);
  }
  const { signal, onProgress, ...rest } = params;
  for (const key of ['from', 'to']) {
    if (rest[key] instanceof Date) rest[key] = localDate(rest[key], key);
  }
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw invalid('onProgress', `${method}(): onProgress must be a function`);
  }
  return { params: rest, signal: checkSignal(signal), onProgress };
}

// Options each round-trip helper takes (checked here so a typo is an error, not a no-op).
const RECORD_OPTIONS = {
  diff: ['key', 'loose', 'ignoreFields'],
  sync: ['key', 'loose', 'ignoreFields', 'store'],
  toCsv: ['columns', 'delimiter', 'bom', 'customFields'],
  toXlsx: ['columns', 'sheetName', 'textFields', 'customFields'],
  importSheet: ['columns', 'format', 'sheetName', 'delimiter', 'bom', 'customFields'],
};

function recordOptions(fn, options) {
  if (options === undefined || options === null) return { json: '{}', store: 'values' };
  if (typeof options !== 'object' || Array.isArray(options)) throw invalid('options', `${fn}(): options must be an object`);
  const allowed = RECORD_OPTIONS[fn];
  for (const key of Object.keys(options)) {
    if (options[key] !== undefined && !allowed.includes(key)) {
      throw invalid(key, `${fn}(): unknown option "${key}"; expected ${allowed.join(', ')}`);
    }
  }
  const { customFields, store, ...rest } = options;
  return {
    json: JSON.stringify(rest),
    customFields: customFields === undefined ? undefined : JSON.stringify(customFields),
    store: store ?? 'values',
  };
}

// The pages of an engine read (`RawPages`, `RawSync`) in order, each reported to `onProgress`
// before it is handed on; the engine's errors become CubeErrors (the caller's own pass through).
async function* pull(stream, onProgress) {
  for (;;) {
    let page;
    try {
      page = await stream.next();
    } catch (e) {
      throw toCubeError(e);
    }
    if (page === null) return;
    if (onProgress) onProgress({ loaded: page.loaded, total: page.total, page: page.page });
    yield page;
  }
}

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

function createApi(engine, init, loadRecords) {
  // Builds that load their wasm synchronously (Node, bundler) are ready at once; the web and
  // workerd builds instantiate on first use (or on `await ready()`).
  const client = init ? startOnce('cube_integration_bg.wasm', init) : null;
  const isReady = () => !client || client.started();
  const whenReady = async () => {
    if (client) await client.run();
  };

  class Pager {
    #client;
    #method;
    #params;
    #signal;
    #onProgress;

    constructor(client, method, params) {
      const split = splitParams(method, params);
      this.#client = client;
      this.#method = method;
      this.#params = split.params;
      this.#signal = split.signal;
      this.#onProgress = split.onProgress;
      if (isReady()) client._check(method, this.#params);
    }

    // Async iterator of pages: { page, records, total, loaded }.
    async *pages(options = {}) {
      const limit = options?.limit;
      if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
        throw invalid('limit', `limit must be a whole number from 0, got ${limit}`);
      }
      const raw = await this.#client._engine();
      let stream;
      try {
        stream = raw.pages(this.#method, this.#params, limit, this.#signal);
      } catch (e) {
        throw toCubeError(e);
      }
      try {
        yield* pull(stream, this.#onProgress);
      } finally {
        stream.cancel();
        stream.free();
      }
    }

    async *[Symbol.asyncIterator]() {
      for await (const page of this.pages()) yield* page.records;
    }

    // Every record, in order (at most `limit`).
    async toArray(options = {}) {
      const out = [];
      for await (const page of this.pages(options)) {
        const records = page.records;
        for (let i = 0; i < records.length; i++) out.push(records[i]);
      }
      return out;
    }

    // The streaming sync: the records module reads every page itself and compares it with
    // `previous`; only progress and the changes come back to JS.
    async sync(previous, options) {
      const bytes = snapshotBytes(previous);
      if (options !== undefined && options !== null && (typeof options !== 'object' || Array.isArray(options))) {
        throw invalid('options', 'sync(): options must be an object such as { ignoreFields: [...] }');
      }
      const json = JSON.stringify(options ?? {});
      const rec = await recordsModule();
      let job;
      try {
        job = new rec.RawSync(this.#client._options(), this.#method, this.#params, bytes, json, this.#signal);
      } catch (e) {
        throw toCubeError(e);
      }
      try {
        for await (const _page of pull(job, this.#onProgress)) { /* each page is read into the sync; pull reports it */ }
        const out = job.finish();
        return { changes: JSON.parse(out.changes), snapshot: out.snapshot, records: out.records, pages: out.pages };
      } catch (e) {
        throw toCubeError(e);
      } finally {
        job.cancel();
        job.free();
      }
    }
  }

  class CubeClient {
    #options;
    #raw = null;

    constructor(options) {
      if (options === null || typeof options !== 'object') {
        throw invalid('options', 'new CubeClient(options): options must be an object with baseUrl (or account) and auth');
      }
      this.#options = { ...options };
      if (isReady()) this.#make();
    }

    #make() {
      if (this.#raw === null) {
        try {
          this.#raw = new engine.RawClient(this.#options);
        } catch (e) {
          throw toCubeError(e);
        }
      }
      return this.#raw;
    }

    // internal: the options as given (the records module makes its own session from them).
    _options() {
      return this.#options;
    }

    // internal: the engine, started if needed.
    async _engine() {
      await whenReady();
      return this.#make();
    }

    _check(method, params, body) {
      try {
        return this.#make().check(method, params, body);
      } catch (e) {
        throw toCubeError(e);
      }
    }

    get baseUrl() {
      return this.#raw ? this.#raw.baseUrl : String(this.#options.baseUrl ?? `https://${this.#options.account}.${this.#options.domain ?? 'headshed.com'}`);
    }

    async #call(method, params, body) {
      const split = splitParams(method, params);
      const raw = await this._engine();
      try {
        return await raw.call(method, split.params, body, split.signal);
      } catch (e) {
        throw toCubeError(e);
      }
    }

    whoAmI(options) { return this.#call('whoAmI', options); }
    campaigns(options) { return this.#call('campaigns', options); }
    clientAccessCampaigns(options) { return this.#call('clientAccessCampaigns', options); }
    customer(params) { return this.#call('customer', params); }
    customFields(params) { return this.#call('customFields', params); }

    legacyCreateCustomer(customer, options = {}) {
      if (customer === null || typeof customer !== 'object' || Array.isArray(customer)) {
        return Promise.reject(invalid('customer', 'legacyCreateCustomer(): customer must be an object with customer_id and assignment_id'));
      }
      return this.#call('legacyCreateCustomer', { ...options, customer: true }, JSON.stringify(customer));
    }

    customers(params) { return new Pager(this, 'customers', params); }
    callflowCustomers(params) { return new Pager(this, 'callflowCustomers', params); }
    callOutcomes(params) { return new Pager(this, 'callOutcomes', params); }
    productRegistrations(params) { return new Pager(this, 'productRegistrations', params); }
    legacyCustomers(params) { return new Pager(this, 'legacyCustomers', params); }
    legacyResponses(params) { return new Pager(this, 'legacyResponses', params); }
  }

  // Round-trip helpers: a second wasm module, loaded on first use (a sync-only integration
  // never downloads it).
  const recordsEngine = startOnce('cube_records_bg.wasm', loadRecords);
  const recordsModule = () => recordsEngine.run();
  const run = async (fn) => {
    const rec = await recordsModule();
    try {
      return fn(rec);
    } catch (e) {
      throw toCubeError(e);
    }
  };

  const diff = (before, after, options) => run((records) => {
    const o = recordOptions('diff', options);
    return JSON.parse(records.records_diff(recordsJson('diff', 'before', before), recordsJson('diff', 'after', after), o.json));
  });

  const sync = (previous, current, options) => run((records) => {
    const o = recordOptions('sync', options);
    return JSON.parse(records.records_sync(snapshotBytes(previous), recordsJson('sync', 'records', current), o.json, o.store));
  });

  const changedSince = (list, since) => run((records) => {
    const day = since instanceof Date ? localDate(since) : since;
    if (typeof day !== 'string') throw invalid('since', 'changedSince(): since must be a Date or "YYYY-MM-DD"');
    return JSON.parse(records.records_changed_since(recordsJson('changedSince', 'records', list), day));
  });

  const labelRecords = (list, customFields) => run((records) =>
    JSON.parse(records.records_label(recordsJson('labelRecords', 'records', list), JSON.stringify(customFields ?? null), false)));
  const unlabelRecords = (list, customFields) => run((records) =>
    JSON.parse(records.records_label(recordsJson('unlabelRecords', 'records', list), JSON.stringify(customFields ?? null), true)));
  const customerViews = (list, customFields) => run((records) =>
    JSON.parse(records.records_customer_views(recordsJson('customerViews', 'records', list), customFields === undefined ? undefined : JSON.stringify(customFields))));

  const file = (fn, make) => (list, options) => run((records) => {
    const o = recordOptions(fn, options);
    return make(records)(recordsJson(fn, 'records', list), o.json, o.customFields);
  });
  const toCsv = file('toCsv', (r) => r.records_to_csv);
  const toXlsx = file('toXlsx', (r) => r.records_to_xlsx);
  const importSheet = file('importSheet', (r) => r.records_import_sheet);

  return {
    CubeClient, CubeError, Pager, ERROR_CODES, ready: whenReady,
    diff, sync, changedSince, labelRecords, unlabelRecords, customerViews, toCsv, toXlsx, importSheet,
  };
}

export { createApi, CubeError, ERROR_CODES };
