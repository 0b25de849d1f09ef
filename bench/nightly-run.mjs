// One run of the nightly sync job in its own process (bench/nightly.mjs starts one per run):
// read every customer of data owner 1's B2C CRM, compare with the state the last run stored,
// store the new state (temp file, then rename), write the changed customers to an .xlsx file.
//   node --expose-gc bench/nightly-run.mjs URL MODE STATE_FILE XLSX_FILE
// MODE: stream-sync (Pager.sync, 0.2) | v010 (toArray + sync helper) | plain (hand-written JS).
// Prints one JSON line: time, RSS baseline and peak, and what the job found.
import { performance } from 'node:perf_hooks';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { HEADERS, parallelFetch, sameRecord } from './common.mjs';

const [url, mode, stateFile, xlsxFile] = process.argv.slice(2);
const query = { dataOwnerId: 1, crmType: 'B2C' };
const KEY = 'crm__customer_id';

/** The stored state, or null on the first run. */
function readState(encoding) {
  try {
    return readFileSync(stateFile, encoding);
  } catch (e) {
    if (e.code === 'ENOENT') return null;
    throw e;
  }
}

/** Never leave a half-written state behind: write a temp file, then rename it over the old one. */
function saveState(data) {
  writeFileSync(`${stateFile}.tmp`, data);
  renameSync(`${stateFile}.tmp`, stateFile);
}


/** What an integrator writes by hand: index the last run's records by id, compare every field. */
function plainDiff(before, after) {
  const byKey = new Map();
  for (const r of before) if (r[KEY]) byKey.set(r[KEY], r); // anonymized customers have no id
  const added = [];
  const changed = [];
  for (const a of after) {
    if (!a[KEY]) continue;
    const b = byKey.get(a[KEY]);
    if (b === undefined) {
      added.push(a);
      continue;
    }
    byKey.delete(a[KEY]);
    if (!sameRecord(b, a)) changed.push({ key: a[KEY], before: b, after: a });
  }
  return { added, removed: [...byKey.values()], changed };
}

// Each job returns { changes: { added, removed, changed }, records, xlsx }.
const jobs = {
  async 'stream-sync'({ client, toXlsx }) {
    const prev = readState();
    const { changes, snapshot, records } = await client.customers(query).sync(prev);
    saveState(snapshot);
    const xlsx = await toXlsx(changes.changed.map((c) => c.after));
    return { changes, records, xlsx };
  },
  async v010({ client, sync, toXlsx }) {
    const prev = readState('utf8');
    const all = await client.customers(query).toArray();
    const { changes, snapshot } = await sync(prev, all);
    saveState(JSON.stringify(snapshot));
    const xlsx = await toXlsx(changes.changed.map((c) => c.after));
    return { changes, records: all.length, xlsx };
  },
  async plain({ XLSX }) {
    const prev = readState('utf8');
    const all = await parallelFetch(`${url}/api/v1/data_owners/1/B2C/customers/`, 6);
    const changes = prev === null ? { added: all, removed: [], changed: [] } : plainDiff(JSON.parse(prev), all);
    saveState(JSON.stringify(all));
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, XLSX.utils.json_to_sheet(changes.changed.map((c) => c.after)), 'Sheet1');
    const xlsx = XLSX.write(book, { type: 'buffer', bookType: 'xlsx', compression: true });
    return { changes, records: all.length, xlsx };
  },
};
if (!jobs[mode]) throw new Error(`mode: ${Object.keys(jobs).join(' | ')}`);

// Start-up, outside the measurement: the modules each job needs, and fetch's own first use.
const deps = {};
if (mode === 'plain') {
  deps.XLSX = (await import('xlsx')).default;
} else {
  const pkg = await import('../pkg/node/index.mjs');
  if (mode === 'stream-sync' && typeof pkg.Pager.prototype.sync !== 'function') {
    console.log(JSON.stringify({ mode, skipped: 'not built yet: pkg/ has no Pager.prototype.sync' }));
    process.exit(0);
  }
  deps.client = new pkg.CubeClient({ baseUrl: url, auth: { token: 'demo-token' } });
  deps.sync = pkg.sync;
  deps.toXlsx = pkg.toXlsx;
  await pkg.diff([], []); // loads the round-trip module now, as importing SheetJS does for plain JS
}
await (await fetch(`${url}/account/who_am_i`, { headers: HEADERS })).text();
global.gc?.();
const baseline = process.memoryUsage().rss;

const t = performance.now();
const { changes, records, xlsx } = await jobs[mode](deps);
writeFileSync(xlsxFile, xlsx);
const ms = performance.now() - t;

const peak = process.resourceUsage().maxRSS * 1024;
console.log(JSON.stringify({
  mode,
  ms,
  baselineMB: baseline / 2 ** 20,
  peakMB: peak / 2 ** 20,
  records,
  added: changes.added.length,
  removed: changes.removed.length,
  changed: changes.changed.length,
  changedKeys: changes.changed.map((c) => c.key).sort(),
  stateBytes: readFileSync(stateFile).length,
  xlsxBytes: xlsx.length,
}));
