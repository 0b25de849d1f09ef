// Benchmark 5: the round trip at 100,000 records — the package's diff (wasm) beside a
// straightforward JS diff, and an .xlsx of 100,000 rows. One mode per process, so each
// peak RSS is its own: node bench/roundtrip.mjs <diff-package|diff-js|sync|xlsx|csv>
import { performance } from 'node:perf_hooks';
import { diff, sync, toXlsx, toCsv } from '../pkg/node/index.mjs';

const N = 100_000;
const mode = process.argv[2];

// Deterministic generated customers: ~20 fields, 14% changed, 2% removed, 1% added.
function customers(seed) {
  const out = [];
  for (let i = 0; i < N; i++) {
    const r = {
      crm__customer_id: String(100000 + i).padStart(7, '0'),
      crm__standard_info__name: `Kunde ${i} Ødegård`,
      crm__standard_info__phone_1: String(40000000 + ((i * 7919) % 9999999)),
      crm__standard_info__phone_2: '',
      crm__standard_info__phone_3: '',
      crm__standard_info__email: `kunde${i}@example.no`,
      crm__change_log__updated: '2026-01-15',
      crm__change_log__updated_by: 'import@example.no',
      crm__change_log__update_method: 'Import new',
    };
    for (let f = 0; f < 11; f++) r[`crm__custom_info__${60 + f}`] = f % 3 === 0 ? (i * f) % 1000 : `verdi ${f}-${i % 97}`;
    if (seed === 'after' && i % 7 === 0) r.crm__standard_info__email = `ny${i}@example.no`;
    out.push(r);
  }
  if (seed === 'after') {
    out.splice(0, N / 50); // 2% removed
    for (let i = 0; i < N / 100; i++) out.push({ ...out[i], crm__customer_id: `NEW${i}` });
  }
  return out;
}

/** What an integrator would write: index `before` by id, compare every field of `after`. */
function jsDiff(before, after, key = 'crm__customer_id') {
  const byKey = new Map(before.map((r) => [r[key], r]));
  const added = [];
  const changed = [];
  let unchanged = 0;
  for (const a of after) {
    const b = byKey.get(a[key]);
    if (!b) { added.push(a); continue; }
    byKey.delete(a[key]);
    const fields = [];
    for (const f of new Set([...Object.keys(b), ...Object.keys(a)])) {
      if (String(b[f] ?? '') !== String(a[f] ?? '')) fields.push({ field: f, before: b[f] ?? null, after: a[f] ?? null });
    }
    if (fields.length) changed.push({ key: a[key], before: b, after: a, fields });
    else unchanged++;
  }
  return { added, removed: [...byKey.values()], changed, unchanged };
}

const before = customers('before');
const after = customers('after');
global.gc?.();
// sync: the next run of a scheduled sync, from the snapshot text the previous run stored.
const stored = mode === 'sync' ? JSON.stringify((await sync(null, before)).snapshot) : null;
global.gc?.();
const rssBefore = process.memoryUsage().rss;
const t = performance.now();
let summary;
if (mode === 'diff-package') {
  const d = await diff(before, after);
  summary = `changed ${d.changed.length} added ${d.added.length} removed ${d.removed.length}`;
} else if (mode === 'diff-js') {
  const d = jsDiff(before, after);
  summary = `changed ${d.changed.length} added ${d.added.length} removed ${d.removed.length}`;
} else if (mode === 'sync') {
  const { changes, snapshot } = await sync(stored, after);
  summary = `changed ${changes.changed.length} added ${changes.added.length} removed ${changes.removed.length}; snapshot ${snapshot.records.length} records`;
} else if (mode === 'xlsx') {
  summary = `${((await toXlsx(after)).length / 2 ** 20).toFixed(1)} MiB`;
} else if (mode === 'csv') {
  summary = `${((await toCsv(after)).length / 2 ** 20).toFixed(1)} MiB`;
} else {
  throw new Error('mode: diff-package | diff-js | sync | xlsx | csv');
}
const ms = performance.now() - t;
const peak = process.resourceUsage().maxRSS * 1024;
console.log(JSON.stringify({ mode, ms: Math.round(ms), summary, rssGrowthMB: Math.round((peak - rssBefore) / 2 ** 20) }));
