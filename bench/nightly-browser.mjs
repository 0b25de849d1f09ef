// The nightly sync job of bench/nightly.mjs in headless Chromium: the web build from /pkg/,
// the state and the .xlsx in the origin-private file system (OPFS), one page load per run.
// Time is measured in the page; the JS heap is sampled every 50 ms through CDP
// (Performance.getMetrics, JSHeapUsedSize: a sampled peak, so a lower bound) against the heap
// after start-up and a GC; wasm memory is each module's memory.buffer.byteLength after the job
// (wasm memory never shrinks, so that is its peak).
import { launch } from '../tests/js/support/browser.mjs';
import { median } from './common.mjs';

const MODES = [
  { name: 'package, streaming sync (0.2), Chromium', mode: 'stream-sync' },
  { name: 'package, 0.1.0 way, Chromium', mode: 'v010' },
];
const PAGE_TIMEOUT_MS = 180_000;

function withTimeout(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${PAGE_TIMEOUT_MS / 1000} s`)), PAGE_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// Runs in the page first: defines window.nightlyFiles, the OPFS files, the wasm memory probe
// and the two jobs, for install(). Everything it needs is inside this function.
function installFiles() {
  const dir = () => navigator.storage.getDirectory();
  const read = async (name) => {
    try {
      return new Uint8Array(await (await (await (await dir()).getFileHandle(name)).getFile()).arrayBuffer());
    } catch (e) {
      if (e.name === 'NotFoundError') return null;
      throw e;
    }
  };
  // createWritable() writes a swap file and replaces the old one on close(): the browser's
  // temp-file-then-rename.
  const write = async (name, data) => {
    const w = await (await (await dir()).getFileHandle(name, { create: true })).createWritable();
    await w.write(data);
    await w.close();
  };
  // The jobs of the package `cube` and its `client`, on the customers of `query`.
  const jobs = (cube, client, query) => ({
    async 'stream-sync'() {
      const prev = await read('state');
      const { changes, snapshot, records } = await client.customers(query).sync(prev);
      await write('state', snapshot);
      const xlsx = await cube.toXlsx(changes.changed.map((c) => c.after));
      await write('changed.xlsx', xlsx);
      return { changes, records, xlsx };
    },
    async v010() {
      const prev = await read('state');
      const all = await client.customers(query).toArray();
      const { changes, snapshot } = await cube.sync(prev && new TextDecoder().decode(prev), all);
      await write('state', JSON.stringify(snapshot));
      const xlsx = await cube.toXlsx(changes.changed.map((c) => c.after));
      await write('changed.xlsx', xlsx);
      return { changes, records: all.length, xlsx };
    },
  });
  const wasmMB = async (module) => (await (await import(module)).default()).memory.buffer.byteLength / 2 ** 20;
  window.nightlyFiles = { read, write, jobs, wasmMB };
}

// Runs in the page after installFiles(): defines window.nightly. Everything else it needs is
// inside this function.
function install() {
  const query = { dataOwnerId: 1, crmType: 'B2C' };
  const { read, write, wasmMB } = window.nightlyFiles;
  let cube;
  let client;
  let jobs;
  window.nightly = {
    /** Start-up (not timed): the package, both its wasm modules, and the state this run starts from. */
    async setUp(from) {
      cube = await import('/pkg/web/index.js');
      await cube.ready();
      await cube.diff([], []); // the round-trip module too: fetched and compiled before the job
      client = new cube.CubeClient({ baseUrl: location.origin, auth: { token: 'demo-token' } });
      jobs = window.nightlyFiles.jobs(cube, client, query);
      if (from) {
        const base = await read(from);
        if (base === null) throw new Error(`no ${from} in OPFS`);
        await write('state', base);
      }
      return { streaming: typeof cube.Pager.prototype.sync === 'function' };
    },
    async run(mode) {
      const t = performance.now();
      const { changes, records, xlsx } = await jobs[mode]();
      const ms = performance.now() - t;
      return {
        ms,
        records,
        added: changes.added.length,
        removed: changes.removed.length,
        changed: changes.changed.length,
        changedKeys: changes.changed.map((c) => c.key).sort(),
        xlsxBytes: xlsx.length,
        stateBytes: (await read('state')).length,
      };
    },
    /** The state the first run stored, kept as the base every timed run starts from. */
    async keepBase() {
      await write('base', await read('state'));
    },
    async wasm() {
      return { records: await wasmMB('/pkg/web/cube_records.js'), client: await wasmMB('/pkg/web/cube_integration.js') };
    },
  };
}

/** One page load: set up, GC, then the job with the JS heap sampled until it ends. */
async function pageRun(context, url, mode, from) {
  const page = await context.newPage();
  try {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await withTimeout(page.goto(`${url}/nightly-page.html`), 'page load');
    await page.evaluate(installFiles);
    await page.evaluate(install);
    const { streaming } = await withTimeout(page.evaluate((f) => window.nightly.setUp(f), from), 'set-up');
    if (mode === 'stream-sync' && !streaming) return { skipped: 'not built yet: /pkg/web has no Pager.prototype.sync' };
    const heap = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'JSHeapUsedSize').value;
    await cdp.send('HeapProfiler.collectGarbage');
    const baseline = await heap();
    let peak = baseline;
    let done = false;
    const job = withTimeout(page.evaluate((m) => window.nightly.run(m), mode), `the ${mode} job`).finally(() => {
      done = true;
    });
    while (!done) {
      peak = Math.max(peak, await heap());
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const out = await job;
    peak = Math.max(peak, await heap());
    if (!from) await page.evaluate(() => window.nightly.keepBase());
    return { ...out, heapMB: (peak - baseline) / 2 ** 20, wasm: await page.evaluate(() => window.nightly.wasm()) };
  } finally {
    await page.close();
  }
}

/**
 * The browser contenders' table rows (and the skipped ones): for each, a first run (untimed,
 * no edits) stores the state, then RUNS timed runs start from it.
 */
export async function browserRows({ url, runs, count, edits, reset, editCustomers, checkRun, log }) {
  const browser = await launch();
  const rows = [];
  const skipped = [];
  try {
    for (const { name, mode } of MODES) {
      const context = await browser.newContext(); // its own OPFS
      try {
        await reset();
        const first = await pageRun(context, url, mode, null);
        if (first.skipped) {
          log(`chromium ${mode}: skipped (${first.skipped})`);
          rows.push([name, 'not built yet', '', '', '', '', '']);
          skipped.push({ name, skipped: first.skipped });
          continue;
        }
        if (first.records !== count || first.changed !== 0 || first.removed !== 0) {
          throw new Error(`${name}, first run: ${first.records} records, ${first.changed} changed, ${first.removed} removed`);
        }
        const outs = [];
        for (let i = 1; i <= runs; i++) {
          const keys = await editCustomers();
          const out = await pageRun(context, url, mode, 'base');
          checkRun(name, out, keys);
          if (!(out.xlsxBytes > 0)) throw new Error(`${name}: empty .xlsx`);
          outs.push(out);
          log(`chromium ${mode} run ${i}/${runs}: ${out.ms.toFixed(0)} ms, JS heap +${out.heapMB.toFixed(0)} MB, wasm ${out.wasm.records.toFixed(0)} + ${out.wasm.client.toFixed(0)} MB`);
        }
        const range = (xs, f = (x) => x.toFixed(0)) => `${f(Math.min(...xs))}–${f(Math.max(...xs))}`;
        const ms = outs.map((o) => o.ms);
        const heap = outs.map((o) => o.heapMB);
        const rec = outs.map((o) => o.wasm.records);
        const cli = outs.map((o) => o.wasm.client);
        rows.push([name, median(ms).toFixed(0), range(ms), median(heap).toFixed(0), range(heap),
          `${median(rec).toFixed(0)} (${range(rec)}) + ${median(cli).toFixed(1)}`, edits.toLocaleString('en')]);
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
  return { rows, skipped };
}
