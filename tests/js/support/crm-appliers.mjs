// Reference appliers for the loop tests: each applies an update file to a CRM's records (the
// export fixture's rows, changed in place) the way that CRM's import does, as the preset's
// `notes` and `sources` document it, and refuses what that import would refuse. Small on
// purpose: they are read to check the package, so each rule is one line.
import { readCsv } from '../../../pkg/node/index.mjs';

const BOM = [0xef, 0xbb, 0xbf];
const hasBom = (bytes) => BOM.every((b, i) => bytes[i] === b);

/** The file's header and rows as the CRM's CSV reader sees them. */
async function read(bytes, delimiter) {
  const { headers, records } = await readCsv(bytes, { delimiter });
  return { headers, rows: records };
}

/**
 * Applies `rows` of an update file to `records` by `key`: `cell(value)` says what a cell does
 * (`{ set: text }` or `{ keep: true }`), per the CRM's rules. A key the CRM does not have, or
 * a column that is no field of the records, is an error, as the CRM's import reports it.
 */
function applyRows(records, key, headers, rows, cell, crm) {
  const byKey = new Map(records.map((r) => [r[key], r]));
  const fields = new Set(Object.keys(records[0] ?? {}));
  for (const h of headers) {
    if (!fields.has(h)) throw new Error(`${crm}: column "${h}" matches no field of the records`);
  }
  if (!headers.includes(key)) throw new Error(`${crm}: no "${key}" column to update by`);
  let applied = 0;
  for (const [i, row] of rows.entries()) {
    const record = byKey.get(row[key]);
    if (!record) throw new Error(`${crm}: row ${i + 2}: no record with ${key} "${row[key]}"`);
    for (const h of headers) {
      if (h === key) continue;
      const effect = cell(row[h]);
      if (!effect.keep) record[h] = effect.set;
    }
    applied++;
  }
  return applied;
}

/** The created and removed files: the loop creates and removes nothing, so they have no rows. */
async function nothingElse(files, delimiter, crm) {
  for (const which of ['created', 'removed']) {
    const { rows } = await read(files[which], delimiter);
    if (rows.length) throw new Error(`${crm}: ${which} has ${rows.length} rows; the loop expects none`);
  }
}

/**
 * Salesforce Data Loader, Update of Contact with "Use Bulk API" on: the file is read as
 * UTF-8 ("Read all CSVs with UTF-8 encoding"; no byte-order mark, which some versions refuse),
 * its headers are the fields' API names (Auto-Match), `Id` picks the record. An empty value
 * leaves the field as it is; `#N/A` sets it to null. Every other value is stored as it is
 * (a leading `'` included: Salesforce has no formula guard to undo).
 */
export async function salesforce(records, files) {
  if (hasBom(files.updates)) throw new Error('salesforce: the file starts with a byte-order mark');
  const { headers, rows } = await read(files.updates, ',');
  const applied = applyRows(records, 'Id', headers, rows, (v) => {
    if (v === '') return { keep: true };
    if (v === '#N/A') return { set: '' };
    return { set: v };
  }, 'salesforce');
  await nothingElse(files, ',', 'salesforce');
  return applied;
}

/**
 * Dynamics 365 import from CSV into contact, updating by the key the data map matches on
 * (`contactid`): UTF-8 with a byte-order mark, columns mapped by their logical names once.
 * An empty cell leaves the column as it is (the preset's convention); nothing clears a value.
 */
export async function dynamics365(records, files) {
  if (!hasBom(files.updates)) throw new Error('dynamics365: no byte-order mark (Excel and the wizard need it for æøå)');
  const { headers, rows } = await read(files.updates, ',');
  const applied = applyRows(records, 'contactid', headers, rows, (v) => (v === '' ? { keep: true } : { set: v }), 'dynamics365');
  await nothingElse(files, ',', 'dynamics365');
  return applied;
}

/**
 * HubSpot contacts import, updating the contact whose `Record ID` is in the row; headers are
 * internal property names. An empty cell leaves the property as it is; nothing clears one.
 */
export async function hubspot(records, files) {
  if (hasBom(files.updates)) throw new Error('hubspot: the preset writes no byte-order mark');
  const { headers, rows } = await read(files.updates, ',');
  const applied = applyRows(records, 'Record ID', headers, rows, (v) => (v === '' ? { keep: true } : { set: v }), 'hubspot');
  await nothingElse(files, ',', 'hubspot');
  return applied;
}

export const APPLIERS = { salesforce, dynamics365, hubspot };
