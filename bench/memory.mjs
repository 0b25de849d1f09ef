// Benchmark 3 (one mode per process): peak RSS while reading every customer of the sandbox,
// streaming with `for await` vs collecting with `.toArray()`, beside the documentation's
// plain `while next` loop streaming the same records (what the runtime itself retains).
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
} else if (mode === 'stream') {
  for await (const r of client.customers({ dataOwnerId: 1, crmType: 'B2C' })) if (r.crm__customer_id !== undefined) count++;
} else {
  const all = await client.customers({ dataOwnerId: 1, crmType: 'B2C' }).toArray();
  count = all.length;
}
const peak = process.resourceUsage().maxRSS * 1024;
console.log(JSON.stringify({ mode, count, baselineMB: baseline / 2 ** 20, peakMB: peak / 2 ** 20 }));
