// Benchmark 1: full sync of the sandbox's 100,000 customers (200 pages of 500), the package
// with defaults vs the documentation's sequential loop vs hand-written parallel fetch, at 0
// and 30 ms added latency per request. Median of RUNS runs each.
import { CubeClient } from '../pkg/node/index.mjs';
import { HEADERS, parallelFetch, sequentialLoop, table, timeRuns } from './common.mjs';

const [url, runsArg] = process.argv.slice(2);
const RUNS = Number(runsArg ?? 5);
const COUNT = 100_000;
const first = `${url}/api/v1/data_owners/1/B2C/customers/`;
const concurrency = 6; // the package's default
const setLatency = async (ms) => {
  const res = await fetch(`${url}/_sandbox/faults`, { method: 'POST', headers: HEADERS, body: JSON.stringify({ latencyMs: ms }) });
  if (!res.ok) throw new Error(await res.text());
};
const check = (records) => {
  if (records.length !== COUNT) throw new Error(`got ${records.length} records, expected ${COUNT}`);
};

const client = new CubeClient({ baseUrl: url, auth: { token: 'demo-token' } });
const contenders = {
  'package (toArray, defaults)': async () => check(await client.customers({ dataOwnerId: 1, crmType: 'B2C' }).toArray()),
  'package (for await records)': async () => {
    let n = 0;
    for await (const r of client.customers({ dataOwnerId: 1, crmType: 'B2C' })) if (r) n++;
    if (n !== COUNT) throw new Error(`got ${n}`);
  },
  'plain JS sequential `while next`': async () => check(await sequentialLoop(first)),
  [`plain JS parallel fetch (${concurrency})`]: async () => check(await parallelFetch(first, concurrency)),
};

const rows = [];
for (const latency of [0, 30]) {
  await setLatency(latency);
  await contenders['plain JS sequential `while next`'](); // warm-up (JIT, connections)
  await contenders['package (toArray, defaults)']();
  const results = {};
  for (const [name, fn] of Object.entries(contenders)) results[name] = await timeRuns(RUNS, fn);
  const seq = results['plain JS sequential `while next`'].median;
  const par = results[`plain JS parallel fetch (${concurrency})`].median;
  for (const [name, r] of Object.entries(results)) {
    rows.push([`${latency} ms`, name, r.median.toFixed(0), `${r.min.toFixed(0)}–${r.max.toFixed(0)}`, (seq / r.median).toFixed(2) + '×', (r.median / par).toFixed(2)]);
  }
}
await setLatency(0);
console.log(table(`Full sync of ${COUNT.toLocaleString('en')} customers (${COUNT / 500} pages), median of ${RUNS}`,
  ['latency', 'contender', 'median ms', 'range ms', 'speed-up vs sequential', 'time ÷ parallel JS'], rows));
