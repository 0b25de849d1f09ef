// `Pager`: a list read as `for await`, pages, an array, a count, or a streaming sync. Each
// starts its own read; nothing is fetched before one starts.

import { invalid, toCubeError } from './errors.js';
import { checkProgress, checkSignal, optionsJson, splitParams } from './inputs.js';
import { previousSource } from './previous-source.js';

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

  // The streaming sync as one result: `changes` gathered from the batches (held whole: for
  // lists of any size use syncChanges() or `report`), the new snapshot as bytes unless
  // `snapshotTo` takes it page by page.
  async sync(previous, options) {
    const changes = { added: [], removed: [], changed: [], anonymized: [] };
    let end;
    for await (const step of this.#steps(previous, options, 'sync', false)) {
      if (step.end) {
        end = step.end;
        break;
      }
      for (const list of ['added', 'removed', 'changed', 'anonymized']) {
        const into = changes[list];
        for (const item of step.batch[list]) into.push(item);
      }
    }
    const s = end.summary;
    // With `report` or `updates` the changes went to those files only: `changes` has no lists.
    const whole = { ...(end.gathered ? changes : {}), duplicateKeys: s.duplicateKeys, unchanged: s.unchanged, counts: s.counts };
    if (s.baseline) whole.baseline = true;
    const result = { changes: whole, snapshot: end.snapshot, records: end.records, pages: end.pages };
    if (end.updates) result.updates = end.updates;
    return result;
  }

  // The streaming sync as batches of changes, handed out as they are found (an async
  // iterable of `{ added, removed, changed, anonymized }`); once the loop ends, `result`
  // holds `{ counts, duplicateKeys, unchanged, snapshot, records, pages }`. Leaving the loop
  // early stops the sync (no snapshot is made).
  syncChanges(previous, options) {
    const steps = this.#steps(previous, options, 'syncChanges', true);
    const run = {
      result: undefined,
      async *[Symbol.asyncIterator]() {
        for await (const step of steps) {
          if (step.end) {
            const { summary, gathered: _, updates, ...rest } = step.end;
            run.result = { ...summary, ...rest, ...(updates ? { updates } : {}) };
            return;
          }
          yield step.batch;
        }
      },
    };
    return run;
  }

  // The streaming sync, step by step: `{ batch }` for each batch of changes, then `{ end }`.
  // Batches are made for `syncChanges` (`always`) and for `sync` without a report.
  // The records module reads every page itself and compares it with `previous`, which it
  // indexes first (read in pieces: from a Blob it is never held whole) and whose spans it
  // asks for when a changed or removed record needs its old values. Each call into the
  // module is made from here or from the helpers called inside its `try`, so that a trap
  // reaches this catch. With `snapshotTo` (a WritableStream) the new snapshot goes there
  // page by page: it is closed once the sync is complete, and aborted if it fails.
  async *#steps(previous, options, fn, always) {
    const { snapshotTo, report, updates, signal: ownSignal, onProgress: ownProgress, engineOptions } = splitSyncOptions(options, fn);
    const gather = always || (report === undefined && updates === undefined);
    const signal = ownSignal ?? this.#signal;
    const onProgress = ownProgress ?? this.#onProgress;
    const source = previousSource(previous);
    previous = undefined;
    const rec = await this.#client._runtime().records();
    let job;
    try {
      job = new rec.module.RawSync(this.#client._options(), this.#method, this.#params, optionsJson(engineOptions), signal);
    } catch (e) {
      throw rec.failure(e);
    }
    // The writers of the new snapshot, the report and the update files, where asked for.
    const sinks = {};
    let failure = null;
    let finished = false;
    try {
      if (report) job.startReport(report.format, optionsJson(report.options), report.onWarning !== undefined);
      if (updates) job.startUpdates(optionsJson(updates.options));
      sinks.snapshot = snapshotTo?.getWriter();
      sinks.report = report?.to.getWriter();
      sinks.updates = updates && UPDATE_FILES.map((f) => updates[f].getWriter());
      await readPrevious(job, source);
      for await (const _page of pull(job, onProgress, () => job.push())) yield* drain(job, source, gather, sinks);
      job.endPages();
      yield* drain(job, source, gather, sinks);
      const out = job.finish();
      await endSinks(sinks, out, report);
      finished = true;
      const updated = out.updates ? { updates: JSON.parse(out.updates.summary) } : {};
      yield { end: { summary: JSON.parse(out.summary), snapshot: sinks.snapshot ? null : out.snapshot, records: out.records, pages: out.pages, gathered: gather, ...updated } };
    } catch (e) {
      failure = { error: e };
      throw rec.failure(e);
    } finally {
      // Failed, or left early (the caller's loop broke): the sync stops, nothing is committed.
      if (!finished) {
        const reason = failure ? failure.error : new Error('the sync was stopped before its end');
        for (const s of [sinks.snapshot, sinks.report, ...(sinks.updates ?? [])]) s?.abort(reason).catch(() => {});
      }
      finalize(rec, job, failure !== null);
    }
  }
}

// The previous snapshot into a sync job, in pieces (none: the first sync).
async function readPrevious(job, source) {
  if (source) {
    for await (const piece of source.pieces()) job.feedPrevious(piece);
    job.endPrevious();
  } else {
    job.noPrevious();
  }
}

// After each page of a sync (and for the removed records at the end): the previous values
// the job asks for, then the changes complete so far (`{ batch }`, when `gather`), and the
// new pieces of the report, the update files and the snapshot.
async function* drain(job, source, gather, sinks) {
  for (let more = true; more; ) {
    const spans = job.wanted();
    more = spans !== undefined;
    if (more && spans.length > 0) job.supply(await source.read(spans));
    const batch = job.takeChanges(gather);
    if (batch !== undefined) yield { batch: JSON.parse(batch) };
  }
  if (sinks.report) {
    const piece = job.takeReport();
    if (piece.length > 0) await sinks.report.write(piece);
  }
  if (sinks.updates) await writeUpdates(sinks.updates, job.takeUpdates());
  if (sinks.snapshot) await sinks.snapshot.write(job.takeSnapshot());
}

// A finished sync's last pieces, each stream then closed. The report first: a snapshot is
// only complete once the changes it stands for are out.
async function endSinks(sinks, out, report) {
  if (sinks.report) {
    await sinks.report.write(out.report);
    await sinks.report.close();
    for (const w of out.warnings) report.onWarning(w);
  }
  if (sinks.updates) {
    await writeUpdates(sinks.updates, out.updates);
    for (const s of sinks.updates) await s.close();
  }
  if (sinks.snapshot) {
    await sinks.snapshot.write(out.snapshot);
    await sinks.snapshot.close();
  }
}

// The options this layer handles — `snapshotTo`, and `signal` and `onProgress` (which may be
// given to the sync as to the list call; the sync's own win) — apart from those the records
// module checks. Each is checked before anything is read.
function splitSyncOptions(options, fn) {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) return { engineOptions: options };
  const { snapshotTo, report, updates, signal, onProgress, ...engineOptions } = options;
  if (snapshotTo !== undefined && typeof snapshotTo?.getWriter !== 'function') {
    throw invalid('snapshotTo', `${fn}(): snapshotTo must be a WritableStream (e.g. an OPFS file's createWritable(), or Writable.toWeb(fs.createWriteStream(file)) in Node)`);
  }
  return { snapshotTo, report: splitReport(report, fn), updates: splitUpdates(updates, fn), signal: checkSignal(signal), onProgress: checkProgress(onProgress, fn), engineOptions };
}

// The update files' streams, in the order the records module hands out their pieces.
const UPDATE_FILES = ['to', 'createdTo', 'removedTo'];

// `updates: { to, createdTo, removedTo, ...updateFile options }`: the three streams checked
// here (each required: customers added or removed in Cube are never dropped), the rest by
// the records module (`startUpdates`), all before any request.
function splitUpdates(updates, fn) {
  if (updates === undefined) return undefined;
  if (updates === null || typeof updates !== 'object' || Array.isArray(updates)) {
    throw invalid('updates', `${fn}(): updates must be an object such as { mapping: 'salesforce', to, createdTo, removedTo } (three WritableStreams)`);
  }
  const { to, createdTo, removedTo, ...options } = updates;
  for (const [name, stream] of [['to', to], ['createdTo', createdTo], ['removedTo', removedTo]]) {
    if (typeof stream?.getWriter !== 'function') {
      const what = { to: 'the updates file', createdTo: 'the customers added in Cube', removedTo: 'the customers no longer in Cube' }[name];
      throw invalid('updates', `${fn}(): updates.${name} must be a WritableStream, where ${what} go (Writable.toWeb(fs.createWriteStream(file)) in Node, an OPFS file's createWritable() in a browser)`);
    }
  }
  return { to, createdTo, removedTo, options };
}

// The update files' new pieces, each to its stream.
async function writeUpdates(sinks, pieces) {
  const list = [pieces.updates, pieces.created, pieces.removed];
  for (let i = 0; i < sinks.length; i++) if (list[i].length > 0) await sinks[i].write(list[i]);
}

// `report: { to, format, onWarning, ...changeSheet options }`: `to` and `onWarning` checked
// here, the rest by the records module (`startReport`), all before any request.
function splitReport(report, fn) {
  if (report === undefined) return undefined;
  if (report === null || typeof report !== 'object' || Array.isArray(report)) {
    throw invalid('report', `${fn}(): report must be an object such as { to: aWritableStream, format: 'xlsx' }`);
  }
  const { to, format = 'xlsx', onWarning, ...options } = report;
  if (typeof to?.getWriter !== 'function') {
    throw invalid('report', `${fn}(): report.to must be a WritableStream (an OPFS file's createWritable(), or Writable.toWeb(fs.createWriteStream(file)) in Node)`);
  }
  if (onWarning !== undefined && typeof onWarning !== 'function') throw invalid('onWarning', `${fn}(): report.onWarning must be a function`);
  return { to, format: typeof format === 'string' ? format : String(format), onWarning, options };
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
