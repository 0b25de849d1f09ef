// `cube sync --mapping salesforce --updates updates.csv`: the CRM's update files, written by
// the sync as it finds the changes (never held whole), beside or instead of the -o report.
//
// Three files: --updates (one row per customer changed in Cube, keyed by the CRM's id),
// --created (customers added in Cube) and --removed (customers no longer in Cube); the last
// two default to names beside --updates (updates-created.csv, updates-removed.csv). All three
// are in --updates' format: xlsx for a .xlsx name, else CSV in the mapping's conventions.
// Each is a file the user names, treated as -o is: a regular file is replaced whole when the
// sync is complete (a symlink's target, keeping its mode), a device or FIFO is written into.
// A regular file that would have no rows is not written, as -o when nothing changed.
//
// Every flag, the mapping and the files are checked before the first request.

import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { mappingPreset, readCsv } from '../node/index.mjs';
import { FileError, UsageError } from './errors.mjs';
import { readMapping } from './mapping-file.mjs';
import { openOutput } from './output.mjs';
import { quote, quotePath } from './quote.mjs';
import { removeLeftovers } from './atomic-file.mjs';
import { outputTarget } from './targets.mjs';

export const UPDATE_OPTIONS = {
  mapping: { type: 'string', help: 'M      write the CRM\'s update files through a mapping: a preset (dynamics365, salesforce, hubspot) or a mapping FILE.json' },
  updates: { type: 'string', help: 'FILE   the CRM\'s update file: a row per customer changed in Cube (CSV; xlsx for a .xlsx name)' },
  created: { type: 'string', help: 'FILE   customers added in Cube (default: beside --updates, NAME-created.EXT)' },
  removed: { type: 'string', help: 'FILE   customers no longer in Cube (default: beside --updates, NAME-removed.EXT)' },
  'crm-records': { type: 'string', help: 'FILE   the CRM\'s CSV export: its first names split a changed name right' },
};

/** The update flags given, as the user wrote them. */
export function updateFlagsGiven(values) {
  return Object.keys(UPDATE_OPTIONS).filter((k) => values[k] !== undefined).map((k) => `--${k}`);
}

/** `updates.csv` → `updates-created.csv`. */
function beside(file, what) {
  const ext = path.extname(file);
  return `${file.slice(0, file.length - ext.length)}-${what}${ext}`;
}

/**
 * The update files' plan from the flags, checked (null without --updates): the mapping as
 * given, the format, and the three targets. `taken`: the real names -o and --state use.
 */
export async function updatePlan(values, list, taken) {
  const given = updateFlagsGiven(values);
  if (given.length === 0) return null;
  if (values.updates === undefined || values.mapping === undefined) {
    throw new UsageError(`${given.join(' and ')} ${given.length === 1 ? 'needs' : 'need'} ${values.updates === undefined ? '--updates FILE' : '--mapping M'}`, 'Give --mapping (a preset or FILE.json) and --updates FILE together; see `cube sync --help`.');
  }
  if (list.method !== 'customers') throw new UsageError(`--updates is for --list customers, not ${list.name}`, 'Sync the customers list for the CRM\'s update files.');
  const files = { updates: values.updates, created: values.created, removed: values.removed };
  const targets = { updates: outputTarget(values.updates, '--updates') };
  for (const what of ['created', 'removed']) {
    if (files[what] === undefined) {
      if (targets.updates.mode !== 'replace') {
        throw new UsageError(`--updates ${quotePath(values.updates)} is not a regular file, so --${what} has no default`, `Give --${what} FILE too.`);
      }
      files[what] = beside(values.updates, what);
    }
    targets[what] = outputTarget(files[what], `--${what}`);
  }
  const seen = new Map(taken.filter(([, name]) => name).map(([flag, name]) => [name, flag]));
  for (const what of ['updates', 'created', 'removed']) {
    const t = targets[what];
    const name = t.mode === 'stdout' ? 'standard output' : t.name ?? `descriptor ${t.fd}`;
    if (seen.has(name)) throw new UsageError(`--${what} and ${seen.get(name)} name the same file (${files[what]})`, 'Give each its own file.');
    seen.set(name, `--${what}`);
  }
  for (const t of Object.values(targets)) if (t.mode === 'replace') removeLeftovers(t.name);
  const format = path.extname(values.updates).toLowerCase() === '.xlsx' ? 'xlsx' : 'csv';
  const mapping = await readMapping(values.mapping);
  return { mapping, format, files, targets, crmRecords: values['crm-records'] };
}

/**
 * The CRM's own records for the name rule, from --crm-records: only the key and first-name
 * columns of each row are kept, so the export is not held past its read.
 */
async function crmFirstNames(plan) {
  if (plan.crmRecords === undefined) return undefined;
  const mapping = typeof plan.mapping === 'string' ? await mappingPreset(plan.mapping) : plan.mapping;
  const [key, first] = [mapping?.key?.crm, mapping?.name?.first];
  if (typeof key !== 'string' || typeof first !== 'string') return undefined;
  let bytes;
  try {
    bytes = await readFile(plan.crmRecords);
  } catch (e) {
    throw new FileError(`cannot read --crm-records ${quotePath(plan.crmRecords)}: ${e.code ?? e.message}`, 'Check the path and its permissions.');
  }
  let table;
  try {
    table = await readCsv(bytes);
  } catch (e) {
    throw new UsageError(`--crm-records ${quotePath(plan.crmRecords)}: ${e.message}`, 'Give the CRM\'s CSV export.');
  }
  bytes = undefined;
  if (!table.headers.includes(key)) {
    throw new UsageError(`--crm-records ${quotePath(plan.crmRecords)} has no column ${quote(key)} (the mapping's key.crm)`, `Its columns: ${table.headers.slice(0, 12).join(', ')}.`);
  }
  return table.records.map((r) => ({ [key]: r[key], [first]: r[first] ?? '' }));
}

/**
 * The files opened and the sync's `updates` option: `{ option, sinks, finish(summary,
 * noClobber), discard(), delivered() }`. `customFields` name the mapping's custom fields.
 */
export async function openUpdates(plan, signal, customFields) {
  const crmRecords = await crmFirstNames(plan);
  const sinks = {};
  for (const what of ['updates', 'created', 'removed']) {
    sinks[what] = await openOutput(plan.targets[what], `--${what} ${quotePath(plan.files[what])}`, signal);
  }
  const stream = (sink) => new WritableStream({ write: (chunk) => sink.write(chunk) });
  const option = {
    to: stream(sinks.updates),
    createdTo: stream(sinks.created),
    removedTo: stream(sinks.removed),
    mapping: plan.mapping,
    format: plan.format,
    ...(customFields ? { customFields } : {}),
    ...(crmRecords ? { crmRecords } : {}),
  };
  const all = Object.values(sinks);
  return {
    option,
    sinks,
    /** Which files get written: a regular file with no rows is not. */
    toWrite: (summary) => Object.entries(sinks).filter(([what, s]) => !s.isFile || summary[what] > 0),
    async discard() {
      for (const s of all) await s.discard();
    },
    delivered: () => all.some((s) => s.delivered),
    /** What each file got, for the summary line. */
    describe(summary) {
      return ['updates', 'created', 'removed']
        .map((what) => `${what} ${summary[what]}${sinks[what].isFile && summary[what] === 0 ? ' (not written)' : sinks[what].file ? ` → ${plan.files[what]}` : ''}`)
        .join(', ');
    },
  };
}

/** --no-clobber: refuse, before anything is committed, when a file of `names` ([shown, real name]) exists. */
export function keepExisting(names) {
  const there = names.find(([, name]) => existsSync(name));
  if (!there) return;
  throw Object.assign(new FileError(`${there[0]} exists, and --no-clobber keeps it`, 'Name another file.'), { kept: true });
}
