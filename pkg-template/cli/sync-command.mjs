// `cube sync`: the nightly job in one command. The streaming sync reads every page of a list
// into the sync engine, compares it with the state file, writes the changes (-o) and then
// replaces the state file — each only after a complete sync. The exit code says whether
// anything changed (0: no, 10: yes). --baseline saves the state with no report (sync-baseline.mjs).
//
// A run that finds no change leaves a regular -o file as it was (or absent): its empty report
// is dropped, never put over the last report that had changes (a nightly job's report of the
// morning, say). --no-clobber keeps an existing -o file even when there are changes: the run
// then writes nothing, keeps the state and exits 30, so the next run reports them again.
//
// Before the first request: every flag, the output (a regular file, or a device/FIFO written
// through), the state (a regular file or none yet, its folder writable) and the report's
// options (an empty report is written in memory) are checked, and the state file is locked
// (state-lock.mjs) so that an overlapping run stops at once with exit 31.
//
// Order matters: the changes are written before the state. If the run stops between the two,
// the next run reports the same changes again (at least once, never lost) and says so
// (state-file.mjs).

import { COMMON_OPTIONS, CONNECTION_OPTIONS, OUTPUT_OPTIONS, parse } from './args.mjs';
import { COMMANDS, LIST_PARAMS, findCommand, flagOf, paramHelp } from './endpoints.mjs';
import { EXIT, UsageError, redact, warn } from './errors.mjs';
import { quote, quotePath } from './quote.mjs';
import { changeSheet } from '../node/index.mjs';
import { checkFormatFlags, checkSink, chooseFormat, fileOptions } from './formats.mjs';
import { SYNC_SUMMARY, commandHelp } from './help.mjs';
import { openOutput } from './output.mjs';
import { removeLeftovers } from './atomic-file.mjs';
import { outputTarget, stateTarget } from './targets.mjs';
import { lockState } from './state-lock.mjs';
import { clearPending, inCommandLineWords, markPending, newState, pendingWarning, readPending, readState } from './state-file.mjs';
import { createProgress } from './progress.mjs';
import { baselineLocked, countsText, reportFlagsGiven } from './sync-baseline.mjs';
import { UPDATE_OPTIONS, keepExisting, openUpdates, updateFlagsGiven, updatePlan } from './sync-updates.mjs';

const LISTS = COMMANDS.filter((c) => c.shape === 'pages').map((c) => c.name);

const SYNC_OPTIONS = {
  state: { type: 'string', help: 'FILE   the state of the last sync; replaced atomically after a complete sync' },
  list: { type: 'string', help: `NAME   the list to sync: ${LISTS.join(', ')} (default customers)` },
  key: { type: 'string', help: 'FIELD  the field that matches records (default crm__customer_id; customer_id for the legacy lists)' },
  'ignore-fields': { type: 'string', help: 'A,B    fields left out of the comparison (comma-separated)' },
  strict: { type: 'boolean', help: '       compare JSON values exactly ("233" differs from 233)' },
  store: { type: 'string', help: 'WHAT   values (default: field-level changes) or fingerprints (a smaller state)' },
  'allow-other-origin': { type: 'boolean', help: '       accept a state made against another Cube origin (the same Cube under another name, or the sandbox on another port)' },
  baseline: { type: 'boolean', help: '       save the state with no report, counts on stderr (a first night: not a million "added" rows); exit 0' },
};

function listOptions() {
  return Object.fromEntries(LIST_PARAMS.map((p) => [flagOf(p), { type: 'string', help: paramHelp(p) }]));
}

// The changes sheet is called Changes unless --sheet-name says otherwise.
const SYNC_OUTPUT_OPTIONS = {
  ...OUTPUT_OPTIONS,
  'sheet-name': { ...OUTPUT_OPTIONS['sheet-name'], help: 'NAME   xlsx: the sheet name (default Changes)' },
  'no-clobber': { type: 'boolean', help: '       never replace an existing -o file: with changes to write and the file there, write nothing, keep the state, exit 30' },
};

const options = () => ({ ...SYNC_OPTIONS, ...listOptions(), ...SYNC_OUTPUT_OPTIONS, ...UPDATE_OPTIONS, ...CONNECTION_OPTIONS, ...COMMON_OPTIONS });

export function help() {
  return commandHelp({
    usage: 'cube sync --data-owner ID --crm B2C --state FILE [-o changes.xlsx | --baseline] [--mapping salesforce --updates updates.csv] [--list customers]',
    summary: `${SYNC_SUMMARY}.`,
    notes: `
The first run (no state file yet) reports every record as added. Each run writes the changes
(-o, default standard output) and then the new state; a failed or interrupted sync writes
neither, so running it again is always safe.

A run that finds no change (exit 0) does not write a regular -o file: one that exists is
left as it was, none is created (standard output, a device or a FIFO still gets the empty
report). So a nightly job never loses a report to a later run that found nothing, and needs
to delete nothing. --no-clobber never replaces an existing -o file: if a run has changes to
write and the file is there, it writes nothing, keeps the state and exits 30 (the next run
reports those changes again); for a report named per run, e.g. -o "changes/$(date +%F_%H%M%S).xlsx".

--baseline: the run saves the state and writes no report, only the counts on stderr
("baseline of N records, P pages; …; state saved to FILE"). For a first night, whose report
would list every customer as added; the next run reports the changes since. With a state
already there it starts over from what is read now (counted against that state, not
reported). It takes no -o or other output flag (exit 2, before any request: there is no
report to write) and exits 0.

Changes: json gives the whole report ({added, removed, changed: [{key, fields: [{field,
before, after}], …}], anonymized, duplicateKeys, unchanged, counts: {added, removed,
changed, unchanged, anonymized, duplicateKeys}}); xlsx, csv and ndjson give the
changes report for people: one row per changed field (Change, Customer ID, Name, Field,
Before, After, Updated, Updated by, Update method, Field key; custom fields by their label
for the customers list), one row per added or removed record. In xlsx every cell is text.

--mapping M --updates FILE: the CRM's update files, written as the changes are found (never
held whole), beside -o or instead of it (then no report is written): FILE has one row per
customer changed in Cube, keyed by the CRM's id, in the CRM's columns and conventions (a
changed field its new value, the others the mapping's "unchanged" cell, a cleared field its
"clear" cell); --created and --removed (default FILE-created and FILE-removed beside it) the
customers added in Cube and those no longer in Cube. xlsx for a .xlsx FILE, else CSV. A
regular file that would have no rows is not written; the summary's notes (anonymized
customers, clears the CRM cannot take, unmapped fields) follow on stderr. --crm-records
EXPORT.csv: the CRM's export, whose first names split a changed name right. See the package's
docs/crm-loop.md.

The state file is locked while a run uses it: a second run on the same state stops at
once with exit 31, before any request. A new state file is created with mode 0600; an
existing one (and an existing -o file) keeps its mode. A device or FIFO as -o is written
into; a symlink's target is replaced, the link stays. If a run stops after writing the
changes but before saving the state, the next run reports those changes again and warns.

Exit code: 0 nothing changed (no -o file written; and every --baseline run), 10 something
changed, 30 a file could not be written (--no-clobber: -o exists), 31 the state is in use by
another run (see \`cube --help\` for the others). In a script under \`set -e\`:
\`cube sync … || [ $? -eq 10 ]\`.`,
    groups: [['sync', SYNC_OPTIONS], ['list parameters', listOptions()], ['output', SYNC_OUTPUT_OPTIONS], ['update files for the CRM', UPDATE_OPTIONS], ['connection', CONNECTION_OPTIONS], ['other', COMMON_OPTIONS]],
  });
}

/** The sync's `report` options for `format` (csv, xlsx or ndjson) from the flags: one row per changed field. */
function reportFormat(format, options) {
  return format === 'ndjson' ? { format: 'ndjson', ...options.report } : { ...options.report, ...sheetFormat(format, options) };
}

/** changeSheet's file options for `format` (csv or xlsx) from the flags. */
function sheetFormat(format, options) {
  return format === 'csv'
    ? { format: 'csv', delimiter: options.csv.delimiter, bom: options.csv.bom, formulaGuard: options.csv.formulaGuard }
    : { format: 'xlsx', sheetName: options.sheetName, onWarning: warn };
}

const NO_CHANGES = { added: [], removed: [], changed: [], anonymized: [], duplicateKeys: [], unchanged: 0 };

/** Write an empty report in memory, so that a bad report option fails before any request. */
async function checkReportOptions(format, options) {
  if (format === 'csv' || format === 'xlsx') await changeSheet(NO_CHANGES, { ...options.report, ...sheetFormat(format, options) });
}

export async function run(argv, invocation) {
  const { values, positionals } = parse('sync', argv, options());
  if (values.help) {
    process.stdout.write(help());
    return 0;
  }
  if (positionals.length > 0) throw new UsageError('sync takes no arguments besides flags', 'See `cube sync --help`.');
  const list = findCommand(values.list ?? 'customers');
  if (!list || list.shape !== 'pages') {
    throw new UsageError(`--list ${quote(values.list)} is not a list`, `Use one of ${LISTS.join(', ')}.`);
  }
  if (values.state === undefined) throw new UsageError('sync needs --state FILE (where the last sync\'s state is kept)', 'See `cube sync --help`.');
  invocation.flagOfParam = (param) => (LIST_PARAMS.includes(param) ? `--${flagOf(param)}` : { ignoreFields: '--ignore-fields', loose: '--strict', previous: '--state', sheetName: '--sheet-name', delimiter: '--delimiter' }[param] ?? (param in SYNC_OPTIONS ? `--${param}` : undefined));
  const params = listParams(list, values);
  const syncOptions = syncOptionsOf(values);
  const refused = values.baseline ? [...reportFlagsGiven(values, SYNC_OUTPUT_OPTIONS), ...updateFlagsGiven(values)] : [];
  if (refused.length > 0) {
    throw new UsageError(`--baseline writes no report: leave out ${refused.join(', ')}`, 'A baseline run only saves the state; run without --baseline for a report.');
  }
  const reportWanted = values.output !== undefined || values.updates === undefined;
  if (values['no-clobber'] && (values.output === undefined || values.output === '-') && values.updates === undefined) {
    throw new UsageError('--no-clobber is for -o FILE, and the changes go to standard output', 'Leave --no-clobber out, or give -o FILE.');
  }
  const format = chooseFormat(values.format, values.output, values.updates === undefined ? 'json' : 'xlsx');
  checkFormatFlags(format, values);
  if (values.updates !== undefined && values.output !== undefined && format === 'json') {
    throw new UsageError('--updates takes an -o report in xlsx, csv or ndjson (a json report holds every change whole)', 'Give -o changes.xlsx, or leave -o out.');
  }
  const formatOptions = { ...fileOptions(values), sheetName: values['sheet-name'] ?? 'Changes' };
  const report = { ...(syncOptions.key ? { key: syncOptions.key } : {}) };
  await checkReportOptions(format, { ...formatOptions, report });
  const client = await invocation.connect(values);
  const progress = createProgress(`sync ${list.name}`, { quiet: values.quiet });
  // The list and its parameters are checked here, before any file is touched.
  let pagesRead = 0;
  const onProgress = (p) => {
    pagesRead = p.page;
    progress.update(p);
  };
  const pager = client[list.method]({ ...params, signal: invocation.signal, onProgress });
  const output = outputTarget(values.output);
  const state = stateTarget(values.state);
  if (output.mode !== 'stdout' && output.name === state.name) {
    throw new UsageError(`-o and --state name the same file (${values.output})`, 'Write the changes somewhere else.');
  }
  const updates = values.baseline ? null : await updatePlan(values, list, [['--state', state.name], ...(reportWanted ? [['-o', output.mode === 'stdout' ? 'standard output' : output.name]] : [])]);

  const lock = await lockState(state.name, quotePath(values.state));
  try {
    removeLeftovers(state.name);
    if (output.mode === 'replace') removeLeftovers(output.name);
    if (values.baseline) return await baselineLocked({ values, invocation, list, pager, progress, syncOptions, state });
    return await syncLocked({ values, invocation, client, list, params, pager, progress, syncOptions, format, formatOptions, report, output, state, updates, reportWanted, pagesRead: () => pagesRead });
  } finally {
    lock.release();
  }
}

/** The list's parameters from the flags; a flag of a parameter the list does not take is refused. */
function listParams(list, values) {
  const params = {};
  for (const p of LIST_PARAMS) {
    const v = values[flagOf(p)];
    if (v === undefined) continue;
    if (!list.params.includes(p)) throw new UsageError(`sync --list ${list.name} takes no --${flagOf(p)}`, 'See `cube sync --help`.');
    params[p] = v;
  }
  return params;
}

/** pager.sync's options from the flags. */
function syncOptionsOf(values) {
  const syncOptions = {};
  if (values.key !== undefined) syncOptions.key = values.key;
  if (values['ignore-fields'] !== undefined) syncOptions.ignoreFields = values['ignore-fields'].split(',').map((f) => f.trim()).filter(Boolean);
  if (values.strict) syncOptions.loose = false;
  if (values.store !== undefined) syncOptions.store = values.store;
  if (values['allow-other-origin']) syncOptions.allowOtherOrigin = true;
  return syncOptions;
}

/** No report (--updates without -o): a sink that takes nothing. */
const NO_REPORT = { isFile: false, file: null, delivered: false, write: async () => {}, commit: async () => {}, discard: async () => {} };

/** The sync itself, once the state file is locked. */
async function syncLocked(run) {
  const { values, invocation, client, list, params, pager, format, report, output, state, updates } = run;
  run.marker = readPending(state);
  if (run.marker) process.stderr.write(`cube: ${redact(pendingWarning(run.marker, quotePath(values.state)))}\n`);
  // Read here, let go once the sync has its copy (a large state is not held twice).
  run.previous = await readState(state, values.state);
  run.firstSync = run.previous === null;
  const noClobber = Boolean(values['no-clobber']);
  run.sink = run.reportWanted ? await openOutput(output, values.output, invocation.signal, { noClobber }) : NO_REPORT;
  run.files = null;
  // The new state is streamed to a temporary file as the pages arrive, and put in place last.
  run.next = await newState(state, values.state);
  try {
    checkSink(format, run.sink);
    // Custom fields by their labels: one more request, for the customers of a CRM, before
    // the sync (the report and the update files are written as the changes are found).
    const labelled = (run.reportWanted && format !== 'json') || updates;
    const customFields = labelled && list.method === 'customers' ? await client.customFields({ ...params, signal: invocation.signal }) : undefined;
    if (run.reportWanted && format !== 'json') report.customFields = customFields;
    if (updates) run.files = await openUpdates(updates, invocation.signal, customFields);
    // A marker left by an earlier run stays as it is until a state is saved. Set before the
    // report's first byte: into a pipe or device, bytes are delivered as they are written.
    if (!run.marker) await markPending(state, whereChangesGo(values));
    return await syncAndCommit(run, noClobber);
  } catch (e) {
    throw await failed(run, e);
  }
}

/** Where this run's changes go, for the next run's warning if it stops before the state. */
function whereChangesGo(values) {
  const report = values.output && values.output !== '-' ? values.output : values.updates === undefined || values.output === '-' ? 'standard output' : null;
  return [report, values.updates].filter(Boolean).join(' and ');
}

/** Runs the sync into the open outputs, then commits them and the state. */
async function syncAndCommit(run, noClobber) {
  const { values, list, pager, progress, syncOptions, format, formatOptions, report, sink, files, next, state } = run;
  // csv, xlsx and ndjson are written by the sync as it finds the changes (never held
  // whole); json is the whole `changes` object, written once the sync is complete.
  const streamed = run.reportWanted && format !== 'json' ? { report: { to: new WritableStream({ write: (chunk) => sink.write(chunk) }), ...reportFormat(format, { ...formatOptions, report }) } } : {};
  if (files) streamed.updates = files.option;
  const syncing = pager.sync(run.previous, { ...syncOptions, snapshotTo: next.stream, ...streamed });
  run.previous = null;
  const { changes, records: recordCount, pages, updates: summary } = await syncing;
  const changed = changes.counts.added + changes.counts.changed + changes.counts.removed;
  // No change: a regular file keeps the last report (or stays absent). A stream gets the
  // empty report, as its reader waits for one. The same for each update file with no rows.
  const unwritten = changed === 0 && sink.isFile;
  const written = files ? files.toWrite(summary) : [];
  // --no-clobber with update files: refused before any of them is committed.
  if (noClobber && files) {
    const names = written.filter(([, s]) => s.isFile).map(([what, s]) => [s.file, run.updates.targets[what].name]);
    if (!unwritten && sink.isFile) names.unshift([sink.file, run.output.name]);
    keepExisting(names);
  }
  if (unwritten) {
    await sink.discard();
  } else {
    if (format === 'json') await sink.write(`${JSON.stringify(changes, null, 2)}\n`);
    await sink.commit();
  }
  for (const [what, s] of files ? Object.entries(files.sinks) : []) {
    if (written.some(([w]) => w === what)) await s.commit();
    else await s.discard();
  }
  await next.commit();
  clearPending(state);
  const where = !run.reportWanted ? '' : unwritten ? `; nothing to report, ${sink.file} not written` : sink.file ? ` → ${sink.file}` : '';
  const updated = files ? `; ${files.describe(summary)}` : '';
  progress.done(
    `sync ${list.name}: ${recordCount} records, ${pages} pages; ${countsText(changes.counts)}` +
      `${run.firstSync ? ' (first sync: no state yet)' : ''}${where}${updated}; state saved to ${values.state}`,
  );
  // The summary's notes besides its first line (which the line above says): what reached no file.
  for (const line of summary?.messages.slice(1) ?? []) process.stderr.write(`cube: ${redact(line)}\n`);
  return changed > 0 ? EXIT.changes : EXIT.ok;
}

/** A run that failed: nothing committed, the error told where to resume. */
async function failed(run, e) {
  const { values, invocation, sink, files, next, state } = run;
  run.progress.clear();
  await sink.discard();
  await files?.discard();
  await next.discard();
  if (e?.code === 'out_of_memory') {
    const n = run.pagesRead();
    e.message = `the records module ran out of memory (wasm32 holds at most 4 GB) after ${n} ${n === 1 ? 'page' : 'pages'}`;
  }
  inCommandLineWords(e);
  const delivered = sink.delivered || Boolean(files?.delivered());
  const shown = [run.reportWanted ? sink.file ?? 'Standard output' : null, files ? values.updates : null].filter(Boolean).join(' and ');
  // Only changes that may have reached their reader can be repeated by the next run.
  if (!run.marker && !delivered) clearPending(state);
  invocation.resume = delivered
    ? `${shown} ${sink.isFile && !files ? 'holds' : 'may hold'} the changes, but the state file ${values.state} was not saved: the next run reports them again, and warns that they may repeat.`
    : `Nothing was written${sink.file ? ` to ${sink.file}` : ''} and the state file ${values.state} is unchanged: run the same command again (a sync always starts over).`;
  // --no-clobber kept the file there: the same command would find it again.
  if (e?.kept) e.hint = `Nothing was written and the state file ${values.state} is unchanged: the next run with ${files ? 'other file names' : 'another -o'} reports these changes.`;
  // A refused option or state was found before any request: nothing to resume.
  if (e?.code === 'invalid_argument') invocation.resume = undefined;
  return e;
}
