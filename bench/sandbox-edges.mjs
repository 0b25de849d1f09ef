// Benchmark 8: the sandbox's edges side by side. The same client (CubeClient, defaults:
// 6 pages in flight) reads every page of 100,000 customers (200 pages of 500) from
//   - the native server `cube-sandbox` (its own process; URL given),
//   - `npx cube-integration sandbox`: the wasm core behind Node's http (its own process),
//   - createSandbox(): the wasm core in this process, as the client's `fetch`.
// Contenders take turns within each run (interleaved), so a busy machine slows all alike.
// Prints pages/s (median, range) and each edge's time ÷ the native server's, per run.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { CubeClient } from '../pkg/node/index.mjs';
import { createSandbox } from '../pkg/sandbox/node.js';
import { median, table } from './common.mjs';

const [nativeUrl, runsArg] = process.argv.slice(2);
const RUNS = Number(runsArg ?? 5);
const CUSTOMERS = 100_000;
const PAGE_SIZE = 500;
const PAGES = CUSTOMERS / PAGE_SIZE;
const auth = { token: 'demo-token' };

async function startNodeEdge() {
  const cli = fileURLToPath(new URL('../pkg/bin/cube.mjs', import.meta.url));
  const child = spawn(process.execPath, [cli, 'sandbox', '--port', '0', '--customers', String(CUSTOMERS), '--page-size', String(PAGE_SIZE)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`npx cube-integration sandbox exited (${code})`)));
    lines.once('line', (line) => {
      const m = /^listening on (http:\/\/\S+)$/.exec(line);
      m ? resolve(m[1]) : reject(new Error(`unexpected first line: ${line}`));
    });
  });
  lines.on('line', () => {});
  return { url, stop: () => child.kill('SIGTERM') };
}

const nodeEdge = await startNodeEdge();
const inProcess = await createSandbox({ customers: CUSTOMERS, pageSize: PAGE_SIZE });
const contenders = {
  'native `cube-sandbox` (HTTP, own process)': new CubeClient({ baseUrl: nativeUrl, auth }),
  '`npx cube-integration sandbox` (HTTP, own process)': new CubeClient({ baseUrl: nodeEdge.url, auth }),
  'createSandbox() (in-process fetch)': new CubeClient({ baseUrl: inProcess.baseUrl, auth, fetch: inProcess.fetch }),
};
const NATIVE = Object.keys(contenders)[0];

async function readAll(client) {
  let pages = 0;
  let records = 0;
  for await (const page of client.customers({ dataOwnerId: 1, crmType: 'B2C' }).pages()) {
    pages++;
    records += page.records.length;
  }
  if (pages !== PAGES || records !== CUSTOMERS) throw new Error(`read ${pages} pages, ${records} records`);
}

try {
  for (const client of Object.values(contenders)) await readAll(client); // warm-up: JIT, connections
  const times = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
  for (let run = 0; run < RUNS; run++) {
    for (const [name, client] of Object.entries(contenders)) {
      const t = performance.now();
      await readAll(client);
      times[name].push(performance.now() - t);
    }
    inProcess.clearRequests(); // the log keeps 10,000 entries; keep its cost out of the runs
  }
  const rate = (ms) => (PAGES / ms) * 1000;
  const rows = Object.entries(times).map(([name, ms]) => {
    const ratios = ms.map((t, i) => t / times[NATIVE][i]);
    return [
      name,
      rate(median(ms)).toFixed(0),
      `${rate(Math.max(...ms)).toFixed(0)}–${rate(Math.min(...ms)).toFixed(0)}`,
      median(ms).toFixed(0),
      median(ratios).toFixed(2),
      `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`,
    ];
  });
  console.log(table(
    `The sandbox's edges: one client reads ${CUSTOMERS.toLocaleString('en')} customers (${PAGES} pages of ${PAGE_SIZE}), interleaved, ${RUNS} runs`,
    ['edge', 'pages/s (median)', 'pages/s range', 'median ms', 'time ÷ native', 'per-run range'],
    rows,
  ));
} finally {
  nodeEdge.stop();
  inProcess.close();
}
