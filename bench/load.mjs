// Load test of the Cube sandbox: N concurrent clients (one keep-alive connection each) for S
// seconds on loopback against a release sandbox, with a small injected fault rate. Measures
// requests/s, MB/s, errors (anything beyond the injected faults is an error), latency
// percentiles, and the sandbox's RSS (VmRSS from /proc/PID/status) sampled every second.
//
//   cargo build --release -p cube-sandbox
//   node bench/load.mjs [--clients 200] [--seconds 30] [--customers 100000] [--fault-rate 0.01]
//                       [--bin target/release/cube-sandbox] [--json]
//
// Bounded: every client stops at the deadline, every request has a 10 s timeout, the whole
// run is killed after seconds + 30. Exit code 1 if an unexpected error occurred or the RSS grew
// by more than 25% between the end of the warm-up (10 s, or a third of a shorter run) and the end.
import http from 'node:http';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const opts = { clients: 200, seconds: 30, customers: 100_000, 'fault-rate': 0.01, bin: path.join(ROOT, 'target/release/cube-sandbox'), json: false };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const key = argv[i].replace(/^--/, '');
  if (!(key in opts)) throw new Error(`unknown flag ${argv[i]}`);
  opts[key] = typeof opts[key] === 'boolean' ? true : typeof opts[key] === 'number' ? Number(argv[++i]) : argv[++i];
}
const { clients: CLIENTS, seconds: SECONDS, customers: CUSTOMERS } = opts;
if (!(CLIENTS >= 1 && CLIENTS <= 1000 && SECONDS > 0 && SECONDS <= 600)) throw new Error('clients 1..1000, seconds 1..600');
const HOST = '127.0.0.1'; // loopback only, by construction
const PAGE_SIZE = 500;
const AUTH = { Authorization: 'Token demo-token', Accept: 'application/json' };

// --- the sandbox --------------------------------------------------------------------------
const child = spawn(opts.bin, ['--host', HOST, '--port', '0', '--customers', String(CUSTOMERS)], { stdio: ['ignore', 'pipe', 'inherit'] });
const killer = setTimeout(() => {
  console.error('load test exceeded its time bound; stopping');
  child.kill('SIGKILL');
  process.exit(2);
}, (SECONDS + 30) * 1000);
process.on('exit', () => child.kill('SIGKILL'));
const base = await new Promise((resolve, reject) => {
  const lines = createInterface({ input: child.stdout });
  lines.once('line', (line) => {
    const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
    m ? resolve(m[1]) : reject(new Error(`unexpected first line: ${line}`));
  });
  lines.on('line', () => {});
  child.once('exit', (code) => reject(new Error(`sandbox exited (${code})`)));
});
const port = Number(new URL(base).port);
const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024;

async function control(method, p, body) {
  const res = await fetch(base + p, { method, headers: { 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
  return res.json();
}
const info = await control('GET', '/_sandbox/info');
const campaigns = info.dataOwners.flatMap((o) => o.campaignIds);
if (opts['fault-rate'] > 0) {
  await control('POST', '/_sandbox/faults', { seed: 1, rules: [{ kind: 'status', status: 503, rate: opts['fault-rate'] }] });
}

// --- the request mix ------------------------------------------------------------------------
const pages = Math.ceil(CUSTOMERS / PAGE_SIZE);
const rnd = (n) => Math.floor(Math.random() * n);
const pick = (xs) => xs[rnd(xs.length)];
const crm = () => `${1 + rnd(3)}/${pick(['B2C', 'B2B'])}`;
const page = () => `page=${1 + rnd(pages)}`;
const MIX = [
  [40, () => `/api/v1/data_owners/${crm()}/customers/?${page()}`],
  [15, () => `/api/v1/data_owners/${crm().replace('/', '/crm/')}/callflow_customers/?${page()}`],
  [10, () => `/api/v1/campaigns/${pick(campaigns)}/call_outcomes/`],
  [5, () => `/api/v1/data_owners/1/B2C/customers/${String(100000 + rnd(1000))}`],
  [15, () => '/account/who_am_i'],
  [15, () => '/api/v1/campaigns'],
];
const WEIGHT = MIX.reduce((s, [w]) => s + w, 0);
function nextPath() {
  let r = rnd(WEIGHT);
  for (const [w, make] of MIX) if ((r -= w) < 0) return make();
  return MIX[0][1]();
}

// --- clients --------------------------------------------------------------------------------
const latencies = [];
const statuses = {};
const errors = {};
let bytes = 0;
let checked = 0;
let badBodies = 0;

function request(agent, p) {
  return new Promise((resolve) => {
    const started = performance.now();
    const req = http.get({ host: HOST, port, path: p, agent, headers: AUTH }, (res) => {
      const chunks = [];
      res.on('data', (c) => {
        bytes += c.length;
        chunks.push(c);
      });
      res.on('end', () => {
        latencies.push(performance.now() - started);
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
        // Check one body in 50 is well-formed JSON of the right kind (404 for an unknown
        // customer id is a valid answer too).
        if (++checked % 50 === 0) {
          try {
            const v = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            if (res.statusCode === 200 && p.includes('?page=') && !Array.isArray(v.results)) badBodies++;
          } catch {
            badBodies++;
          }
        }
        resolve();
      });
      res.on('error', (e) => {
        errors[e.code ?? e.message] = (errors[e.code ?? e.message] ?? 0) + 1;
        resolve();
      });
    });
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.on('error', (e) => {
      errors[e.code ?? e.message] = (errors[e.code ?? e.message] ?? 0) + 1;
      resolve();
    });
  });
}

const samples = [];
const startedAt = performance.now();
const deadline = startedAt + SECONDS * 1000;
samples.push({ t: 0, rssMb: rss() });
const sampler = setInterval(() => samples.push({ t: Math.round((performance.now() - startedAt) / 1000), rssMb: rss() }), 1000);
let sent = 0;
await Promise.all(
  Array.from({ length: CLIENTS }, async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    for (let i = 0; i < 10_000_000 && performance.now() < deadline; i++) {
      sent++;
      await request(agent, nextPath());
    }
    agent.destroy();
  }),
);
const elapsed = (performance.now() - startedAt) / 1000;
clearInterval(sampler);
samples.push({ t: Math.round(elapsed), rssMb: rss() });
const faults = await control('GET', '/_sandbox/faults');
const injected = faults.rules.reduce((s, r) => s + r.injected, 0);
clearTimeout(killer);
child.kill('SIGKILL');

// --- report ---------------------------------------------------------------------------------
latencies.sort((a, b) => a - b);
const pct = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
const total = latencies.length;
const ok = (statuses[200] ?? 0) + (statuses[404] ?? 0); // 404: a random customer id that does not exist
const unexpectedStatus = total - ok - (statuses[503] ?? 0);
const errorCount = Object.values(errors).reduce((s, n) => s + n, 0);
// Warm-up: connections open, buffers and the sandbox's request log (the last 10,000 requests) fill.
const warm = samples.filter((s) => s.t >= Math.min(10, SECONDS / 3));
const warmStart = warm[0]?.rssMb ?? samples[0].rssMb;
const end = samples.at(-1).rssMb;
const peak = Math.max(...samples.map((s) => s.rssMb));
const growth = (end - warmStart) / warmStart;
const result = {
  clients: CLIENTS,
  seconds: Number(elapsed.toFixed(1)),
  customersPerCrm: CUSTOMERS,
  requests: total,
  requestsPerSecond: Math.round(total / elapsed),
  mbPerSecond: Number((bytes / 1e6 / elapsed).toFixed(1)),
  statuses,
  injected503: injected,
  observed503: statuses[503] ?? 0,
  unexpectedStatus,
  networkErrors: errors,
  badBodies,
  latencyMs: { p50: +pct(0.5).toFixed(2), p90: +pct(0.9).toFixed(2), p99: +pct(0.99).toFixed(2), max: +latencies.at(-1).toFixed(2) },
  rssMb: { start: +samples[0].rssMb.toFixed(1), afterWarmup: +warmStart.toFixed(1), peak: +peak.toFixed(1), end: +end.toFixed(1), growthAfterWarmupPct: +(growth * 100).toFixed(1) },
  rssSeries: samples.filter((s, i) => i % 5 === 0 || i === samples.length - 1).map((s) => `${s.t}s:${s.rssMb.toFixed(1)}`).join(' '),
};
const failures = [];
if (unexpectedStatus) failures.push(`${unexpectedStatus} unexpected statuses`);
if ((statuses[503] ?? 0) !== injected) failures.push(`503s observed ${statuses[503] ?? 0} ≠ injected ${injected}`);
if (errorCount) failures.push(`${errorCount} network errors`);
if (badBodies) failures.push(`${badBodies} malformed bodies`);
if (growth > 0.25) failures.push(`RSS grew ${(growth * 100).toFixed(0)}% after warm-up`);
if (opts.json) console.log(JSON.stringify({ ...result, failures }, null, 2));
else {
  console.log(`${CLIENTS} clients × ${result.seconds} s on ${base} (${CUSTOMERS} customers per CRM)`);
  console.log(`requests: ${total} (${result.requestsPerSecond}/s, ${result.mbPerSecond} MB/s); statuses ${JSON.stringify(statuses)}`);
  console.log(`injected 503: ${injected}, observed 503: ${result.observed503}; network errors ${JSON.stringify(errors)}; malformed bodies ${badBodies}`);
  console.log(`latency ms: p50 ${result.latencyMs.p50}, p90 ${result.latencyMs.p90}, p99 ${result.latencyMs.p99}, max ${result.latencyMs.max}`);
  console.log(`sandbox RSS MB: start ${result.rssMb.start}, after warm-up ${result.rssMb.afterWarmup}, peak ${result.rssMb.peak}, end ${result.rssMb.end} (${result.rssMb.growthAfterWarmupPct}% after warm-up)`);
  console.log(`RSS over time: ${result.rssSeries}`);
  console.log(failures.length ? `FAIL: ${failures.join('; ')}` : 'OK: no errors beyond the injected faults, memory flat');
}
process.exit(failures.length ? 1 : 0);
