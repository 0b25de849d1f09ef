// List endpoints: for await, pages(), toArray({limit}), parallel pages in order, progress,
// break, resume.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CubeClient } from '../../../pkg/node/index.mjs';
import { startSandbox, BASIC } from '../support/sandbox.mjs';

let sb;
let client;
const crm = { dataOwnerId: 1, crmType: 'B2C' };
const pagePaths = (log) => log.filter((r) => r.path.endsWith('/customers/'));

before(async () => {
  sb = await startSandbox(['--customers', '2345', '--page-size', '100']);
  client = new CubeClient({ baseUrl: sb.url, auth: BASIC, concurrency: 4 });
});
after(() => sb.stop());

test('a parallel read returns exactly count records, in order, each once', async () => {
  const plain = [];
  let url = `${sb.url}/api/v1/data_owners/1/B2C/customers/`;
  const headers = { Authorization: 'Token demo-token', Accept: 'application/json' };
  while (url) {
    const page = await (await fetch(url, { headers })).json();
    plain.push(...page.results);
    url = page.next;
  }
  assert.equal(plain.length, 2345);
  const records = await client.customers(crm).toArray();
  assert.equal(records.length, 2345);
  assert.deepEqual(records.map((r) => r.crm__customer_id), plain.map((r) => r.crm__customer_id));
  assert.deepEqual(records, plain, 'records arrive exactly as the server sent them');
});

test('pages are requested in parallel after the first', async () => {
  await sb.clearRequests();
  let inFlight = 0;
  let maxInFlight = 0;
  const c = new CubeClient({
    baseUrl: sb.url,
    auth: BASIC,
    concurrency: 4,
    onRequest: () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
    },
    onResponse: () => inFlight--,
  });
  const pages = [];
  for await (const page of c.customers(crm).pages()) pages.push(page);
  assert.deepEqual(pages.map((p) => p.page), Array.from({ length: 24 }, (_, i) => i + 1));
  assert.equal(pages.at(-1).loaded, 2345);
  assert.ok(pages.every((p) => p.total === 2345));
  assert.ok(maxInFlight > 1 && maxInFlight <= 4, `max in flight ${maxInFlight}`);
  const log = pagePaths(await sb.requests());
  assert.equal(log.length, 24, 'each page requested once');
  const numbers = log.map((r) => Number(new URLSearchParams(r.query ?? '').get('page') ?? 1)).sort((a, b) => a - b);
  assert.deepEqual(numbers, Array.from({ length: 24 }, (_, i) => i + 1));
});

test('for await yields records; break stops fetching', async () => {
  await sb.clearRequests();
  const c = new CubeClient({ baseUrl: sb.url, auth: BASIC, concurrency: 2 });
  let n = 0;
  for await (const record of c.customers(crm)) {
    assert.equal(typeof record.crm__customer_id, 'string');
    if (++n === 150) break;
  }
  await new Promise((r) => setTimeout(r, 200));
  const log = pagePaths(await sb.requests());
  // 150 records are pages 1–2; the read may have asked for at most 2 × concurrency pages
  // beyond the one being read (README, "Pagination"), far fewer than the 24 there are.
  const bound = 2 + 2 * 2;
  assert.ok(log.length >= 2 && log.length <= bound, `pages requested: ${log.length}, bound ${bound}`);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(pagePaths(await sb.requests()).length, log.length, 'nothing is requested after break');
});

test('toArray({ limit }) fetches only the pages it needs', async () => {
  await sb.clearRequests();
  const records = await client.customers(crm).toArray({ limit: 250 });
  assert.equal(records.length, 250);
  assert.equal(pagePaths(await sb.requests()).length, 3);
});

test('onProgress reports loaded and total', async () => {
  const seen = [];
  await client.customers({ ...crm, onProgress: (p) => seen.push(p) }).toArray();
  assert.equal(seen.length, 24);
  assert.deepEqual(seen.at(-1), { loaded: 2345, total: 2345, page: 24 });
  assert.ok(seen.every((p, i) => i === 0 || p.loaded > seen[i - 1].loaded));
});

test('page: N resumes a read', async () => {
  const all = await client.customers(crm).toArray();
  const rest = await client.customers({ ...crm, page: 20 }).toArray();
  assert.deepEqual(rest, all.slice(1900));
});

test('a pager can be iterated twice, each a fresh read', async () => {
  const pager = client.customers(crm);
  const a = await pager.toArray({ limit: 5 });
  const b = await pager.toArray({ limit: 5 });
  assert.deepEqual(a, b);
});
