// One run of the scale table (bench/scale.mjs) in its own process: one contender, one night,
// the sandbox's customers of data owner 1 (B2C).
//   node --expose-gc bench/scale-run.mjs URL MODE NIGHT STATE_FILE OUT_FILE
// MODE:
//   bytes  the wire: every page with 6 in flight, each body's bytes read and nothing else
//   api    the package's streaming sync through the public API, snapshot to a file stream
//          (previous state as fs.openAsBlob), the report streamed to OUT_FILE as .xlsx when
//          pkg/ has sync's `report` option, else syncChanges() with the batches only counted
//   cli    the `cube sync` command line in a child process (time and peak RSS of the child)
//   updates  `cube sync --mapping salesforce --updates OUT_FILE` in a child process: the CRM's
//          update files instead of the report (a first night: every customer in the created
//          file beside OUT_FILE)
//   plain  hand-written JS: 6 in flight, JSON.parse, a Map diff against the previous state
//          (a JSON file of all records), SheetJS report of the added and changed records
// NIGHT: first (no state: every record is added), baseline (no state, no report: the state
// only), steady (STATE_FILE from an earlier run; the sandbox has been edited since).
// Prints one JSON line: {mode, night, records, ms, baselineMB, peakMB, added, removed,
// changed, …}. Peak is process.resourceUsage().maxRSS (for cli: the child's, see below); cpuS
// is the CPU time (user + system) of the job, the process's own (for cli: the child's).
import { spawn } from 'node:child_process';
import fs, { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { HEADERS, sameRecord } from './common.mjs';

const [url, mode, night, stateFile, outFile] = process.argv.slice(2);
const NIGHTS = ['first', 'baseline', 'steady'];
if (!NIGHTS.includes(night)) throw new Error(`NIGHT: ${NIGHTS.join(' | ')}`);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LIST = `${url}/api/v1/data_owners/1/B2C/customers/`;
const query = { dataOwnerId: 1, crmType: 'B2C' };
const KEY = 'crm__customer_id';
const baselineNight = night === 'baseline';
if (night !== 'steady') rmSync(stateFile, { force: true });
rmSync(outFile, { force: true });

/** Page 1, then pages 2..N with `concurrency` workers; `onBody(n, res)` reads each response. */
async function pool(concurrency, onBody) {
  const get = async (u) => {
    const res = await fetch(u, { headers: HEADERS });
    if (res.status !== 200) throw new Error(`HTTP ${res.status} for ${u}`);
    return res;
  };
  const first = await (await get(LIST)).json(); // the page count is in page 1
  const size = first.results.length;
  const pages = first.next ? Math.ceil(first.count / size) : 1;
  let next = 2;
  const worker = async () => {
    while (next <= pages) {
      const n = next++;
      await onBody(n, await get(`${LIST}?page=${n}`));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, pages - 1) }, worker));
  return { first, pages };
}


const jobs = {
  async bytes() {
    let bytes = 0;
    const { first, pages } = await pool(6, async (_n, res) => {
      bytes += (await res.arrayBuffer()).byteLength;
    });
    return { records: first.count, pages, wireMB: bytes / 2 ** 20 };
  },

  async api({ client, hasReport }) {
    const prev = night === 'steady' && existsSync(stateFile) ? await fs.openAsBlob(stateFile) : null;
    const tmp = `${stateFile}.tmp`;
    const snapshotTo = Writable.toWeb(fs.createWriteStream(tmp));
    const pager = client.customers(query);
    let counts;
    let records;
    let note;
    if (baselineNight) {
      const r = await pager.sync(prev, { baseline: true, snapshotTo });
      ({ counts } = r.changes);
      records = r.records;
    } else if (hasReport) {
      const to = Writable.toWeb(fs.createWriteStream(outFile));
      const r = await pager.sync(prev, { snapshotTo, report: { to, format: 'xlsx' } });
      ({ counts } = r.changes);
      records = r.records;
      note = 'report to .xlsx';
    } else {
      const run = pager.syncChanges(prev, { snapshotTo });
      let batches = 0;
      for await (const _batch of run) batches++;
      ({ counts, records } = run.result);
      note = `no report option in pkg/: syncChanges(), ${batches} batches counted, nothing written`;
    }
    renameSync(tmp, stateFile);
    return { records, ...counts, note };
  },

  async plain({ XLSX }) {
    const prev = night === 'steady' && existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8')) : null;
    const results = [];
    const { first } = await pool(6, async (n, res) => {
      results[n - 1] = (await res.json()).results;
    });
    results[0] = first.results;
    const all = [];
    for (const page of results) for (const r of page) all.push(r);
    results.length = 0;
    let added = all.filter((r) => r[KEY]); // anonymized customers have no id
    let changed = [];
    let removed = 0;
    if (prev) {
      const byKey = new Map();
      for (const r of prev) if (r[KEY]) byKey.set(r[KEY], r);
      added = [];
      for (const a of all) {
        if (!a[KEY]) continue;
        const b = byKey.get(a[KEY]);
        if (b === undefined) added.push(a);
        else {
          byKey.delete(a[KEY]);
          if (!sameRecord(b, a)) changed.push(a);
        }
      }
      removed = byKey.size;
    }
    writeFileSync(`${stateFile}.tmp`, JSON.stringify(all));
    renameSync(`${stateFile}.tmp`, stateFile);
    if (!baselineNight) {
      const book = XLSX.utils.book_new();
      XLSX.utils.book_append_sheet(book, XLSX.utils.json_to_sheet([...added, ...changed]), 'Changes');
      writeFileSync(outFile, XLSX.write(book, { type: 'buffer', bookType: 'xlsx', compression: true }));
    }
    return { records: all.length, added: baselineNight ? 0 : added.length, removed, changed: changed.length, anonymized: all.length - all.filter((r) => r[KEY]).length };
  },
};

/**
 * The command line in a child process. Its peak RSS is the kernel's, taken by GNU time
 * (`/usr/bin/time -f %M`: the waited child's ru_maxrss, exact and read after it has exited);
 * without GNU time, VmHWM of /proc/PID/status sampled every 20 ms until it exits (a lower
 * bound: the last 20 ms may be missed). Time is spawn to exit, Node's start-up included.
 */
async function cli(updates) {
  const cube = path.join(ROOT, 'pkg', JSON.parse(readFileSync(path.join(ROOT, 'pkg/package.json'), 'utf8')).bin.cube);
  const args = [cube, 'sync', '--base-url', url, '--data-owner', '1', '--crm', 'B2C', '--state', stateFile, '-q'];
  if (baselineNight) args.push('--baseline');
  else if (updates) args.push('--mapping', 'salesforce', '--updates', outFile, '--created', `${outFile}.created`, '--removed', `${outFile}.removed`);
  else args.push('-o', outFile);
  const gnuTime = existsSync('/usr/bin/time');
  const timeFile = `${outFile}.time`;
  const [cmd, argv] = gnuTime ? ['/usr/bin/time', ['-o', timeFile, '-f', '%M %U %S', process.execPath, ...args]] : [process.execPath, args];
  const t = performance.now();
  const child = spawn(cmd, argv, {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, CUBE_TOKEN: 'demo-token' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let hwm = 0;
  const sample = gnuTime ? null : setInterval(() => {
    try {
      const kb = Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]);
      if (kb > hwm) hwm = kb;
    } catch {} // exited between two samples
  }, 20);
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c, signal) => resolve(c ?? signal));
  });
  const ms = performance.now() - t;
  if (sample) clearInterval(sample);
  let peakKB = hwm;
  let cpuS;
  if (gnuTime) {
    const text = readFileSync(timeFile, 'utf8');
    rmSync(timeFile, { force: true });
    const [kb, user, system] = text.trim().split('\n').pop().split(' ').map(Number);
    peakKB = kb;
    cpuS = user + system;
    stderr = stderr.split('\n').filter((l) => !/^Command exited with non-zero status/.test(l)).join('\n');
  }
  // 0 nothing changed (and every --baseline run), 10 something changed: both are a success.
  if (code !== 0 && code !== 10) throw new Error(`cube sync exited ${code}: ${stderr.trim().split('\n').pop()}`);
  return { ms, cpuS, peakMB: peakKB / 1024, exitCode: code, rss: gnuTime ? 'GNU time %M' : 'VmHWM sampled' };
}

// Start-up, outside the measurement: the modules each job needs, and fetch's own first use.
const deps = {};
if (mode === 'plain') deps.XLSX = (await import('xlsx')).default;
if (mode === 'api') {
  const pkg = await import('../pkg/node/index.mjs');
  deps.client = new pkg.CubeClient({ baseUrl: url, auth: { token: 'demo-token' } });
  // Does this pkg/ know sync's `report` option? An unknown option is refused before any
  // request; a known one meets the aborted signal instead.
  try {
    await deps.client.customers(query).sync(null, { report: { to: new WritableStream(), format: 'xlsx' }, signal: AbortSignal.abort() });
  } catch (e) {
    deps.hasReport = !/unknown option "report"/.test(e.message);
  }
}
await (await fetch(`${url}/account/who_am_i`, { headers: HEADERS })).text();
global.gc?.();
const baseline = process.memoryUsage().rss;

let out;
if (mode === 'cli' || mode === 'updates') {
  out = await cli(mode === 'updates');
} else {
  if (!jobs[mode]) throw new Error(`MODE: ${[...Object.keys(jobs), 'cli', 'updates'].join(' | ')}`);
  const t = performance.now();
  const cpu = process.cpuUsage();
  const r = await jobs[mode](deps);
  const used = process.cpuUsage(cpu);
  out = { ms: performance.now() - t, cpuS: (used.user + used.system) / 1e6, baselineMB: baseline / 2 ** 20, peakMB: (process.resourceUsage().maxRSS * 1024) / 2 ** 20, ...r };
}
const size = (f) => (existsSync(f) ? statSync(f).size : 0);
const written = size(outFile) + size(`${outFile}.created`) + size(`${outFile}.removed`);
for (const f of [`${outFile}.created`, `${outFile}.removed`]) rmSync(f, { force: true });
console.log(JSON.stringify({ mode, night, ...out, stateMB: size(stateFile) / 2 ** 20, outMB: written / 2 ** 20 }));
