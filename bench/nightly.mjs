// Benchmark 6: the nightly sync job end to end, contenders side by side. The sandbox's 100,000
// customers of data owner 1 (B2C); the last run's state is stored; Cube users have since edited
// 1,000 of them (POST /_sandbox/edits). The job reads everything, compares it with the stored
// state, stores the new state and writes the changed customers to an .xlsx file.
//   node bench/nightly.mjs URL [RUNS] [--no-browser]
// The sandbox must run with --customers 100000 --static-dir bench --pkg-dir pkg (cargo xtask
// bench nightly starts it so). Each Node run is its own process (bench/nightly-run.mjs); the
// browser runs are in bench/nightly-browser.mjs. Progress goes to stderr, the tables to stdout.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import XLSX from 'xlsx';
import { median, table } from './common.mjs';
import { browserRows } from './nightly-browser.mjs';

const [url, runsArg] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const RUNS = Number(runsArg ?? 5);
const BROWSER = !process.argv.includes('--no-browser');
const COUNT = 100_000;
const EDITS = 1_000;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = (...a) => console.error('nightly:', ...a);

const CONTENDERS = [
  { name: 'package, streaming sync (0.2)', mode: 'stream-sync' },
  { name: 'package, 0.1.0 way (`toArray` → `sync` → `toXlsx`)', mode: 'v010' },
  { name: 'hand-written plain JS (6 in flight, `Map` diff, SheetJS)', mode: 'plain' },
];

async function control(p, body) {
  const res = await fetch(url + p, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body ?? {}) });
  if (!res.ok) throw new Error(`POST ${p} → ${res.status}: ${await res.text()}`);
  return res.json();
}

/** Back to the generated tenant: no edits (the state the previous run saw). */
const reset = () => control('/_sandbox/reset');

/**
 * Reset, then edit exactly EDITS distinct customers (the same ones every time: fixed seeds; a
 * seeded batch may hit a customer twice, so top up with the next seed). Returns their ids, sorted.
 */
async function editCustomers() {
  await reset();
  const ids = new Set();
  for (let round = 0; ids.size < EDITS; round++) {
    if (round === 10) throw new Error(`only ${ids.size} distinct customers edited after 10 rounds`);
    const { edited } = await control('/_sandbox/edits', { count: EDITS - ids.size, dataOwnerId: 1, crmType: 'B2C', seed: 6100 + round });
    for (const e of edited) ids.add(e.customerId);
  }
  return [...ids].sort();
}

const run = promisify(execFile);
async function runOnce(mode, state, xlsx) {
  const { stdout } = await run(process.execPath, ['--expose-gc', 'bench/nightly-run.mjs', url, mode, state, xlsx], {
    cwd: ROOT, timeout: 180_000, maxBuffer: 16 << 20,
  });
  return JSON.parse(stdout.trim().split('\n').pop());
}

function fail(what, out) {
  const { changedKeys, ...rest } = out;
  throw new Error(`${what}: ${JSON.stringify(rest)}`);
}

/** A timed run must have found exactly the edited customers and written them all to the sheet. */
function checkRun(name, out, keys) {
  if (out.records !== COUNT || out.added !== 0 || out.removed !== 0 || out.changed !== EDITS) {
    fail(`${name}: expected ${COUNT} records, 0 added, 0 removed, ${EDITS} changed`, out);
  }
  if (out.changedKeys.join() !== keys.join()) fail(`${name}: the changed customers are not the edited ones`, out);
}

const dir = mkdtempSync(path.join(tmpdir(), 'cube-nightly-'));
let keys;
const results = new Map();
try {
  // The previous run: each contender's own state, stored by an untimed first run without edits.
  await reset();
  for (const c of CONTENDERS) {
    c.state = path.join(dir, `${c.mode}.state`);
    c.base = path.join(dir, `${c.mode}.base`);
    c.xlsx = path.join(dir, `${c.mode}.xlsx`);
    const out = await runOnce(c.mode, c.state, c.xlsx);
    if (out.skipped) {
      c.skipped = out.skipped;
      log(`${c.mode}: skipped (${out.skipped})`);
      continue;
    }
    if (out.records !== COUNT || out.changed !== 0 || out.removed !== 0) fail(`${c.name}, first run`, out);
    copyFileSync(c.state, c.base);
    results.set(c, []);
    log(`${c.mode}: previous state stored (${(out.stateBytes / 2 ** 20).toFixed(1)} MB)`);
  }

  // The timed runs, contenders interleaved; each starts from its stored state and the same edits.
  for (let i = 1; i <= RUNS; i++) {
    const edited = await editCustomers();
    if (keys && edited.join() !== keys.join()) throw new Error('the edits differ between runs');
    keys = edited;
    for (const [c, outs] of results) {
      copyFileSync(c.base, c.state);
      rmSync(c.xlsx, { force: true });
      const out = await runOnce(c.mode, c.state, c.xlsx);
      checkRun(c.name, out, keys);
      const rows = XLSX.utils.sheet_to_json(XLSX.readFile(c.xlsx).Sheets.Sheet1);
      if (rows.length !== EDITS) fail(`${c.name}: the .xlsx has ${rows.length} rows, not ${EDITS}`, out);
      outs.push(out);
      log(`${c.mode} run ${i}/${RUNS}: ${out.ms.toFixed(0)} ms, +${(out.peakMB - out.baselineMB).toFixed(0)} MB RSS`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** A line under a table for each skipped row: why, and what to do. */
const notes = (rows) => rows.filter((r) => r.skipped).map((r) => `\n\n${r.name}: skipped, ${r.skipped} (run \`cargo xtask build\` once it lands).`).join('');

const stats = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });
const summary = new Map([...results].map(([c, outs]) => [c, {
  ms: stats(outs.map((o) => o.ms)),
  rss: stats(outs.map((o) => o.peakMB - o.baselineMB)),
  state: outs[0].stateBytes,
}]));
const plain = summary.get(CONTENDERS.find((c) => c.mode === 'plain'));
const rows = CONTENDERS.map((c) => {
  if (c.skipped) return [c.name, 'not built yet', '', '', '', '', '', '', ''];
  const s = summary.get(c);
  return [c.name, s.ms.median.toFixed(0), `${s.ms.min.toFixed(0)}–${s.ms.max.toFixed(0)}`, (s.ms.median / plain.ms.median).toFixed(2),
    s.rss.median.toFixed(0), `${s.rss.min.toFixed(0)}–${s.rss.max.toFixed(0)}`, (s.rss.median / plain.rss.median).toFixed(2),
    EDITS.toLocaleString('en'), (s.state / 2 ** 20).toFixed(1)];
});
console.log(table(`Nightly sync of ${COUNT.toLocaleString('en')} customers, ${EDITS.toLocaleString('en')} edited since the stored state (Node, one process per run, median of ${RUNS})`,
  ['contender', 'median ms', 'range ms', 'time ÷ plain JS', 'peak RSS growth (MB)', 'range (MB)', 'RSS ÷ plain JS', 'changed (checked)', 'state file (MB)'], rows)
  + notes(CONTENDERS));

if (BROWSER) {
  const browser = await browserRows({ url, runs: RUNS, count: COUNT, edits: EDITS, reset, editCustomers, checkRun, log });
  console.log(table(`The same job in headless Chromium (state in OPFS, one page load per run, median of ${RUNS})`,
    ['contender', 'median ms', 'range ms', 'JS heap peak growth (MB, sampled)', 'range (MB)', 'wasm memory after: records + client module (MB)', 'changed (checked)'], browser.rows)
    + notes(browser.skipped));
}
