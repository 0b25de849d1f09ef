// One command per endpoint: its parameters as flags, its answer in the chosen format.
// Lists stream page by page (json, ndjson) with progress on stderr; single answers are
// written whole.

import { readFile } from 'node:fs/promises';
import { COMMON_OPTIONS, CONNECTION_OPTIONS, OUTPUT_OPTIONS, integer, parse } from './args.mjs';
import { flagOf, paramHelp } from './endpoints.mjs';
import { FileError, UsageError } from './errors.mjs';
import { quote } from './quote.mjs';
import { checkFileOptions, checkFormatFlags, checkSink, chooseFormat, fileOptions, recordWriter, writeValue } from './formats.mjs';
import { commandHelp } from './help.mjs';
import { openOutput } from './output.mjs';
import { removeLeftovers } from './atomic-file.mjs';
import { outputTarget } from './targets.mjs';
import { createProgress } from './progress.mjs';

function ownOptions(command) {
  const own = {};
  for (const p of command.params) own[flagOf(p)] = { type: 'string', help: paramHelp(p) };
  if (command.shape === 'pages') own.limit = { type: 'string', help: 'N      stop after N records' };
  return own;
}

function options(command) {
  return { ...ownOptions(command), ...OUTPUT_OPTIONS, ...CONNECTION_OPTIONS, ...COMMON_OPTIONS };
}

export function help(command) {
  const flags = command.params.filter((p) => p !== 'page').map((p) => `[--${flagOf(p)} …]`).join(' ');
  return commandHelp({
    usage: `cube ${command.name} ${flags} [-o FILE] [--format json|ndjson|csv|xlsx]`.replace(/\s+/g, ' '),
    summary: `${command.summary} (${command.http}; ${command.shape === 'pages' ? 'a list, read page by page' : 'one answer'}).`,
    notes: command.shape === 'pages'
      ? 'json and ndjson stream page by page in bounded memory; csv and xlsx are written at the end.'
      : '',
    groups: [['parameters', ownOptions(command)], ['output', OUTPUT_OPTIONS], ['connection', CONNECTION_OPTIONS], ['other', COMMON_OPTIONS]],
  });
}

async function readCustomer(source, stdin) {
  let text;
  try {
    text = source === '-' ? await (async () => {
      const chunks = [];
      for await (const c of stdin) chunks.push(c);
      return Buffer.concat(chunks).toString('utf8');
    })() : await readFile(source, 'utf8');
  } catch (e) {
    throw new FileError(`cannot read ${quote(source)}: ${e.code ?? e.message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`--data ${quote(source)} is not JSON`, 'Give a JSON object with customer_id and assignment_id.');
  }
}

export async function run(command, argv, invocation) {
  const { values, positionals } = parse(command.name, argv, options(command));
  if (values.help) {
    process.stdout.write(help(command));
    return 0;
  }
  if (positionals.length > 0) {
    throw new UsageError(`${command.name} takes no arguments besides flags (got ${positionals.length})`, `See \`cube ${command.name} --help\`.`);
  }
  const params = commandParams(command, values);
  const limit = integer(values, 'limit', 0);
  const format = chooseFormat(values.format, values.output, 'json');
  checkFormatFlags(format, values);
  const formatOptions = fileOptions(values);
  invocation.flagOfParam = (param) => (command.params.includes(param) ? `--${flagOf(param)}` : { sheetName: '--sheet-name', delimiter: '--delimiter' }[param]);
  await checkFileOptions(format, formatOptions);
  let body;
  if (command.params.includes('customer')) {
    if (params.customer === undefined) throw new UsageError(`${command.name} needs --data FILE (a JSON object, \`-\` for stdin)`, `See \`cube ${command.name} --help\`.`);
    body = await readCustomer(params.customer, invocation.stdin);
    delete params.customer;
  }

  const client = await invocation.connect(values);
  const progress = createProgress(command.name, { quiet: values.quiet });
  // Checked before the output is opened and before any request.
  const pager = command.shape === 'pages'
    ? client[command.method]({ ...params, signal: invocation.signal, onProgress: (p) => progress.update(p) })
    : null;
  if (!pager && !body) client._check(command.method, params);

  const target = outputTarget(values.output);
  if (target.mode === 'replace') removeLeftovers(target.name);
  const sink = await openOutput(target, values.output, invocation.signal);
  // The pages asked for start here; `written`: the last page written.
  const pages = { start: params.page ?? 1, written: (params.page ?? 1) - 1 };
  try {
    checkSink(format, sink);
    if (pager) {
      await writeList({ command, pager, limit, format, formatOptions, sink, progress, pages });
    } else {
      const value = body
        ? await client[command.method](body, { signal: invocation.signal })
        : await client[command.method]({ ...params, signal: invocation.signal });
      await writeValue(format, sink, value, formatOptions);
      await sink.commit();
    }
    return 0;
  } catch (e) {
    progress.clear();
    await sink.discard();
    invocation.resume = resumeHint(sink, pager !== null && format === 'ndjson', pages);
    throw e;
  }
}

/** The endpoint's parameters from the flags (`page` a whole number from 1). */
function commandParams(command, values) {
  const params = {};
  for (const p of command.params) {
    if (values[flagOf(p)] !== undefined) params[p] = values[flagOf(p)];
  }
  if (params.page !== undefined) params.page = integer(values, flagOf('page'), 1);
  return params;
}

/** A list, page by page, into `sink` (`pages.written` kept up to date), then committed. */
async function writeList({ command, pager, limit, format, formatOptions, sink, progress, pages }) {
  const writer = recordWriter(format, sink, formatOptions);
  let recordCount = 0;
  for await (const page of pager.pages({ limit })) {
    await writer.page(page.records);
    recordCount += page.records.length;
    pages.written = page.page;
  }
  await writer.end();
  await sink.commit();
  progress.done(`${command.name}: ${recordCount} records, ${pages.written - pages.start + 1} pages${sink.file ? ` → ${sink.file}` : ''}`);
}

/** What to tell the user after a failure, by what reached the output. `resumable`: ndjson pages, which can be continued from the next page. */
function resumeHint(sink, resumable, { start, written }) {
  if (sink.isFile) return `Nothing was written to ${sink.file}: run the same command again.`;
  if (sink.file) return `${sink.file} may hold part of the output: run the same command again.`;
  if (resumable && written >= start) return `Pages ${start}–${written} were written; to continue, run the same command with --page ${written + 1}.`;
  if (written >= start) return 'The output is incomplete: run the same command again.';
  return 'Run the same command again.';
}
