// Fault matrix: a 20,000-customer sync under 503s, 429s with Retry-After, connection resets and
// truncated bodies delivers every record exactly once and in order, for 20 fault seeds; when
// the faults outlast the retry budget the CubeError names `resumePage`, and resuming from it
// completes the set, exactly once overall.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CubeClient, CubeError } from '../../../pkg/node/index.mjs';
import { startSandbox, BASIC } from '../support/sandbox.mjs';
import { ROUTE, matrix } from '../support/fault-matrix.mjs';

const CUSTOMERS = 20_000;
const PAGE_SIZE = 1000; // 20 pages per read: fewer round trips keep 20 seeds quick
const PAGES = CUSTOMERS / PAGE_SIZE;
const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);
const LANES = 4; // sandboxes, each running its share of the seeds one after another
const crm = { dataOwnerId: 1, crmType: 'B2C' };
const args = ['--customers', String(CUSTOMERS), '--page-size', String(PAGE_SIZE)];

let lanes = [];
let reference; // customer ids of a fault-free read, in order

const ids = (records) => records.map((r) => r.crm__customer_id);
const pageOf = (entry) => Number(new URLSearchParams(entry.query ?? '').get('page') ?? 1);

before(async () => {
  lanes = await Promise.all(Array.from({ length: LANES }, () => startSandbox(args)));
  const client = new CubeClient({ baseUrl: lanes[0].url, auth: BASIC });
  reference = ids(await client.customers(crm).toArray());
  assert.equal(reference.length, CUSTOMERS);
});
after(() => lanes.forEach((sb) => sb.stop()));

// The contract is the data (every record once, in order), not the run's time: the timeout only
// stops a hang. A run took 35 s on the 2-core development machine with other builds running;
// 5 minutes leaves room for a busy CI machine and the debug sandbox.
test('20 seeds × 20,000 customers under 503/429/reset/truncate: every record exactly once, in order', { timeout: 300_000 }, async (t) => {
  const injected = { 503: 0, 429: 0, reset: 0, truncate: 0 };
  const runSeed = async (sb, seed) => {
    await sb.faults(matrix(seed));
    await sb.clearRequests();
    const retries = [];
    // A generous budget (15 retries, 5 ms first step) so a seed never fails by bad luck: at
    // ~18% faults per request, 16 faults in a row on one page is ~1e-12. The small step keeps
    // the run short; a 429's Retry-After (1 s) is still honoured, since it is longer.
    const client = new CubeClient({
      baseUrl: sb.url,
      auth: BASIC,
      maxRetries: 15,
      retryDelayMs: 5,
      onRetry: (e) => retries.push(e),
    });
    const got = [];
    const pages = [];
    for await (const page of client.customers(crm).pages()) {
      pages.push(page.page);
      for (const record of page.records) got.push(record.crm__customer_id);
    }
    assert.deepEqual(pages, Array.from({ length: PAGES }, (_, i) => i + 1), `seed ${seed}: pages in order`);
    assert.equal(got.length, CUSTOMERS, `seed ${seed}: record count`);
    assert.ok(got.every((id, i) => id === reference[i]), `seed ${seed}: the same ids in the same order as a fault-free read`);
    // Server side: each page was answered in full exactly once (faulted answers excluded).
    const log = (await sb.requests()).filter((r) => r.path.startsWith(ROUTE));
    const served = log.filter((r) => r.status === 200 && r.fault === null).map(pageOf).sort((a, b) => a - b);
    assert.deepEqual(served, Array.from({ length: PAGES }, (_, i) => i + 1), `seed ${seed}: each page served once`);
    const faulted = log.filter((r) => r.fault !== null);
    // Every injected fault cost one retry (a pooled connection the server dropped may add a
    // network-error retry of its own, which never reaches the server's log).
    assert.ok(retries.length >= faulted.length, `seed ${seed}: ${retries.length} retries for ${faulted.length} faults`);
    assert.ok(retries.every((e) => ['server', 'rate_limited', 'network', 'invalid_response'].includes(e.code)), `seed ${seed}: retried codes`);
    for (const r of faulted) {
      const kind = r.fault === 'status' ? r.status : r.fault;
      injected[kind] = (injected[kind] ?? 0) + 1;
    }
    // A 429 carried Retry-After: 1 — the retry waited for it.
    for (const r of retries.filter((e) => e.code === 'rate_limited')) assert.ok(r.delayMs >= 1000, `seed ${seed}: honoured Retry-After`);
  };
  await Promise.all(
    lanes.map(async (sb, lane) => {
      for (const seed of SEEDS.filter((s) => s % LANES === lane)) await runSeed(sb, seed);
    }),
  );
  t.diagnostic(`faults injected over 20 seeds: ${JSON.stringify(injected)}`);
  // The matrix really exercised every kind of fault.
  for (const kind of ['503', '429', 'reset', 'truncate']) assert.ok(injected[kind] > 0, `${kind} injected: ${JSON.stringify(injected)}`);
});

/** Read the whole list, resuming from `resumePage` after each failure; at most `rounds` reads. */
async function readResuming(client, rounds) {
  const got = [];
  const failures = [];
  let page = 1;
  for (let round = 0; round < rounds; round++) {
    try {
      for await (const p of client.customers({ ...crm, page }).pages()) {
        assert.equal(p.page, page, 'pages arrive in order from the resume point');
        got.push(...ids(p.records));
        page++;
      }
      return { got, failures };
    } catch (e) {
      assert.ok(e instanceof CubeError, `a CubeError: ${e}`);
      assert.equal(e.resumePage, page, `the error names the first page not delivered (${e.message})`);
      if (page === 1) assert.doesNotMatch(e.message, /resume with/, 'a read from the start that delivered nothing says nothing of resuming');
      else assert.match(e.message, new RegExp(`page: ${page}`), 'the message says how to resume');
      failures.push(e);
    }
  }
  assert.fail(`the read did not complete in ${rounds} rounds`);
}

test('faults beyond the retry budget: the error names resumePage; resuming completes the set exactly once', { timeout: 30_000 }, async () => {
  const [sb] = lanes;
  // Page 6 fails twice in a row; with maxRetries 1 that is one attempt too many.
  await sb.faults({ rules: [{ route: ROUTE, kind: 'status', status: 503, skip: 5, times: 2 }] });
  const client = new CubeClient({ baseUrl: sb.url, auth: BASIC, maxRetries: 1, retryDelayMs: 1, concurrency: 1 });
  const got = [];
  const error = await (async () => {
    try {
      for await (const record of client.customers(crm)) got.push(record.crm__customer_id);
    } catch (e) {
      return e;
    }
  })();
  assert.ok(error instanceof CubeError, 'the read failed');
  assert.equal(error.code, 'server');
  assert.equal(error.status, 503);
  assert.equal(error.retries, 1);
  assert.equal(error.resumePage, 6);
  assert.equal(got.length, 5 * PAGE_SIZE, 'every page before resumePage was delivered');
  await sb.clearFaults();
  const rest = ids(await client.customers({ ...crm, page: error.resumePage }).toArray());
  assert.deepEqual([...got, ...rest], reference);
});

test('parallel pages failing beyond the budget (resets, 503s, truncation): resume until done, exactly once', { timeout: 40_000 }, async (t) => {
  const [, sb] = lanes;
  // No retries at all and ~27% faults: nearly every read fails somewhere; each failure names
  // the page to resume from, and the resumed reads together deliver the set exactly once.
  await sb.faults({
    seed: 99,
    rules: [
      { route: ROUTE, kind: 'status', status: 503, rate: 0.1 },
      { route: ROUTE, kind: 'reset', rate: 0.1 },
      { route: ROUTE, kind: 'truncate', rate: 0.1 },
    ],
  });
  const client = new CubeClient({ baseUrl: sb.url, auth: BASIC, maxRetries: 0, concurrency: 6 });
  const { got, failures } = await readResuming(client, 60);
  t.diagnostic(`${failures.length} failed reads resumed: ${failures.map((e) => `${e.code}@${e.resumePage}`).join(' ')}`);
  assert.ok(failures.length > 0, 'the faults did make reads fail');
  const codes = new Set(failures.map((e) => e.code));
  assert.ok([...codes].every((c) => ['server', 'network', 'invalid_response'].includes(c)), [...codes].join());
  assert.equal(got.length, CUSTOMERS);
  assert.ok(got.every((id, i) => id === reference[i]), 'exactly once, in order, across the resumed reads');
});

test('a legacy create (POST) is retried only when the server did not process it: never created twice', { timeout: 20_000 }, async () => {
  const [, , sb] = lanes;
  const posts = async () => (await sb.requests()).filter((r) => r.method === 'POST' && r.path === '/crm/customers');
  const client = new CubeClient({ baseUrl: sb.url, auth: BASIC, maxRetries: 4, retryDelayMs: 1 });
  const create = (id) => client.legacyCreateCustomer({ customer_id: id, assignment_id: 101, name: `Fault ${id}` });
  const exists = async (id) => (await client.customer({ ...crm, customerId: id })).crm__customer_id === id;

  // 503 and 429: the server says it did not process the request, so it is sent again.
  for (const [status, id] of [[503, 'F-503'], [429, 'F-429']]) {
    await sb.faults({ rules: [{ route: '/crm/customers', kind: 'status', status, retryAfter: 0, times: 2 }] });
    await sb.clearRequests();
    const created = await create(id);
    assert.equal(created.customer_id, id);
    const log = await posts();
    assert.deepEqual(log.map((r) => r.status), [status, status, 201], `${status}: retried, created once`);
    assert.ok(await exists(id));
  }
  // A connection reset after the server processed it (and a truncated answer, or a 500):
  // the client cannot know, so it does not send it again — the caller decides.
  for (const [rule, id, code] of [
    [{ kind: 'reset' }, 'F-reset', 'network'],
    [{ kind: 'truncate' }, 'F-truncate', 'invalid_response'],
    [{ kind: 'status', status: 500 }, 'F-500', 'server'],
  ]) {
    await sb.faults({ rules: [{ route: '/crm/customers', ...rule, times: 1 }] });
    await sb.clearRequests();
    await assert.rejects(create(id), (e) => e instanceof CubeError && e.code === code && e.retries === 0);
    assert.equal((await posts()).length, 1, `${rule.kind}: sent once`);
  }
  await sb.clearFaults();
  // What the server did with those: reset and truncate hit after processing (created once);
  // a 500 fault answers instead of the handler (not created). Either way, never twice.
  assert.ok(await exists('F-reset'));
  assert.ok(await exists('F-truncate'));
  await assert.rejects(client.customer({ ...crm, customerId: 'F-500' }), (e) => e.code === 'not_found');
});
