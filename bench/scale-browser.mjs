// The nightly sync at scale in headless Chromium, the state in OPFS and every large thing
// streamed: 100,000 and 1,000,000 customers (issue #22: "steady night with the snapshot in
// OPFS: completes; wasm memory ≤ 150 MB"). Each run, against a freshly reset sandbox:
//   baseline  sync(null, { baseline: true, snapshotTo: <OPFS `state`.createWritable()> })
//   steady    after 1% of the customers are edited (POST /_sandbox/edits):
//             sync(<OPFS `state`.getFile(), a File read in pieces>, {
//               snapshotTo: <OPFS `state.next`.createWritable()>,
//               report: { to: <OPFS `changes.xlsx`.createWritable()>, format: 'xlsx' } })
//             then `state.next`.move('state') (a writable commits on close; move replaces)
// Each night is its own page load (fresh wasm instances: their memory only grows, so its size
// after the night is its peak) in one persistent Chromium profile per size (OPFS on disk, as
// in a real browser, not the in-memory storage of an incognito context).
// Measured per night: the time in the page (from taking the OPFS handles to the committed
// state); each wasm module's memory.buffer.byteLength after the night (the memory the engine
// reserved: records module and client module) and the records allocator's peak bytes in use
// (the package's test hook `_testTakePeakBytes`); through CDP (Runtime.getHeapUsage, sampled
// every 50 ms, peak minus the value after start-up and a GC: lower bounds) the JS heap and the
// ArrayBuffers' memory outside it (page bodies, pieces of the previous state, and the wasm
// memories' growth); the page's renderer process's RSS (sampled VmRSS, the largest renderer of
// this profile) — which holds DevTools' copies of the responses too: Playwright enables the
// Network domain, whose agent keeps recent response bodies (up to ~100–200 MB), so it is an
// upper bound of what the page needs; what the sync found (checked: every customer read;
// steady: exactly the edited ones changed, nothing added or removed); the sizes of the state
// and the report in OPFS.
//   node bench/scale-browser.mjs SANDBOX_BIN_OR_URL [SIZES] [RUNS]
// With the release sandbox's binary each size gets its own sandbox (--customers SIZE
// --static-dir bench --pkg-dir pkg, so that the page and the package are same-origin); with a
// URL (a sandbox started that way) the one size is its count of customers. SIZES: comma-
// separated (default 100000,1000000); RUNS default 3. A night that fails (an error, a crash,
// a timeout of 3 min + 4 min per million customers) is a row "fails (why)" with the error as
// Chromium gave it. Progress goes to stderr, the table to stdout.
import { chromium } from 'playwright-core';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, executablePath } from '../tests/js/support/browser.mjs';
import { HEADERS, control, editCustomers, median, startSandbox, table } from './common.mjs';

const [target, sizesArg, runsArg] = process.argv.slice(2);
if (!target) throw new Error('usage: node bench/scale-browser.mjs SANDBOX_BIN_OR_URL [SIZES] [RUNS]');
const RUNS = Number(runsArg ?? 3);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TARGET_MB = 150;
const log = (...a) => console.error('scale-browser:', ...a);
const MB = (bytes) => bytes / 2 ** 20;
const fmt = (n) => n.toLocaleString('en');

// Runs in the page first: defines window.scaleFiles, the OPFS and wasm memory probes and the
// two nights, for install(). Everything it needs is inside this function.
function installFiles() {
  const dir = () => navigator.storage.getDirectory();
  const size = async (name) => {
    try {
      return (await (await (await dir()).getFileHandle(name)).getFile()).size;
    } catch (e) {
      if (e.name === 'NotFoundError') return null;
      throw e;
    }
  };
  // Each module's memory as the engine reserved it (wasm memory never shrinks). The glue's
  // init() gives the running instance's exports once it has started.
  const wasm = async () => ({
    records: (await (await import('/pkg/web/cube_records.js')).default()).memory.buffer.byteLength,
    client: (await (await import('/pkg/web/cube_integration.js')).default()).memory.buffer.byteLength,
  });
  // A .xlsx is a zip: its local header first, its end-of-central-directory record last.
  const looksLikeZip = async (name) => {
    const file = await (await (await dir()).getFileHandle(name)).getFile();
    const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
    const tail = new Uint8Array(await file.slice(file.size - 22, file.size - 18).arrayBuffer());
    const sig = (b, x) => b[0] === 0x50 && b[1] === 0x4b && b[2] === x && b[3] === x + 1;
    return sig(head, 3) && sig(tail, 5);
  };
  // The nights of `client`'s sync of the customers of `query`, in the OPFS folder `d`.
  const nights = (client, query) => ({
    async baseline(d) {
      const stateFile = await d.getFileHandle('state', { create: true });
      const out = await client.customers(query).sync(null, { baseline: true, snapshotTo: await stateFile.createWritable() });
      return { out, previousBytes: 0 };
    },
    async steady(d) {
      const stateFile = await d.getFileHandle('state');
      const previous = await stateFile.getFile();
      const next = await d.getFileHandle('state.next', { create: true });
      const report = await d.getFileHandle('changes.xlsx', { create: true });
      const out = await client.customers(query).sync(previous, {
        snapshotTo: await next.createWritable(),
        report: { to: await report.createWritable(), format: 'xlsx' },
      });
      await next.move('state'); // replaces the old state (Chromium); the new one is complete
      return { out, previousBytes: previous.size };
    },
  });
  window.scaleFiles = { dir, size, wasm, looksLikeZip, nights };
}

// Runs in the page after installFiles(): defines window.scale. Everything else it needs is
// inside this function.
function install() {
  const query = { dataOwnerId: 1, crmType: 'B2C' };
  const FILES = ['state', 'state.next', 'changes.xlsx'];
  const { dir, size, wasm, looksLikeZip } = window.scaleFiles;
  let cube;
  let client;
  let nights;
  window.scale = {
    /** Start-up (not timed): the package and both its wasm modules, instantiated. */
    async setUp() {
      cube = await import('/pkg/web/index.js');
      await cube.ready();
      client = new cube.CubeClient({ baseUrl: location.origin, auth: { token: 'demo-token' } });
      nights = window.scaleFiles.nights(client, query);
      await client._runtime().records();
      await client._runtime()._testTakePeakBytes();
      return { streaming: typeof cube.Pager.prototype.sync === 'function', wasm: await wasm() };
    },
    /** The OPFS files of an earlier run removed (not timed). */
    async clear() {
      const d = await dir();
      for (const name of FILES) await d.removeEntry(name).catch((e) => { if (e.name !== 'NotFoundError') throw e; });
    },
    async run(night) {
      await client._runtime()._testTakePeakBytes(); // the count starts again from the bytes in use now
      const t = performance.now();
      const { out, previousBytes } = await nights[night](await dir());
      const ms = performance.now() - t;
      const peakInUse = await client._runtime()._testTakePeakBytes();
      const c = out.changes.counts;
      return {
        ms,
        records: out.records,
        pages: out.pages,
        counts: c,
        unchanged: out.changes.unchanged,
        snapshotReturned: out.snapshot !== null,
        previousBytes,
        stateBytes: await size('state'),
        nextLeft: (await size('state.next')) !== null,
        reportBytes: night === 'steady' ? await size('changes.xlsx') : null,
        reportIsZip: night === 'steady' ? await looksLikeZip('changes.xlsx') : null,
        peakInUse,
        wasm: await wasm(),
      };
    },
  };
}

/** The processes under `pid` (children, their children, …), from /proc. */
function descendants(pid) {
  const parent = new Map();
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      parent.set(Number(p), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {} // gone meanwhile
  }
  const out = [];
  const walk = (of) => {
    for (const [child, ppid] of parent) if (ppid === of) { out.push(child); walk(child); }
  };
  walk(pid);
  return out;
}

/** The browser process of the profile at `profile`: its pid, from its command line. */
function browserPid(profile) {
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
      if (cmd.includes(`--user-data-dir=${profile}`) && !cmd.some((a) => a.startsWith('--type='))) return Number(p);
    } catch {}
  }
  return null;
}

/** VmRSS (bytes) of the largest renderer process under the browser: the page's, while it runs. */
function rendererRss(pid) {
  let most = 0;
  for (const p of descendants(pid)) {
    try {
      if (!readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      if (kb) most = Math.max(most, Number(kb[1]) * 1024);
    } catch {}
  }
  return most;
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${(ms / 60_000).toFixed(0)} min`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * One night in its own page: set up, GC, then the night with the JS heap and the renderer's
 * RSS sampled every 50 ms until it ends. `{ error }` if it fails (a crash included).
 */
async function night(context, pid, url, which, timeoutMs) {
  const page = await context.newPage();
  const crashed = new Promise((_, reject) => page.once('crash', () => reject(new Error('the page crashed (renderer gone: out of memory?)'))));
  crashed.catch(() => {});
  try {
    const cdp = await context.newCDPSession(page);
    await withTimeout(page.goto(`${url}/scale-page.html`), 60_000, 'page load');
    await page.evaluate(installFiles);
    await page.evaluate(install);
    const setUp = await withTimeout(page.evaluate(() => window.scale.setUp()), 60_000, 'set-up');
    if (!setUp.streaming) throw new Error('not built yet: /pkg/web has no Pager.prototype.sync');
    if (which === 'baseline') await page.evaluate(() => window.scale.clear());
    // The JS heap (usedSize) and the ArrayBuffers' memory outside it (backingStorageSize: the
    // wasm modules' memories included), sampled.
    const heap = async () => cdp.send('Runtime.getHeapUsage');
    await cdp.send('HeapProfiler.collectGarbage');
    const start = await heap();
    let heapPeak = start.usedSize;
    let buffersPeak = start.backingStorageSize;
    let rssPeak = rendererRss(pid);
    const sample = async () => {
      const h = await heap();
      heapPeak = Math.max(heapPeak, h.usedSize);
      buffersPeak = Math.max(buffersPeak, h.backingStorageSize);
    };
    let done = false;
    const job = Promise.race([withTimeout(page.evaluate((n) => window.scale.run(n), which), timeoutMs, `the ${which} night`), crashed])
      .finally(() => { done = true; });
    job.catch(() => {});
    while (!done) {
      await sample().catch(() => {}); // the page is gone: the job says why
      rssPeak = Math.max(rssPeak, rendererRss(pid));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const out = await job;
    await sample();
    return {
      ...out,
      wasmAtStart: setUp.wasm,
      heapStartMB: MB(start.usedSize),
      heapMB: MB(heapPeak - start.usedSize),
      buffersMB: MB(buffersPeak - start.backingStorageSize),
      rssMB: MB(rssPeak),
    };
  } catch (e) {
    return { error: String(e?.message ?? e).split('\n')[0].slice(0, 300) };
  } finally {
    await page.close().catch(() => {});
  }
}

/** What a night found, against what it should have: '' if right, else why not. */
function wrong(out, which, size, edits) {
  const c = out.counts;
  if (out.records !== size) return `${out.records} records, not ${size}`;
  if (out.snapshotReturned) return 'the snapshot was returned, not streamed';
  if (out.nextLeft) return 'state.next left behind';
  if (!(out.stateBytes > 0)) return 'no state in OPFS';
  if (which === 'baseline') return c.added + c.anonymized === size ? '' : `counted +${c.added} (${c.anonymized} anonymized), not ${size}`;
  if (c.changed !== edits || c.added !== 0 || c.removed !== 0) return `found +${c.added} −${c.removed} ~${c.changed}, not ~${edits}`;
  if (!(out.reportBytes > 0) || !out.reportIsZip) return `the report is not a whole .xlsx (${out.reportBytes} bytes)`;
  return '';
}

async function measureSize(url, size) {
  const edits = size / 100;
  const timeoutMs = (3 + (4 * size) / 1e6) * 60_000;
  const profile = mkdtempSync(path.join(tmpdir(), 'cube-scale-browser-'));
  const results = { baseline: [], steady: [] };
  const context = await chromium.launchPersistentContext(profile, { executablePath: executablePath(), headless: true, args: CHROMIUM_ARGS });
  const pid = browserPid(profile);
  if (pid === null) log('the browser process was not found: no renderer RSS');
  const show = (which, out, i) => log(`${fmt(size)} ${which} ${i}/${RUNS}: ${out.error ? `FAILS: ${out.error}` : `${(out.ms / 1000).toFixed(2)} s, `
    + `wasm records ${MB(out.wasm.records).toFixed(1)} MB (peak in use ${MB(out.peakInUse).toFixed(1)}) + client ${MB(out.wasm.client).toFixed(1)} MB, `
    + `JS heap +${out.heapMB.toFixed(1)} MB, ArrayBuffers +${out.buffersMB.toFixed(1)} MB, renderer RSS ${out.rssMB.toFixed(0)} MB, found +${out.counts.added} −${out.counts.removed} ~${out.counts.changed}`
    + `${out.reportBytes ? `, report ${MB(out.reportBytes).toFixed(2)} MB` : ''}, state ${MB(out.stateBytes).toFixed(0)} MB${out.wrong ? `, WRONG: ${out.wrong}` : ''}`}`);
  try {
    for (let i = 1; i <= RUNS; i++) {
      await control(url, '/_sandbox/reset');
      const base = await night(context, pid ?? 0, url, 'baseline', timeoutMs);
      if (!base.error) base.wrong = wrong(base, 'baseline', size, edits);
      results.baseline.push(base);
      show('baseline', base, i);
      let steady;
      if (base.error || base.wrong) {
        steady = { error: 'no stored state (its baseline night failed)' };
      } else {
        log(`${fmt(size)}: editing ${fmt(edits)} customers`);
        await editCustomers(url, edits);
        steady = await night(context, pid ?? 0, url, 'steady', timeoutMs);
        if (!steady.error) steady.wrong = wrong(steady, 'steady', size, edits);
      }
      results.steady.push(steady);
      show('steady', steady, i);
    }
    await control(url, '/_sandbox/reset');
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
  return { edits, results };
}

const HEADER = ['customers', 'night', 'median s (range)', 'wasm records module MB: memory (peak in use)', 'wasm client module MB',
  'wasm total MB', 'JS heap peak growth MB', 'ArrayBuffers peak growth MB (wasm growth included)', 'renderer RSS peak MB (DevTools buffers included)',
  'found (checked)', 'report MB', 'state MB', 'notes'];

function rows(size, { edits, results }) {
  const out = [];
  const range = (xs, digits) => {
    const lo = Math.min(...xs).toFixed(digits);
    const hi = Math.max(...xs).toFixed(digits);
    return lo === hi ? lo : `${lo}–${hi}`;
  };
  const cell = (xs, digits) => `${median(xs).toFixed(digits)} (${range(xs, digits)})`;
  for (const which of ['baseline', 'steady']) {
    const outs = results[which];
    const ok = outs.filter((o) => !o.error);
    const errors = [...new Set(outs.filter((o) => o.error).map((o) => o.error))];
    if (ok.length === 0) {
      out.push([fmt(size), which, `fails (${errors.join('; ') || 'not run'})`, ...HEADER.slice(3).map(() => '')]);
      continue;
    }
    const rec = ok.map((o) => MB(o.wasm.records));
    const peak = ok.map((o) => MB(o.peakInUse));
    const cli = ok.map((o) => MB(o.wasm.client));
    const total = ok.map((o) => MB(o.wasm.records + o.wasm.client));
    const c = ok[0].counts;
    const wrongs = [...new Set(ok.map((o) => o.wrong).filter(Boolean))];
    const found = which === 'baseline'
      ? `${fmt(ok[0].records)} read, +${fmt(c.added)} counted (${fmt(c.anonymized)} anonymized)`
      : `${fmt(ok[0].records)} read, ~${fmt(c.changed)} +${fmt(c.added)} −${fmt(c.removed)} (${fmt(edits)} edited)`;
    const notes = [
      errors.length ? `${outs.length - ok.length} of ${outs.length} failed: ${errors.join('; ')}` : '',
      wrongs.length ? `WRONG: ${wrongs.join('; ')}` : '',
      which === 'steady' ? `previous ${MB(ok[0].previousBytes).toFixed(0)} MB File` : '',
    ].filter(Boolean).join('; ');
    out.push([fmt(size), which, cell(ok.map((o) => o.ms / 1000), 2), `${range(rec, 0)} (${range(peak, 0)})`, range(cli, 1),
      range(total, 0), cell(ok.map((o) => o.heapMB), 0), cell(ok.map((o) => o.buffersMB), 0), cell(ok.map((o) => o.rssMB), 0), found,
      which === 'steady' ? range(ok.map((o) => MB(o.reportBytes)), 2) : '—', range(ok.map((o) => MB(o.stateBytes)), 0), notes]);
  }
  return out;
}

/** The verdict on the issue's target: the steady night's wasm memory (both modules) ≤ 150 MB. */
function verdict(size, { results }) {
  const ok = results.steady.filter((o) => !o.error && !o.wrong);
  if (ok.length === 0) return `${fmt(size)}: the steady night did not complete: not met`;
  const most = Math.max(...ok.map((o) => MB(o.wasm.records + o.wasm.client)));
  const failed = results.steady.length - ok.length;
  return `${fmt(size)}: steady night completes${failed ? ` (${failed} of ${results.steady.length} runs did not)` : ''}; wasm memory at most ${most.toFixed(0)} MB `
    + `(records ${Math.max(...ok.map((o) => MB(o.wasm.records))).toFixed(0)} + client ${Math.max(...ok.map((o) => MB(o.wasm.client))).toFixed(1)}): `
    + `${most <= TARGET_MB && !failed ? 'met' : 'not met'} (≤ ${TARGET_MB} MB)`;
}

async function pageCount(url) {
  const res = await fetch(`${url}/api/v1/data_owners/1/B2C/customers/`, { headers: HEADERS });
  return (await res.json()).count;
}

const all = [];
const verdicts = [];
const measure = async (url, size) => {
  const m = await measureSize(url, size);
  all.push(...rows(size, m));
  verdicts.push(verdict(size, m));
};
if (/^https?:\/\//.test(target)) {
  const size = await pageCount(target);
  log(`${target}: ${fmt(size)} customers`);
  await measure(target, size);
} else {
  const sizes = (sizesArg ?? '100000,1000000').split(',').map(Number);
  for (const [i, size] of sizes.entries()) {
    if (!(size >= 100 && size % 100 === 0)) throw new Error(`a size must be a multiple of 100: ${size}`);
    const sandbox = await startSandbox(target, ['--customers', String(size), '--static-dir', path.join(ROOT, 'bench'), '--pkg-dir', path.join(ROOT, 'pkg')]);
    log(`${fmt(size)} customers: sandbox at ${sandbox.url}`);
    try {
      await measure(sandbox.url, size);
    } finally {
      sandbox.stop();
    }
    if (i < sizes.length - 1) console.error(table('so far', HEADER, all));
  }
}

console.log(table(`The nightly sync at scale in headless Chromium (data owner 1, B2C; state and report in OPFS, streamed; one page load per night, median of ${RUNS}; steady night: 1% of the customers edited since the baseline night's state)`, HEADER, all));
console.log(`\nTarget (issue #22): a steady night with the snapshot in OPFS completes with wasm memory ≤ ${TARGET_MB} MB.\n`);
for (const v of verdicts) console.log(`- ${v}`);
