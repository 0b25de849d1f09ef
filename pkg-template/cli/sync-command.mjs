// `cube sync`: the nightly job in one command. The streaming sync reads every page of a list
// into the sync engine, compares it with the state file, writes the changes (-o) and then
// replaces the state file — each atomically, and only after a complete sync. The exit code
// says whether anything changed (0: no, 10: yes).
//
// Order matters: the changes are written before the state. If the state cannot be written,
// the next run reports the same changes again (at least once, never lost).

import { readFile } from 'node:fs/promises';
import { COMMON_OPTIONS, CONNECTION_OPTIONS, OUTPUT_OPTIONS, parse } from './args.mjs';
import { COMMANDS, LIST_PARAMS, findCommand, flagOf, paramHelp } from './endpoints.mjs';
import { EXIT, FileError, UsageError } from './errors.mjs';
import { changeRows, changeSheet } from '../node/index.mjs';
import { checkSink, chooseFormat, fileOptions } from './formats.mjs';
import { SYNC_SUMMARY, commandHelp } from './help.mjs';
import { openOutput, writeFileAtomically } from './output.mjs';
import { createProgress } from './progress.mjs';

const LISTS = COMMANDS.filter((c) => c.shape === 'pages').map((c) => c.name);

const SYNC_OPTIONS = {
  state: { type: 'string', help: 'FILE   the state of the last sync; replaced atomically after a complete sync' },
  list: { type: 'string', help: `NAME   the list to sync: ${LISTS.join(', ')} (default customers)` },
  key: { type: 'string', help: 'FIELD  the field that matches records (default crm__customer_id)' },
  'ignore-fields': { type: 'string', help: 'A,B    fields left out of the comparison (comma-separated)' },
  strict: { type: 'boolean', help: '       compare JSON values exactly ("233" differs from 233)' },
  store: { type: 'string', help: 'WHAT   values (default: field-level changes) or fingerprints (a smaller state)' },
  'allow-other-origin': { type: 'boolean', help: '       accept a state made against another Cube origin (the same Cube under another name, or the sandbox on another port)' },
};

function listOptions() {
  return Object.fromEntries(LIST_PARAMS.map((p) => [flagOf(p), { type: 'string', help: paramHelp(p) }]));
}

const options = () => ({ ...SYNC_OPTIONS, ...listOptions(), ...OUTPUT_OPTIONS, ...CONNECTION_OPTIONS, ...COMMON_OPTIONS });

export function help() {
  return commandHelp({
    usage: 'cube sync --data-owner ID --crm B2C --state FILE [-o changes.xlsx] [--list customers]',
    summary: `${SYNC_SUMMARY}.`,
    notes: `
The first run (no state file yet) reports every record as added. Each run writes the changes
(-o, default standard output) and then the new state; a failed or interrupted sync writes
neither, so running it again is always safe.

Changes: json gives the whole report ({added, removed, changed: [{key, fields: [{field,
before, after}], …}], anonymized, duplicateKeys, unchanged}); xlsx, csv and ndjson give the
changes report for people: one row per changed field (Change, Customer ID, Name, Field,
Before, After, Updated, Updated by, Update method, Field key; custom fields by their label
for the customers list), one row per added or removed record. In xlsx every cell is text.

Exit code: 0 nothing changed, 10 something changed (see \`cube --help\` for the others).
In a script under \`set -e\`: \`cube sync … || [ $? -eq 10 ]\`.`,
    groups: [['sync', SYNC_OPTIONS], ['list parameters', listOptions()], ['output', OUTPUT_OPTIONS], ['connection', CONNECTION_OPTIONS], ['other', COMMON_OPTIONS]],
  });
}

/** The changes report (one row per changed field) in `format`: xlsx and csv as files, ndjson as rows. */
async function writeReport(format, sink, changes, options) {
  if (format === 'ndjson') {
    let text = '';
    for (const row of await changeRows(changes, options.report)) text += `${JSON.stringify(row)}\n`;
    if (text) await sink.write(text);
    return;
  }
  const file = format === 'csv'
    ? { format: 'csv', delimiter: options.csv.delimiter, bom: options.csv.bom, formulaGuard: options.csv.formulaGuard }
    : { format: 'xlsx' };
  await sink.write(await changeSheet(changes, { ...options.report, ...file }));
}

async function readState(file) {
  try {
    return await readFile(file);
  } catch (e) {
    if (e.code === 'ENOENT') return null;
    throw new FileError(`cannot read the state file ${file}: ${e.code ?? e.message}`, 'Check the path and its permissions.');
  }
}

export async function run(argv, session) {
  const { values, positionals } = parse('sync', argv, options());
  if (values.help) {
    process.stdout.write(help());
    return 0;
  }
  if (positionals.length > 0) throw new UsageError('sync takes no arguments besides flags', 'See `cube sync --help`.');
  const list = findCommand(values.list ?? 'customers');
  if (!list || list.shape !== 'pages') {
    throw new UsageError(`--list ${values.list} is not a list`, `Use one of ${LISTS.join(', ')}.`);
  }
  if (!values.state) throw new UsageError('sync needs --state FILE (where the last sync\'s state is kept)', 'See `cube sync --help`.');
  session.flagOfParam = (param) => (LIST_PARAMS.includes(param) ? `--${flagOf(param)}` : { ignoreFields: '--ignore-fields', loose: '--strict', previous: '--state' }[param] ?? (param in SYNC_OPTIONS ? `--${param}` : undefined));
  const params = {};
  for (const p of LIST_PARAMS) {
    const v = values[flagOf(p)];
    if (v === undefined) continue;
    if (!list.params.includes(p)) throw new UsageError(`sync --list ${list.name} takes no --${flagOf(p)}`, 'See `cube sync --help`.');
    params[p] = v;
  }
  const syncOptions = {};
  if (values.key !== undefined) syncOptions.key = values.key;
  if (values['ignore-fields'] !== undefined) syncOptions.ignoreFields = values['ignore-fields'].split(',').map((f) => f.trim()).filter(Boolean);
  if (values.strict) syncOptions.loose = false;
  if (values.store !== undefined) syncOptions.store = values.store;
  if (values['allow-other-origin']) syncOptions.allowOtherOrigin = true;
  const format = chooseFormat(values.format, values.output, 'json');
  const formatOptions = fileOptions(values);

  const client = await session.connect(values);
  const progress = createProgress(`sync ${list.name}`, { quiet: values.quiet });
  const pager = client[list.method]({ ...params, signal: session.signal, onProgress: (p) => progress.update(p) });
  const previous = await readState(values.state);
  const sink = await openOutput(values.output);
  try {
    checkSink(format, sink);
    const { changes, snapshot, records, pages } = await pager.sync(previous, syncOptions);
    if (format === 'json') {
      await sink.write(`${JSON.stringify(changes, null, 2)}\n`);
    } else {
      const report = { ...(syncOptions.key ? { key: syncOptions.key } : {}) };
      // Custom fields by their labels: one more request, for the customers of a CRM.
      if (list.method === 'customers') report.customFields = await client.customFields({ ...params, signal: session.signal });
      await writeReport(format, sink, changes, { ...formatOptions, report });
    }
    await sink.commit();
    writeFileAtomically(values.state, snapshot);
    const changed = changes.added.length + changes.changed.length + changes.removed.length;
    progress.done(
      `sync ${list.name}: ${records} records, ${pages} pages; changed ${changes.changed.length}, added ${changes.added.length}, ` +
        `removed ${changes.removed.length}, unchanged ${changes.unchanged}, anonymized ${changes.anonymized.length} (not matched)` +
        `${previous ? '' : ' (first sync: no state yet)'}${sink.isFile ? ` → ${sink.file}` : ''}; state saved to ${values.state}`,
    );
    return changed > 0 ? EXIT.changes : EXIT.ok;
  } catch (e) {
    progress.clear();
    await sink.discard();
    if (e?.param === 'previous') e.message = e.message.replace('pass { allowOtherOrigin: true }; else pass null to start over', 'add --allow-other-origin; else start over with another --state file');
    session.resume = `Nothing was written${sink.isFile ? ` to ${sink.file}` : ''} and the state file ${values.state} is unchanged: run the same command again (a sync always starts over).`;
    throw e;
  }
}
