// List endpoints: for await, pages(), toArray({limit}), parallel pages in order, progress,
// break, resume.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CubeClient } from '../../../pkg/node/index.mjs';
import { startSandbox, eventually, BASIC } from '../support/sandbox.mjs';

// Per test: generous, so only a hang fails by time (CI is a busy 2-core machine).
const T = { timeout: 60_000 };

let sb;
let client;
const crm = { dataOwnerId: 1, crmType: 'B2C' };
const pagePaths = (log) => log.filter((r) => r.path.endsWith('/customers/'));

before(async () => {
  sb = await startSandbox(['--customers', '2345', '--page-size', '100']);
  client = new CubeClient({ baseUrl: sb.url, auth: BASIC, concurrency: 4 });
});
after(() => sb.stop());

test('a parallel read returns exactly count records, in order, each once', T, async () => {
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

test('pages are requested in parallel after the first', T, async () => {
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

test('for await yields records; break stops fetching', T, async () => {
  await sb.clearRequests();
  // No sleep: each page request is noted by an injected fetch with whether the loop had
  // broken when it was made, so a request after the break fails this test whenever it comes.
  let broken = false;
  const made = [];
  const page = (url) => Number(new URL(url).searchParams.get('page') ?? 1);
  const marked = (url, init) => {
    if (new URL(url).pathname.endsWith('/customers/')) made.push({ page: page(url), afterBreak: broken });
    return fetch(url, init);
  };
  const concurrency = 2;
  const c = new CubeClient({ baseUrl: sb.url, auth: BASIC, concurrency, fetch: marked });
  let n = 0;
  for await (const record of c.customers(crm)) {
    assert.equal(typeof record.crm__customer_id, 'string');
    if (++n === 150) {
      broken = true;
      break;
    }
  }
  // 150 records are pages 1–2; the read may have asked for at most 2 × concurrency pages
  // beyond the one being read (README, "Pagination"), far fewer than the 24 there are.
  const pages = made.map((m) => m.page);
  const bound = 2 + 2 * concurrency;
  assert.ok(pages.length >= 2 && pages.length <= bound, `pages requested: ${pages}, bound ${bound}`);
  assert.equal(new Set(pages).size, pages.length, `each page once: ${pages}`);
  // Every page request that reached the server ended (answered, or closed by the break)...
  const log = await eventually(async () => {
    const entries = pagePaths(await sb.requests());
    return entries.every((r) => r.state !== 'arrived') && entries;
  }, { what: 'every page request ended' });
  const logged = log.map((r) => Number(new URLSearchParams(r.query).get('page') ?? 1));
  assert.ok(logged.every((p) => pages.includes(p)), `the server saw only pages the read asked for: ${logged} of ${pages}`);
  // ...then a request of the same client (a marker): no page request is made after the break,
  // and none reaches the server after the marker.
  assert.equal((await c.whoAmI()).username, 'demo@example.com');
  const marker = (await sb.requests()).find((r) => r.path === '/account/who_am_i');
  assert.ok(marker, 'the marker reached the server');
  assert.deepEqual(pagePaths(await sb.requests()).filter((r) => r.seq > marker.seq).map((r) => r.query), [], 'no page request after the marker');
  assert.deepEqual(made.filter((m) => m.afterBreak), [], `no page was requested after the break: ${JSON.stringify(made)}`);
});

test('break aborts the requests in flight', { timeout: 60_000 }, async () => {
  await sb.clearRequests();
  // Every page after the first is held 30 s by the server, so whatever is in flight when the
  // loop breaks is still waiting then; only the client closing it can end it early.
  await sb.faults({ rules: [{ route: '/api/v1/data_owners/', kind: 'delay', latencyMs: 30_000, skip: 1 }] });
  try {
    const c = new CubeClient({ baseUrl: sb.url, auth: BASIC, concurrency: 3 });
    const held = async () => pagePaths(await sb.requests()).filter((r) => r.state === 'arrived');
    for await (const record of c.customers(crm)) {
      assert.equal(typeof record.crm__customer_id, 'string');
      // Break while `concurrency` pages are in flight (the server saw them arrive).
      await eventually(async () => (await held()).length === 3, { what: 'three pages in flight' });
      break;
    }
    const log = await eventually(async () => {
      const entries = pagePaths(await sb.requests());
      return entries.every((r) => r.state !== 'arrived') && entries;
    }, { what: 'every request in flight at the break ended (the client closed them)' });
    assert.deepEqual(log.map((r) => r.state), ['answered', 'aborted', 'aborted', 'aborted'], JSON.stringify(log.map((r) => [r.query, r.state])));
    assert.equal(log[0].query, '', 'page 1 was answered');
  } finally {
    await sb.clearFaults();
  }
});

test('a slow page does not hold the others back', { timeout: 60_000 }, async () => {
  await sb.clearRequests();
  // Counted, not timed: an injected fetch holds the answer to page 2 (one of the first
  // `concurrency` pages after page 1) until `concurrency` pages requested after it have been
  // answered. A worker pool gets there: it sends a new request as each other one ends. A
  // batch-at-a-time reader answers at most `concurrency - 1` batch mates, then waits for
  // page 2, so the gate would stay shut (the 20 s fallback only ends a failing run).
  const concurrency = 3;
  const page = (url) => Number(new URL(url).searchParams.get('page') ?? 1);
  let held = true;
  const overtook = [];
  let release;
  const gate = new Promise((resolve) => { release = resolve; });
  const fallback = setTimeout(release, 20_000);
  let slowAsked = false;
  const slowSecond = async (url, init) => {
    const n = page(url);
    const answer = fetch(url, init);
    if (n === 2) {
      slowAsked = true;
      await gate;
      held = false;
      return answer;
    }
    const res = await answer;
    if (held && slowAsked) {
      overtook.push(n);
      if (overtook.length === concurrency) release();
    }
    return res;
  };
  const c = new CubeClient({ baseUrl: sb.url, auth: BASIC, concurrency, fetch: slowSecond });
  const pages = [];
  for await (const p of c.customers(crm).pages()) pages.push(p.page);
  clearTimeout(fallback);
  assert.deepEqual(pages, Array.from({ length: 24 }, (_, i) => i + 1), 'still delivered in order');
  assert.ok(overtook.length >= concurrency, `pages requested and answered while page 2 was held: ${overtook}`);
  // The server's log agrees: a page past the first batch was requested only after another
  // page was answered (a free slot refilled), each page once.
  const log = pagePaths(await sb.requests());
  assert.equal(log.length, 24, 'each page requested once');
  const pageOf = (r) => Number(new URLSearchParams(r.query).get('page') ?? 1);
  const refill = log.find((r) => pageOf(r) === 2 + concurrency);
  assert.ok(log.some((r) => pageOf(r) > 1 && pageOf(r) < 2 + concurrency && r.endSeq < refill.seq), 'a page was answered before page 5 was asked for');
});

test('toArray({ limit }) fetches only the pages it needs', T, async () => {
  await sb.clearRequests();
  const records = await client.customers(crm).toArray({ limit: 250 });
  assert.equal(records.length, 250);
  assert.equal(pagePaths(await sb.requests()).length, 3);
});

test('onProgress reports loaded and total', T, async () => {
  const seen = [];
  await client.customers({ ...crm, onProgress: (p) => seen.push(p) }).toArray();
  assert.equal(seen.length, 24);
  assert.deepEqual(seen.at(-1), { loaded: 2345, total: 2345, page: 24 });
  assert.ok(seen.every((p, i) => i === 0 || p.loaded > seen[i - 1].loaded));
});

test('page: N resumes a read', T, async () => {
  const all = await client.customers(crm).toArray();
  const rest = await client.customers({ ...crm, page: 20 }).toArray();
  assert.deepEqual(rest, all.slice(1900));
});

test('a pager can be iterated twice, each a fresh read', T, async () => {
  const pager = client.customers(crm);
  const a = await pager.toArray({ limit: 5 });
  const b = await pager.toArray({ limit: 5 });
  assert.deepEqual(a, b);
});
