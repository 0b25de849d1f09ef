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
  // Anything but a plain object goes to the engine as it is: the engine says what is wrong.
  if (typeof params !== 'object' || Array.isArray(params)) return { params };
  const { signal, onProgress, ...rest } = params;
  for (const key of ['from', 'to']) {
    if (rest[key] instanceof Date) rest[key] = localDate(rest[key], key);
  }
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw invalid('onProgress', `${method}(): onProgress must be a function`);
  }
  return { params: rest, signal: checkSignal(signal), onProgress };
}

// A round-trip helper's options as JSON for the records module, which checks them (unknown
// options are refused there, by name). `undefined` values drop out, as they mean "not given".
const optionsJson = (options) => (options === undefined || options === null ? '{}' : JSON.stringify(options) ?? 'null');

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
    #total = null;

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
      const raw = await this.#client._engine();
      let stream;
      try {
        stream = raw.pages(this.#method, this.#params, limit, this.#signal);
      } catch (e) {
        throw toCubeError(e);
      }
      try {
        for await (const page of pull(stream, this.#onProgress)) {
          this.#total = page.total;
          yield page;
        }
      } finally {
        stream.cancel();
        stream.free();
      }
    }

    // The server's count, once a read of this pager has delivered its first page.
    get total() {
      return this.#total;
    }

    // How many records the list has: only its first page is read (a list Cube sends as a
    // bare array, with no count, is read whole).
    async count() {
      for await (const page of this.pages({ limit: 1 })) {
        if (page.total !== null) return page.total;
        break;
      }
      let n = 0;
      for await (const page of this.pages()) n += page.records.length;
      return n;
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
      const json = optionsJson(options);
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
      // A copy, so that later changes to the caller's object change nothing; anything but an
      // object goes to the engine as it is, which says what is wrong.
      this.#options = options !== null && typeof options === 'object' ? { ...options } : options;
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

    // Scoped handles: the data owner and CRM type (or the campaign) given once.
    crm(dataOwnerId, crmType) { return new CrmScope(this, dataOwnerId, crmType); }
    campaign(campaignId) { return new CampaignScope(this, campaignId); }

    customers(params) { return new Pager(this, 'customers', params); }
    callflowCustomers(params) { return new Pager(this, 'callflowCustomers', params); }
    callOutcomes(params) { return new Pager(this, 'callOutcomes', params); }
    productRegistrations(params) { return new Pager(this, 'productRegistrations', params); }
    legacyCustomers(params) { return new Pager(this, 'legacyCustomers', params); }
    legacyResponses(params) { return new Pager(this, 'legacyResponses', params); }
  }

  // Every call of a scope is the client's own call with the scope's parameters added; a
  // parameter given again at the call wins, so the engine's checks and messages apply as is.
  const scoped = (scope) => (params) => ({ ...scope, ...(params ?? {}) });

  class CrmScope {
    #client;
    #with;

    constructor(client, dataOwnerId, crmType) {
      const scope = { dataOwnerId, crmType };
      if (isReady()) client._check('customFields', scope);
      this.#client = client;
      this.#with = scoped(scope);
      this.dataOwnerId = dataOwnerId;
      this.crmType = crmType;
    }

    customers(params) { return this.#client.customers(this.#with(params)); }
    customer(customerId, options) { return this.#client.customer(this.#with({ ...options, customerId })); }
    customFields(options) { return this.#client.customFields(this.#with(options)); }
    callflowCustomers(params) { return this.#client.callflowCustomers(this.#with(params)); }
    callOutcomes(params) { return this.#client.callOutcomes(this.#with(params)); }
    productRegistrations(params) { return this.#client.productRegistrations(this.#with(params)); }
  }

  class CampaignScope {
    #client;
    #with;

    constructor(client, campaignId) {
      const scope = { campaignId };
      if (isReady()) client._check('callflowCustomers', scope);
      this.#client = client;
      this.#with = scoped(scope);
      this.campaignId = campaignId;
    }

    callflowCustomers(params) { return this.#client.callflowCustomers(this.#with(params)); }
    callOutcomes(params) { return this.#client.callOutcomes(this.#with(params)); }
    productRegistrations(params) { return this.#client.productRegistrations(this.#with(params)); }
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
    return JSON.parse(records.records_diff(recordsJson('diff', 'before', before), recordsJson('diff', 'after', after), optionsJson(options)));
  });

  const sync = (previous, current, options) => run((records) => {
    return JSON.parse(records.records_sync(snapshotBytes(previous), recordsJson('sync', 'records', current), optionsJson(options)));
  });

  const changedSince = (list, since) => run((records) => {
    const day = since instanceof Date ? localDate(since) : since;
    if (typeof day !== 'string') throw invalid('since', 'changedSince(): since must be a Date or "YYYY-MM-DD"');
    return JSON.parse(records.records_changed_since(recordsJson('changedSince', 'records', list), day));
  });

  const labelRecords = (list, customFields) => run((records) =>
    JSON.parse(records.records_label(recordsJson('labelRecords', 'records', list), JSON.stringify(customFields ?? null))));
  const unlabelRecords = (list, customFields) => run((records) =>
    JSON.parse(records.records_unlabel(recordsJson('unlabelRecords', 'records', list), JSON.stringify(customFields ?? null))));
  const customerViews = (list, customFields) => run((records) =>
    JSON.parse(records.records_customer_views(recordsJson('customerViews', 'records', list), customFields === undefined ? undefined : JSON.stringify(customFields))));

  const changesJson = (fn, changes) => {
    if (changes === null || typeof changes !== 'object' || Array.isArray(changes)) {
      throw invalid('changes', `${fn}(): changes must be the \`changes\` object a sync or diff returned`);
    }
    return JSON.stringify(changes);
  };
  const changeRows = (changes, options) => run((records) => {
    return JSON.parse(records.records_change_rows(changesJson('changeRows', changes), optionsJson(options)));
  });
  const changeSheet = (changes, options) => run((records) => {
    return records.records_change_sheet(changesJson('changeSheet', changes), optionsJson(options));
  });

  const file = (fn, make) => (list, options) => run((records) => {
    return make(records)(recordsJson(fn, 'records', list), optionsJson(options));
  });
  const readCsv = (bytes, options) => run((records) => {
    let data = bytes;
    if (typeof data === 'string') data = new TextEncoder().encode(data);
    else if (data instanceof ArrayBuffer || Object.prototype.toString.call(data) === '[object ArrayBuffer]') data = new Uint8Array(data);
    else if (ArrayBuffer.isView(data)) data = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    else throw invalid('bytes', 'readCsv(): bytes must be a Uint8Array, an ArrayBuffer or a string');
    return JSON.parse(records.records_read_csv(data, optionsJson(options)));
  });

  const toCsv = file('toCsv', (r) => r.records_to_csv);
  const toXlsx = file('toXlsx', (r) => r.records_to_xlsx);
  const importSheet = file('importSheet', (r) => r.records_import_sheet);

  return {
    CubeClient, CubeError, Pager, ERROR_CODES, ready: whenReady,
    diff, sync, changedSince, labelRecords, unlabelRecords, customerViews, toCsv, toXlsx, importSheet, readCsv,
    changeRows, changeSheet,
  };
}

export { createApi, CubeError, ERROR_CODES };
