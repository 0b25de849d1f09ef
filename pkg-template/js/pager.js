// `Pager`: a list read as `for await`, pages, an array, a count, or a streaming sync. Each
// starts its own read; nothing is fetched before one starts.

import { invalid, toCubeError } from './errors.js';
import { checkProgress, checkSignal, optionsJson, snapshotBytes, splitParams } from './inputs.js';

// The pages of an engine read (`RawPages`, `RawSync`) in order, each reported to `onProgress`
// before it is handed on; the engine's errors become CubeErrors (the caller's own pass through).
// `seen(page)` is told of each page first (the pager keeps the server's count).
async function* pull(stream, onProgress, seen) {
  for (;;) {
    let page;
    try {
      page = await stream.next();
    } catch (e) {
      throw toCubeError(e);
    }
    if (page === null) return;
    if (seen) seen(page);
    if (onProgress) onProgress({ loaded: page.loaded, total: page.total, page: page.page });
    yield page;
  }
}

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
    if (client._runtime().isReady()) client._check(method, this.#params);
  }

  // Async iterator of pages: { page, records, total, loaded }.
  async *pages(options = {}) {
    const raw = await this.#client._engine();
    let stream;
    try {
      stream = raw.pages(this.#method, this.#params, options?.limit, this.#signal);
    } catch (e) {
      throw toCubeError(e);
    }
    let failed = false;
    try {
      yield* pull(stream, this.#onProgress, (page) => {
        this.#total = page.total;
      });
    } catch (e) {
      failed = true;
      throw e;
    } finally {
      // A failing cleanup (after a trap) never hides the error already thrown.
      try {
        stream.cancel();
        stream.free();
      } catch (e) {
        if (!failed) throw toCubeError(e);
      }
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
  // `previous`; only progress and the changes come back to JS. Each page is pushed into the
  // sync by a call from here (`job.push()`), so that a trap there reaches this catch. With
  // `snapshotTo` (a WritableStream), the new snapshot goes there page by page and is never
  // held whole: the stream is closed once the sync is complete, and aborted if it fails.
  async sync(previous, options) {
    const { snapshotTo, signal: ownSignal, onProgress: ownProgress, engineOptions } = splitSyncOptions(options);
    const signal = ownSignal ?? this.#signal;
    const onProgress = ownProgress ?? this.#onProgress;
    let bytes = snapshotBytes(previous);
    // Only `bytes` refers to the previous snapshot from here on, and only until the records
    // module has its copy: a large state is not held twice while the pages are read.
    previous = undefined;
    const rec = await this.#client._runtime().records();
    let job;
    try {
      job = new rec.module.RawSync(this.#client._options(), this.#method, this.#params, bytes, optionsJson(engineOptions), signal, Boolean(snapshotTo));
    } catch (e) {
      throw rec.failure(e);
    } finally {
      bytes = undefined;
    }
    const sink = snapshotTo?.getWriter();
    let failed = false;
    try {
      if (sink) await sink.write(job.takeSnapshot());
      for await (const _page of pull(job, onProgress, () => job.push())) {
        if (sink) await sink.write(job.takeSnapshot());
      }
      const out = job.finish();
      if (sink) {
        await sink.write(out.snapshot);
        await sink.close();
      }
      return { changes: JSON.parse(out.changes), snapshot: sink ? null : out.snapshot, records: out.records, pages: out.pages };
    } catch (e) {
      failed = true;
      if (sink) sink.abort(e).catch(() => {});
      throw rec.failure(e);
    } finally {
      finalize(rec, job, failed);
    }
  }
}

// The options this layer handles — `snapshotTo`, and `signal` and `onProgress` (which may be
// given to the sync as to the list call; the sync's own win) — apart from those the records
// module checks. Each is checked before anything is read.
function splitSyncOptions(options) {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) return { engineOptions: options };
  const { snapshotTo, signal, onProgress, ...engineOptions } = options;
  if (snapshotTo !== undefined && typeof snapshotTo?.getWriter !== 'function') {
    throw invalid('snapshotTo', 'sync(): snapshotTo must be a WritableStream (e.g. an OPFS file\'s createWritable(), or Writable.toWeb(fs.createWriteStream(file)) in Node)');
  }
  return { snapshotTo, signal: checkSignal(signal), onProgress: checkProgress(onProgress, 'sync'), engineOptions };
}

// Stop and free a records job. After a trap it is only stopped (its requests in flight end
// in the instance that made them), and a job of a replaced instance is left alone (a new
// instance's memory is not its own). A failing cleanup never hides the error the call is
// already throwing, and is otherwise that call's error.
function finalize(rec, job, failed) {
  try {
    if (rec.current()) job.cancel();
    if (rec.usable()) job.free();
  } catch (e) {
    const err = rec.failure(e);
    if (!failed) throw err;
  }
}

export { Pager };
