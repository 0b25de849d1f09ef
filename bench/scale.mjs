// Benchmark 9: the nightly sync at scale — 100,000 and 1,000,000 customers (3,000,000 with
// --big), contenders side by side, each run its own process (bench/scale-run.mjs):
//   bytes  the wire alone (every page's bytes, 6 in flight): the reference speed
//   api    the package's streaming sync (public API, snapshot and report streamed to files)
//   cli    `cube sync` (the command line of the package)
//   updates  `cube sync --mapping salesforce --updates`: the CRM's update files, not the report
//   plain  hand-written JS (6 in flight, JSON.parse, Map diff, SheetJS)
// and three nights: first (no state: every customer is added), baseline (no state, the state
// saved with no report), steady (the state of a baseline run of the same contender, then 1% of
// the customers edited in the sandbox).
//   node bench/scale.mjs URL_OR_SANDBOX_BIN [SIZES] [RUNS] [--big]
// With the release sandbox's binary each size gets its own sandbox (--customers SIZE, a free
// port, stopped after); with a URL the one size is the sandbox's count of customers. SIZES is a
// comma-separated list (default 100000,1000000). Every run has a timeout (3 min + 4 min per
// million customers) and is killed at it; a run that dies (out of memory, a limit of the JS
// engine) or times out is a row "fails (why)", not the end of the benchmark. Progress goes to
// stderr, the table to stdout.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HEADERS, control, cpuSeconds, editCustomers, median, startSandbox, table } from './common.mjs';

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const [target, sizesArg, runsArg] = positional;
if (!target) throw new Error('usage: node bench/scale.mjs URL_OR_SANDBOX_BIN [SIZES] [RUNS] [--big]');
const BIG = process.argv.includes('--big');
const RUNS = Number(runsArg ?? 3);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = (...a) => console.error('scale:', ...a);

const CONTENDERS = [
  { mode: 'api', name: 'package API (streaming sync)' },
  { mode: 'cli', name: '`cube sync` (command line)' },
  { mode: 'updates', name: '`cube sync --updates` (the CRM\'s update files)' },
  { mode: 'plain', name: 'hand-written JS (Map diff, SheetJS)' },
];
const NIGHTS = ['first', 'baseline', 'steady'];
const HEADER = ['customers', 'night', 'contender', 'median s (range)', 'peak RSS MB median (range)', 'CPU s: client + sandbox', 'time ÷ wire', 'time / RSS ÷ plain JS', 'notes'];

/** Why a run died, in a few words, from its stderr (a `cube sync` child's exit code first). */
function reason(stderr, code, signal) {
  const cli = /cube sync exited (\d+)/.exec(stderr);
  return (cli ? `cube exits ${cli[1]}: ` : '') + why(stderr, code, signal);
}

function why(stderr, code, signal) {
  if (/heap out of memory|Reached heap limit/i.test(stderr)) return 'JS heap out of memory';
  if (/Invalid string length/.test(stderr)) return 'RangeError: Invalid string length, a string over V8\'s 512 MB';
  const range = /RangeError: [^\n]*/.exec(stderr);
  if (range) return range[0];
  if (signal === 'SIGKILL') return 'killed (SIGKILL: out of memory?)';
  const err = stderr.split('\n').reverse().find((l) => /Error/.test(l));
  return (err ?? `exit ${code ?? signal}`).trim().slice(0, 160);
}

/**
 * One run in its own process group (the cli mode has grandchildren): its JSON line, or
 * { error } if it failed or timed out (then the whole group is killed).
 */
function runOne(url, mode, night, state, out, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', 'bench/scale-run.mjs', url, mode, night, state, out], {
      cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-20_000)));
    const kill = () => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {} // already gone
    };
    process.on('exit', kill);
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      process.off('exit', kill);
      if (timedOut) return resolve({ error: `timed out (${(timeoutMs / 60_000).toFixed(0)} min)` });
      if (code !== 0) return resolve({ error: reason(stderr, code, signal) });
      try {
        resolve(JSON.parse(stdout.trim().split('\n').pop()));
      } catch {
        resolve({ error: `no result line: ${stdout.slice(-200)}` });
      }
    });
  });
}

/** What a run found, checked against what it should have: '' if right, else why not. */
function wrong(out, night, size, edits) {
  if (out.mode === 'cli' || out.mode === 'updates') {
    const want = night === 'baseline' ? 0 : 10;
    return out.exitCode === want ? '' : `exit ${out.exitCode}, not ${want}`;
  }
  if (out.records !== size) return `${out.records} records, not ${size}`;
  if (night === 'steady' && (out.changed !== edits || out.added !== 0 || out.removed !== 0)) {
    return `found +${out.added} −${out.removed} ~${out.changed}, not ~${edits}`;
  }
  if (night === 'first' && out.added + (out.anonymized ?? 0) !== size) return `found +${out.added}, not ${size}`;
  return '';
}

const fmt = (n) => n.toLocaleString('en');
const stats = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });

async function measureSize(url, size, pid) {
  // Each run's CPU time: the client's (its own report) and the sandbox's (from /proc, when this
  // script started the sandbox): both share the machine's cores, so their sum over the cores
  // bounds how fast a run can be.
  const runOnce = async (...args) => {
    const before = pid ? cpuSeconds(pid) : null;
    const out = await runOne(...args);
    const after = pid ? cpuSeconds(pid) : null;
    if (before !== null && after !== null && !out.error) out.serverCpuS = after - before;
    return out;
  };
  const edits = size / 100;
  const results = new Map(); // `${mode} ${night}` → outputs
  const m = {
    url,
    size,
    edits,
    runOnce,
    timeoutMs: (3 + (4 * size) / 1e6) * 60_000,
    dir: mkdtempSync(path.join(tmpdir(), 'cube-scale-')),
    /** Keeps run `i`'s output of `mode`'s `night`, and logs it. */
    record(mode, night, out, i) {
      const k = `${mode} ${night}`;
      if (!results.has(k)) results.set(k, []);
      results.get(k).push(out);
      log(`${fmt(size)} ${mode} ${night} ${i}/${RUNS}: ${out.error ? `FAILS: ${out.error}`
        : `${(out.ms / 1000).toFixed(2)} s, peak RSS ${out.peakMB.toFixed(0)} MB${out.wrong ? `, WRONG: ${out.wrong}` : ''}`}`);
    },
  };
  try {
    await control(url, '/_sandbox/reset');
    for (let i = 1; i <= RUNS; i++) {
      const out = await runOnce(url, 'bytes', 'first', path.join(m.dir, 'bytes.state'), path.join(m.dir, 'bytes.out'), m.timeoutMs);
      m.record('bytes', 'wire', out, i);
    }
    for (let i = 1; i <= RUNS; i++) await firstNights(m, i);
    log(`${fmt(size)}: editing ${fmt(edits)} customers`);
    await editCustomers(url, edits);
    for (let i = 1; i <= RUNS; i++) await steadyNights(m, i);
    await control(url, '/_sandbox/reset');
  } finally {
    rmSync(m.dir, { recursive: true, force: true });
  }
  return { edits, results };
}

/** Run `i` of the first and the baseline nights; the baseline run's state is each contender's stored one. */
async function firstNights(m, i) {
  for (const c of CONTENDERS) {
    for (const night of ['first', 'baseline']) {
      const state = path.join(m.dir, `${c.mode}.state`);
      const out = await m.runOnce(m.url, c.mode, night, state, path.join(m.dir, `${c.mode}.xlsx`), m.timeoutMs);
      if (!out.error) out.wrong = wrong(out, night, m.size, m.edits);
      m.record(c.mode, night, out, i);
      if (night === 'baseline' && !out.error && existsSync(state)) copyFileSync(state, path.join(m.dir, `${c.mode}.base`));
      rmSync(state, { force: true });
    }
    rmSync(path.join(m.dir, `${c.mode}.xlsx`), { force: true });
  }
}

/** Run `i` of the steady night, each contender from its stored state. */
async function steadyNights(m, i) {
  for (const c of CONTENDERS) {
    const base = path.join(m.dir, `${c.mode}.base`);
    const state = path.join(m.dir, `${c.mode}.state`);
    let out;
    if (!existsSync(base)) {
      out = { error: 'no stored state (its baseline night failed)' };
    } else {
      copyFileSync(base, state);
      out = await m.runOnce(m.url, c.mode, 'steady', state, path.join(m.dir, `${c.mode}.xlsx`), m.timeoutMs);
      if (!out.error) out.wrong = wrong(out, 'steady', m.size, m.edits);
    }
    m.record(c.mode, 'steady', out, i);
    rmSync(state, { force: true });
    rmSync(path.join(m.dir, `${c.mode}.xlsx`), { force: true });
  }
}

/** The table's rows for one size. */
function rows(size, { edits, results }) {
  const summary = (mode, night) => {
    const outs = results.get(`${mode} ${night}`) ?? [];
    const ok = outs.filter((o) => !o.error);
    const errors = [...new Set(outs.filter((o) => o.error).map((o) => o.error))];
    const wrongs = [...new Set(ok.map((o) => o.wrong).filter(Boolean))];
    if (ok.length === 0) return { fails: errors.join('; ') || 'not run' };
    return { ms: stats(ok.map((o) => o.ms)), rss: stats(ok.map((o) => o.peakMB)), errors, wrongs, ok, outs };
  };
  const wire = summary('bytes', 'wire');
  const cell = (s, k, digits, scale = 1) => `${(s[k].median / scale).toFixed(digits)} (${(s[k].min / scale).toFixed(digits)}–${(s[k].max / scale).toFixed(digits)})`;
  const out = [];
  const line = (night, name, s, plain, note) => {
    if (s.fails) return out.push([fmt(size), night, name, `fails (${s.fails})`, '', '', '', '', note]);
    const vsWire = night === 'steady' && !wire.fails ? (s.ms.median / wire.ms.median).toFixed(2) : '';
    const vsPlain = plain && !plain.fails && plain !== s
      ? `${(s.ms.median / plain.ms.median).toFixed(2)} / ${(s.rss.median / plain.rss.median).toFixed(2)}` : '';
    const notes = [note, s.errors.length ? `${s.outs.length - s.ok.length} of ${s.outs.length} failed: ${s.errors.join('; ')}` : '',
      s.wrongs.length ? `WRONG: ${s.wrongs.join('; ')}` : ''].filter(Boolean).join('; ');
    const cpu = (k) => {
      const xs = s.ok.map((o) => o[k]).filter((x) => typeof x === 'number');
      return xs.length ? median(xs).toFixed(1) : '?';
    };
    out.push([fmt(size), night, name, cell(s, 'ms', 2, 1000), cell(s, 'rss', 0), `${cpu('cpuS')} + ${cpu('serverCpuS')}`, vsWire, vsPlain, notes]);
  };
  line('—', 'bytes (the wire: 6 in flight, bodies read, not parsed)', wire, null, wire.fails ? '' : `${wire.ok[0].wireMB.toFixed(0)} MB of JSON`);
  for (const night of NIGHTS) {
    const plain = summary('plain', night);
    for (const c of CONTENDERS) {
      const s = summary(c.mode, night);
      let note = '';
      if (!s.fails) {
        const o = s.ok[0];
        if (c.mode === 'api' && night !== 'baseline') note = o.note ?? '';
        if (night === 'steady') note = [note, `${fmt(edits)} edited`].filter(Boolean).join('; ');
        if (o.outMB) note = [note, `report ${o.outMB.toFixed(1)} MB`].filter(Boolean).join('; ');
        if (night === 'baseline') note = [note, `state ${o.stateMB.toFixed(0)} MB`].filter(Boolean).join('; ');
      }
      line(night, c.name, s, plain, note);
    }
  }
  return out;
}

async function pageCount(url) {
  const res = await fetch(`${url}/api/v1/data_owners/1/B2C/customers/`, { headers: HEADERS });
  return (await res.json()).count;
}

const all = [];
if (/^https?:\/\//.test(target)) {
  const size = await pageCount(target);
  log(`${target}: ${fmt(size)} customers`);
  all.push(...rows(size, await measureSize(target, size)));
} else {
  const sizes = (sizesArg ?? '100000,1000000').split(',').map(Number);
  if (BIG && !sizes.includes(3_000_000)) sizes.push(3_000_000);
  for (const [i, size] of sizes.entries()) {
    if (!(size >= 100 && size % 100 === 0)) throw new Error(`a size must be a multiple of 100: ${size}`);
    const sandbox = await startSandbox(target, ['--customers', String(size)]);
    log(`${fmt(size)} customers: sandbox at ${sandbox.url}`);
    try {
      all.push(...rows(size, await measureSize(sandbox.url, size, sandbox.pid)));
    } finally {
      sandbox.stop();
    }
    // A partial table after each size but the last, on stderr: a long run shows its results as it goes.
    if (i < sizes.length - 1) console.error(table('so far', HEADER, all));
  }
}

console.log(table(`The nightly sync at scale (data owner 1, B2C; one process per run, median of ${RUNS}; steady night: 1% of the customers edited since the stored state)`, HEADER, all));
