// Shared pieces of the benchmarks: timing, medians, tables, the plain-JS baselines.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export const HEADERS = { Authorization: 'Token demo-token', Accept: 'application/json', 'Content-Type': 'application/json' };

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export async function timeRuns(runs, fn) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return { median: median(times), min: Math.min(...times), max: Math.max(...times) };
}

export function table(title, header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => '| ' + cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ') + ' |';
  const out = [`\n### ${title}\n`, line(header), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...rows.map(line)];
  return out.join('\n');
}

/** The loop from Cube's documentation: fetch, parse, follow `next` until it is null. */
export async function sequentialLoop(firstUrl) {
  const out = [];
  let url = firstUrl;
  while (url) {
    const res = await fetch(url, { headers: HEADERS });
    if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
    const page = await res.json();
    for (const r of page.results) out.push(r);
    url = page.next;
  }
  return out;
}

/** The best plain-JS code one could write: page 1, then page=N with a pool of workers. */
export async function parallelFetch(firstUrl, concurrency) {
  const get = async (url) => {
    const res = await fetch(url, { headers: HEADERS });
    if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
    return res.json();
  };
  const first = await get(firstUrl);
  const size = first.results.length;
  const pages = first.next ? Math.ceil(first.count / size) : 1;
  const results = new Array(pages);
  results[0] = first.results;
  let next = 2;
  const worker = async () => {
    while (next <= pages) {
      const n = next++;
      results[n - 1] = (await get(`${firstUrl}?page=${n}`)).results;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, pages - 1) }, worker));
  const out = [];
  for (const page of results) for (const r of page) out.push(r);
  return out;
}

/** Field-by-field equality of two flat records (values are strings and numbers): the hand-written contenders' diff. */
export function sameRecord(a, b) {
  for (const f in a) {
    const x = a[f];
    const y = b[f];
    if (x !== y && !(typeof x === 'object' && JSON.stringify(x) === JSON.stringify(y))) return false;
  }
  for (const f in b) if (!(f in a)) return false;
  return true;
}

/** The release sandbox from its binary on a free port, with ARGS (e.g. `--customers N`): { url, pid, stop }. */
export function startSandbox(bin, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    const stop = () => child.exitCode === null && child.signalCode === null && child.kill();
    process.on('exit', stop);
    let buf = '';
    let started = false;
    child.on('error', reject);
    child.on('exit', (code) => started || reject(new Error(`the sandbox exited (${code}) before listening`)));
    child.stdout.on('data', (d) => {
      if (started) return; // keep draining so that it never blocks on a full pipe
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl === -1) return;
      const first = buf.slice(0, nl);
      if (!first.startsWith('listening on ')) return reject(new Error(`the sandbox's first line was ${JSON.stringify(first)}`));
      started = true;
      resolve({ url: first.slice('listening on '.length).trim(), pid: child.pid, stop });
    });
  });
}

/**
 * CPU seconds (user + system) a process has used so far, from /proc/PID/stat (Linux; clock
 * ticks of 1/100 s, the kernel's USER_HZ): null where that cannot be read.
 */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // after "pid (comm) "
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime: fields 14 and 15
  } catch {
    return null;
  }
}

/** POST to one of the sandbox's control endpoints (`/_sandbox/…`): its JSON answer. */
export async function control(url, p, body) {
  const res = await fetch(url + p, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body ?? {}) });
  if (!res.ok) throw new Error(`POST ${p} → ${res.status}: ${await res.text()}`);
  return res.json();
}

/** Reset, then edit exactly `count` distinct customers (fixed seeds, topped up as nightly.mjs). */
export async function editCustomers(url, count) {
  await control(url, '/_sandbox/reset');
  const ids = new Set();
  for (let round = 0; ids.size < count; round++) {
    if (round === 10) throw new Error(`only ${ids.size} distinct customers edited after 10 rounds`);
    const { edited } = await control(url, '/_sandbox/edits', { count: count - ids.size, dataOwnerId: 1, crmType: 'B2C', seed: 6100 + round });
    for (const e of edited) ids.add(e.customerId);
  }
  return ids.size;
}
