// `cube import-sheet crm-export.csv -o cube-import.xlsx`: a CRM's CSV export (UTF-8 with or
// without a BOM, the delimiter detected or given) turned into a sheet for Cube's Excel import.
// Every value stays text — ids, phones and postal codes keep their leading zeros and `+`.
// No request is made: this needs no credentials.

import { readFile } from 'node:fs/promises';
import { readMapping } from './mapping-file.mjs';
import { importSheet, readCsv } from '../node/index.mjs';
import { COMMON_OPTIONS, parse } from './args.mjs';
import { FileError, UsageError, warn } from './errors.mjs';
import { quote } from './quote.mjs';
import { checkFormatFlags, checkSink, chooseFormat, csvDelimiter } from './formats.mjs';
import { IMPORT_SUMMARY, commandHelp } from './help.mjs';
import { openOutput } from './output.mjs';
import { removeLeftovers } from './atomic-file.mjs';
import { outputTarget } from './targets.mjs';

const OPTIONS = {
  output: { type: 'string', short: 'o', help: 'FILE   the sheet (whole or not at all); default standard output' },
  format: { type: 'string', help: 'FMT    xlsx (default) or csv (from the -o extension when not given)' },
  delimiter: { type: 'string', help: 'D      the input\'s delimiter: ",", ";", "tab" or "|" (default: detected)' },
  'sheet-name': { type: 'string', help: 'NAME   the sheet name (default Customers)' },
  bom: { type: 'boolean', help: '       csv output: start with a UTF-8 byte-order mark' },
  'no-formula-guard': { type: 'boolean', help: '       csv output: write cells starting with = + - @ as they are' },
  mapping: { type: 'string', help: 'M      read FILE as a CRM\'s export through a mapping: a preset (dynamics365, salesforce, hubspot) or a mapping FILE.json' },
};

export function help() {
  return commandHelp({
    usage: 'cube import-sheet FILE.csv [-o cube-import.xlsx] [--delimiter ";"] [--mapping salesforce|FILE.json]',
    summary: `${IMPORT_SUMMARY}.`,
    notes: `
FILE is UTF-8, with or without a byte-order mark (\`-\` reads standard input). The first row
is the header; every column keeps its header, in order, for mapping in Cube's import. Every
value is written as text, so ids, phones and postal codes keep leading zeros and "+".
.xlsx is the format for people; csv output guards against formula injection (a cell starting
with = + - @ tab or CR gets a leading ') unless --no-formula-guard.
A quoted field that is never closed, or text after a closing quote, is an error naming its
line and column. An .xlsx cell holds at most 32,767 characters: a longer value is cut there,
with a warning on stderr naming its row and column (printed even with --quiet).
--mapping reads FILE as the CRM's export through a mapping (a preset's name, or a JSON file
made from one): its id column becomes Customer ID, first and last name are joined into Name,
phones become E.164 (+4791234567) under Phone 1..3, custom fields go under their label;
columns the mapping does not name are left out. A mistake in the mapping names its JSON path.`,
    groups: [['flags', OPTIONS], ['other', COMMON_OPTIONS]],
  });
}

async function readInput(file, stdin) {
  try {
    if (file !== '-') return await readFile(file);
    const chunks = [];
    for await (const c of stdin) chunks.push(c);
    return Buffer.concat(chunks);
  } catch (e) {
    throw new FileError(`cannot read ${quote(file)}: ${e.code ?? e.message}`, 'Check the path and its permissions.');
  }
}

export async function run(argv, invocation) {
  const { values, positionals } = parse('import-sheet', argv, { ...OPTIONS, ...COMMON_OPTIONS });
  if (values.help) {
    process.stdout.write(help());
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError('import-sheet needs one CSV file (or `-` for standard input)', 'See `cube import-sheet --help`.');
  }
  const [file] = positionals;
  const format = chooseFormat(values.format, values.output, 'xlsx');
  if (format !== 'xlsx' && format !== 'csv') throw new UsageError(`import-sheet writes xlsx or csv, not ${format}`, 'Use --format xlsx or csv.');
  // --delimiter is the input's here: every format takes it.
  checkFormatFlags(format, { ...values, delimiter: undefined });
  const delimiter = values.delimiter === undefined ? undefined : csvDelimiter(values.delimiter);
  invocation.flagOfParam = (param) => (param.startsWith('mapping') ? '--mapping' : { delimiter: '--delimiter', sheetName: '--sheet-name' }[param]);
  const target = outputTarget(values.output);
  if (target.mode === 'replace') removeLeftovers(target.name);

  const bytes = await readInput(file, invocation.stdin);
  let table;
  try {
    table = await readCsv(bytes, delimiter === undefined ? {} : { delimiter });
  } catch (e) {
    if (e.param !== 'csv') throw e;
    throw new UsageError(`${quote(file)}: ${e.message}`, values.delimiter === undefined
      ? 'Fix the file, or give --delimiter if the detected one is wrong.'
      : 'Fix the file, or check --delimiter.');
  }
  const columns = values.mapping === undefined
    ? { columns: table.headers.map((h) => ({ field: h, header: h })), textFields: table.headers }
    : { mapping: await readMapping(values.mapping) };
  const sheet = await importSheet(table.records, {
    ...columns,
    format,
    sheetName: values['sheet-name'] ?? 'Customers',
    delimiter: table.delimiter,
    bom: Boolean(values.bom),
    formulaGuard: !values['no-formula-guard'],
    onWarning: warn,
  });
  const sink = await openOutput(target, values.output, invocation.signal);
  try {
    checkSink(format, sink);
    await sink.write(sheet);
    await sink.commit();
  } catch (e) {
    await sink.discard();
    invocation.resume = sink.isFile ? `Nothing was written to ${sink.file}.` : sink.file ? `${sink.file} may hold part of the sheet.` : undefined;
    throw e;
  }
  if (!values.quiet) {
    const shown = table.delimiter === '\t' ? 'tab' : table.delimiter;
    process.stderr.write(
      `import-sheet: ${table.records.length} rows × ${table.headers.length} columns from ${file} (delimiter "${shown}")${sink.file ? ` → ${sink.file}` : ''}\n`,
    );
  }
  return 0;
}
