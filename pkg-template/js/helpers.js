// The round-trip helpers over records already in JS: each converts its inputs for the records
// module (a second wasm module, loaded on first use) and parses what comes back. The records
// module checks the values and options.

import { invalid } from './errors.js';
import { changesJson, csvBytes, localDate, optionsJson, recordsJson, snapshotBytes, warningCallback } from './inputs.js';

const labelsJson = (customFields) => JSON.stringify(customFields ?? null);

// Each helper as (records module, ...arguments) → result.
const HELPERS = {
  diff: (r, before, after, options) =>
    JSON.parse(r.records_diff(recordsJson('diff', 'before', before), recordsJson('diff', 'after', after), optionsJson(options))),
  sync: (r, previous, current, options) =>
    JSON.parse(r.records_sync(snapshotBytes(previous), recordsJson('sync', 'records', current), optionsJson(options))),
  changedSince: (r, list, since) => {
    const day = since instanceof Date ? localDate(since) : since;
    if (typeof day !== 'string') throw invalid('since', 'changedSince(): since must be a Date or "YYYY-MM-DD"');
    return JSON.parse(r.records_changed_since(recordsJson('changedSince', 'records', list), day));
  },
  labelRecords: (r, list, customFields) =>
    JSON.parse(r.records_label(recordsJson('labelRecords', 'records', list), labelsJson(customFields))),
  unlabelRecords: (r, list, customFields) =>
    JSON.parse(r.records_unlabel(recordsJson('unlabelRecords', 'records', list), labelsJson(customFields))),
  customerViews: (r, list, customFields) =>
    JSON.parse(r.records_customer_views(recordsJson('customerViews', 'records', list), customFields === undefined ? undefined : JSON.stringify(customFields))),
  toCsv: (r, list, options) => r.records_to_csv(recordsJson('toCsv', 'records', list), optionsJson(options)),
  toXlsx: (r, list, options) =>
    r.records_to_xlsx(recordsJson('toXlsx', 'records', list), optionsJson(options), warningCallback('toXlsx', options)),
  importSheet: (r, list, options) =>
    r.records_import_sheet(recordsJson('importSheet', 'records', list), optionsJson(options), warningCallback('importSheet', options)),
  readCsv: (r, bytes, options) => JSON.parse(r.records_read_csv(csvBytes(bytes), optionsJson(options))),
  changeRows: (r, changes, options) => JSON.parse(r.records_change_rows(changesJson('changeRows', changes), optionsJson(options))),
  changeSheet: (r, changes, options) =>
    r.records_change_sheet(changesJson('changeSheet', changes), optionsJson(options), warningCallback('changeSheet', options)),
  updateFile: (r, changes, options) => {
    const files = r.records_update_file(changesJson('updateFile', changes), optionsJson(options));
    return { updates: files.updates, created: files.created, removed: files.removed, summary: JSON.parse(files.summary) };
  },
  mappingPreset: (r, name) => {
    if (typeof name !== 'string') throw invalid('name', 'mappingPreset(): name must be a preset\'s name: "dynamics365", "salesforce" or "hubspot"');
    return JSON.parse(r.records_mapping_preset(name));
  },
};

// The helpers, async, each running once the records module is ready (`run` starts it and
// turns the module's errors into CubeErrors).
function bindHelpers(run) {
  return Object.fromEntries(Object.entries(HELPERS).map(([name, helper]) => [name, (...args) => run((r) => helper(r, ...args))]));
}

export { bindHelpers };
