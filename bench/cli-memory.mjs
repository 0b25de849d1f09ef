// Benchmark 7: the `cube` command line writing ndjson — peak RSS of the CLI process at
// 10,000, 100,000 and 1,000,000 customers (one process per run), to show that streaming does
// not grow with the count. The CLI (pkg/bin/cube.mjs) writes to a pipe this script drains;
// its peak RSS is the kernel's high-water mark (VmHWM in /proc/PID/status), sampled until it
// exits.
//
//   node bench/cli-memory.mjs SANDBOX_URL [runs]      (the sandbox needs ≥ 1,000,000 customers)
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, table } from './common.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [url, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 3);
const COUNTS = [10_000, 100_000, 1_000_000];

function highWaterMB(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1]);
    return Number.isFinite(kb) ? kb / 1024 : NaN;
  } catch {
    return NaN; // exited between two samples
  }
}

/** One CLI run: records written, seconds, peak RSS (MB). */
function measure(limit) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [path.join(ROOT, 'pkg/bin/cube.mjs'), 'customers', '--data-owner', '1', '--crm', 'B2C',
      '--format', 'ndjson', '--limit', String(limit), '--quiet'], {
      env: { PATH: process.env.PATH, CUBE_BASE_URL: url, CUBE_TOKEN: 'demo-token' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let peak = 0;
    let lines = 0;
    let stderr = '';
    const sample = setInterval(() => {
      const mb = highWaterMB(child.pid);
      if (mb > peak) peak = mb;
    }, 20);
    child.stdout.on('data', (chunk) => {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      const mb = highWaterMB(child.pid);
      if (mb > peak) peak = mb;
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(sample);
      if (code !== 0) reject(new Error(`cube exited ${code}: ${stderr}`));
      else resolve({ lines, seconds: (performance.now() - started) / 1000, peakMB: peak });
    });
  });
}

const rows = [];
for (const count of COUNTS) {
  const results = [];
  for (let i = 0; i < runs; i++) {
    const r = await measure(count);
    if (r.lines !== count) throw new Error(`expected ${count} records, got ${r.lines}`);
    results.push(r);
    process.stderr.write(`ndjson ${count}: ${r.seconds.toFixed(1)} s, peak RSS ${r.peakMB.toFixed(0)} MB\n`);
  }
  const peaks = results.map((r) => r.peakMB);
  const seconds = median(results.map((r) => r.seconds));
  rows.push([
    count.toLocaleString('en-US'),
    seconds.toFixed(1),
    Math.round(count / seconds).toLocaleString('en-US'),
    median(peaks).toFixed(0),
    `${Math.min(...peaks).toFixed(0)}–${Math.max(...peaks).toFixed(0)}`,
  ]);
}
console.log(table(
  `The command line: \`cube customers --format ndjson\` to a pipe (peak RSS of the CLI process, ${runs} runs each)`,
  ['records', 'median s', 'records/s', 'median peak RSS (MB)', 'range (MB)'],
  rows,
));
