// Output formats: json, ndjson, csv and xlsx.
//
// json and ndjson stream: each page is written (and released) before the next is read, so a
// list of any length runs in bounded memory. csv and xlsx need every record first (a CSV's
// columns are the union of the records' fields; an .xlsx is a zip written at the end).
//
// CSV guards against formula injection by default (OWASP: a cell starting with `=`, `+`,
// `-`, `@`, tab or CR gets a leading `'`); `--no-formula-guard` turns that off for programs
// that read the file. `.xlsx` is the format for people: ids and phones are text cells and
// nothing is evaluated. A cell longer than an .xlsx cell holds (32,767 characters) is cut,
// with a warning line on stderr naming it.

import { toCsv, toXlsx } from '../node/index.mjs';
import { UsageError, warn } from './errors.mjs';
import { quote } from './quote.mjs';

export const FORMATS = ['json', 'ndjson', 'csv', 'xlsx'];

const BY_EXTENSION = { '.json': 'json', '.ndjson': 'ndjson', '.jsonl': 'ndjson', '.csv': 'csv', '.xlsx': 'xlsx' };

/** The format: `--format`, else the output file's extension, else `fallback`. */
export function chooseFormat(flag, file, fallback = 'json') {
  if (flag !== undefined) {
    if (!FORMATS.includes(flag)) {
      throw new UsageError(`unknown format ${quote(flag)}`, `Use one of ${FORMATS.join(', ')}.`);
    }
    return flag;
  }
  const ext = file ? /\.[a-z]+$/i.exec(file)?.[0]?.toLowerCase() : undefined;
  return BY_EXTENSION[ext] ?? fallback;
}

/** Flags that only one format reads; given with another, they would be ignored without a word. */
const FLAGS_OF_FORMAT = { 'sheet-name': 'xlsx', delimiter: 'csv', bom: 'csv', 'no-formula-guard': 'csv' };

/** Refuse a flag that the chosen format would ignore (before any request). */
export function checkFormatFlags(format, flags) {
  for (const [flag, owner] of Object.entries(FLAGS_OF_FORMAT)) {
    if (flags[flag] !== undefined && format !== owner) {
      throw new UsageError(`--${flag} is for ${owner} output, and this output is ${format}`, `Leave --${flag} out, or write ${owner} (--format ${owner}).`);
    }
  }
}

/** Refuse binary output to a terminal before anything is fetched. */
export function checkSink(format, sink) {
  if (format === 'xlsx' && !sink.isFile && sink.isTTY) {
    throw new UsageError('an .xlsx file is binary and standard output is a terminal', 'Write it to a file with -o FILE.xlsx.');
  }
}

const DELIMITERS = { ',': ',', ';': ';', tab: '\t', '\\t': '\t', '\t': '\t', '|': '|' };

/** `--delimiter` as the CSV writer takes it. */
export function csvDelimiter(flag) {
  if (flag === undefined) return ',';
  const d = DELIMITERS[flag];
  if (!d) throw new UsageError(`unknown delimiter ${quote(flag)}`, 'Use ",", ";", "tab" or "|".');
  return d;
}

/** Write an empty csv or xlsx file in memory, so that a bad option fails before any request. */
export async function checkFileOptions(format, options) {
  if (format === 'csv') await toCsv([{ x: '' }], options.csv);
  if (format === 'xlsx') await toXlsx([{ x: '' }], options.xlsx);
}

/** Options of the CSV and XLSX writers from the flags. */
export function fileOptions(flags) {
  return {
    csv: { delimiter: csvDelimiter(flags.delimiter), bom: Boolean(flags.bom), formulaGuard: !flags['no-formula-guard'] },
    xlsx: { sheetName: flags['sheet-name'] ?? 'Sheet1' },
  };
}

/**
 * A writer of records in `format` to `sink`: `page(records)` for each page in order, then
 * `end()`. Only json and ndjson write before `end()`.
 */
export function recordWriter(format, sink, options) {
  if (format === 'ndjson') {
    return {
      async page(records) {
        if (records.length === 0) return;
        let text = '';
        for (const r of records) text += `${JSON.stringify(r)}\n`;
        await sink.write(text);
      },
      async end() {},
    };
  }
  if (format === 'json') {
    let first = true;
    return {
      async page(records) {
        if (records.length === 0) return;
        let text = first ? '[\n' : ',\n';
        first = false;
        text += records.map((r) => JSON.stringify(r)).join(',\n');
        await sink.write(text);
      },
      async end() {
        await sink.write(first ? '[]\n' : '\n]\n');
      },
    };
  }
  const all = [];
  return {
    async page(records) {
      for (let i = 0; i < records.length; i++) all.push(records[i]);
    },
    async end(columns) {
      const bytes = format === 'csv'
        ? await toCsv(all, { ...options.csv, ...(columns && all.length === 0 ? { columns } : {}) })
        : await toXlsx(all, { ...options.xlsx, onWarning: warn, ...(columns && all.length === 0 ? { columns } : {}) });
      await sink.write(bytes);
    },
  };
}

/** Write one answer (an object or an array) in `format`. */
export async function writeValue(format, sink, value, options) {
  if (format === 'json') {
    await sink.write(`${JSON.stringify(value, null, 2)}\n`);
    return;
  }
  const writer = recordWriter(format, sink, options);
  await writer.page(Array.isArray(value) ? value : [value]);
  await writer.end();
}
