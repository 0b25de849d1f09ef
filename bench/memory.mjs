// Benchmark 3 (one mode per process): peak RSS while reading every customer of the sandbox,
// streaming with `for await` vs collecting with `.toArray()`, beside the documentation's
// plain `while next` loop and a hand-written parallel loop streaming the same records (what
// the runtime itself retains at one and at six requests in flight).
import { CubeClient } from '../pkg/node/index.mjs';

const [url0, mode] = process.argv.slice(2);
const client = new CubeClient({ baseUrl: url0, auth: { token: 'demo-token' } });
await client.whoAmI();
global.gc?.();
const baseline = process.memoryUsage().rss;
let count = 0;
if (mode === 'plain-stream') {
  let url = `${url0}/api/v1/data_owners/1/B2C/customers/`;
  while (url) {
    const page = await (await fetch(url, { headers: { Authorization: 'Token demo-token', Accept: 'application/json' } })).json();
    for (const r of page.results) if (r.crm__customer_id !== undefined) count++;
    url = page.next;
  }
} else if (mode === 'plain-parallel-stream') {
  // The best hand-written streaming code with the package's default concurrency: 6 requests in
  // flight ahead of the reader, pages handled in order and dropped.
  const first = `${url0}/api/v1/data_owners/1/B2C/customers/`;
  const get = async (u) => (await fetch(u, { headers: { Authorization: 'Token demo-token', Accept: 'application/json' } })).json();
  const head = await get(first);
  for (const r of head.results) if (r.crm__customer_id !== undefined) count++;
  const pages = Math.ceil(head.count / head.results.length);
  const started = new Map();
  let requested = 1;
  for (let n = 2; n <= pages; n++) {
    while (requested < pages && requested < n + 5) {
      requested++;
      started.set(requested, get(`${first}?page=${requested}`));
    }
    const page = await started.get(n);
    started.delete(n);
    for (const r of page.results) if (r.crm__customer_id !== undefined) count++;
  }
} else if (mode === 'stream') {
  for await (const r of client.customers({ dataOwnerId: 1, crmType: 'B2C' })) if (r.crm__customer_id !== undefined) count++;
} else {
  const all = await client.customers({ dataOwnerId: 1, crmType: 'B2C' }).toArray();
  count = all.length;
}
const peak = process.resourceUsage().maxRSS * 1024;
console.log(JSON.stringify({ mode, count, baselineMB: baseline / 2 ** 20, peakMB: peak / 2 ** 20 }));
