// The client's fault matrix (tests/js/node/faults.test.mjs, there against the native sandbox
// over HTTP) once more against the in-process sandbox: the same 503 / 429 Retry-After / reset /
// truncate rules, played out by `createSandbox()`'s fetch. A few seeds, each on its own
// sandbox: every record exactly once, in order; each page served once; and when the faults
// outlast the retry budget, the error's `resumePage` resumes the read exactly once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CubeClient, CubeError } from '../../../pkg/node/index.mjs';
import { createSandbox } from '../../../pkg/sandbox/node.js';
import { BASIC } from '../support/sandbox.mjs';
import { skipUnless } from '../support/available.mjs';
import { ROUTE, matrix } from '../support/fault-matrix.mjs';

const skip = skipUnless({ web: true, sandbox: false });

const CUSTOMERS = 20_000;
const PAGE_SIZE = 250;
const PAGES = CUSTOMERS / PAGE_SIZE;
const SEEDS = Array.from({ length: 12 }, (_, i) => i + 1);
const crm = { dataOwnerId: 1, crmType: 'B2C' };
const OPTIONS = { customers: CUSTOMERS, pageSize: PAGE_SIZE };

const ids = (records) => records.map((r) => r.crm__customer_id);
const pageOf = (entry) => Number(new URLSearchParams(entry.query ?? '').get('page') ?? 1);
const clientOf = (sb, options = {}) => new CubeClient({ baseUrl: sb.baseUrl, auth: BASIC, fetch: sb.fetch, ...options });

let sandboxes = [];
let reference;
before(async () => {
  if (skip) return;
  sandboxes = await Promise.all(SEEDS.map(() => createSandbox(OPTIONS)));
  reference = ids(await clientOf(sandboxes[0]).customers(crm).toArray());
  assert.equal(reference.length, CUSTOMERS);
  sandboxes[0].clearRequests();
}, { timeout: 30_000 });
after(() => sandboxes.forEach((sb) => sb.close()));

test(`${SEEDS.length} seeds × ${CUSTOMERS} customers in-process under 503/429/reset/truncate: every record once, in order`, { timeout: 120_000, skip }, async (t) => {
  const injected = {};
  await Promise.all(SEEDS.map(async (seed, i) => {
    const sb = sandboxes[i];
    sb.faults(matrix(seed));
    sb.clearRequests();
    const retries = [];
    const client = clientOf(sb, { maxRetries: 15, retryDelayMs: 5, onRetry: (e) => retries.push(e) });
    const got = [];
    const pages = [];
    for await (const page of client.customers(crm).pages()) {
      pages.push(page.page);
      got.push(...ids(page.records));
    }
    assert.deepEqual(pages, Array.from({ length: PAGES }, (_, p) => p + 1), `seed ${seed}: pages in order`);
    assert.equal(got.length, CUSTOMERS, `seed ${seed}: record count`);
    assert.ok(got.every((id, k) => id === reference[k]), `seed ${seed}: the ids of a fault-free read, in order`);
    const log = sb.requests().filter((r) => r.path.startsWith(ROUTE));
    const served = log.filter((r) => r.status === 200 && r.fault === null).map(pageOf).sort((a, b) => a - b);
    assert.deepEqual(served, Array.from({ length: PAGES }, (_, p) => p + 1), `seed ${seed}: each page served in full once`);
    const faulted = log.filter((r) => r.fault !== null);
    // In process there is no pooled connection to lose: exactly one retry per injected fault.
    assert.equal(retries.length, faulted.length, `seed ${seed}: ${retries.length} retries for ${faulted.length} faults`);
    for (const r of faulted) {
      const kind = r.fault === 'status' ? String(r.status) : r.fault;
      injected[kind] = (injected[kind] ?? 0) + 1;
    }
    const codeOf = { 503: 'server', 429: 'rate_limited', reset: 'network', truncate: 'invalid_response' };
    assert.deepEqual(
      retries.map((e) => e.code).sort(),
      faulted.map((r) => codeOf[r.fault === 'status' ? r.status : r.fault]).sort(),
      `seed ${seed}: each fault retried as its kind`,
    );
    for (const r of retries.filter((e) => e.code === 'rate_limited')) assert.ok(r.delayMs >= 1000, `seed ${seed}: honoured Retry-After`);
  }));
  t.diagnostic(`faults injected over ${SEEDS.length} seeds: ${JSON.stringify(injected)}`);
  for (const kind of ['503', '429', 'reset', 'truncate']) assert.ok(injected[kind] > 0, `${kind} injected: ${JSON.stringify(injected)}`);
});

test('in-process, faults beyond the retry budget: the error names resumePage; resuming completes the set once', { timeout: 60_000, skip }, async () => {
  const [sb] = sandboxes;
  sb.faults({ rules: [{ route: ROUTE, kind: 'status', status: 503, skip: 5, times: 2 }] });
  const client = clientOf(sb, { maxRetries: 1, retryDelayMs: 1, concurrency: 1 });
  const got = [];
  let error;
  try {
    for await (const record of client.customers(crm)) got.push(record.crm__customer_id);
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof CubeError, `the read failed: ${error}`);
  assert.deepEqual([error.code, error.status, error.retries, error.resumePage], ['server', 503, 1, 6]);
  assert.equal(got.length, 5 * PAGE_SIZE, 'every page before resumePage was delivered');
  sb.faults(null);
  const rest = ids(await client.customers({ ...crm, page: error.resumePage }).toArray());
  assert.deepEqual([...got, ...rest], reference);

  // No retries and ~30% faults, six pages in flight: resume until done, exactly once.
  sb.faults({
    seed: 99,
    rules: [
      { route: ROUTE, kind: 'status', status: 503, rate: 0.1 },
      { route: ROUTE, kind: 'reset', rate: 0.1 },
      { route: ROUTE, kind: 'truncate', rate: 0.1 },
    ],
  });
  const parallel = clientOf(sb, { maxRetries: 0, concurrency: 6 });
  const all = [];
  const failures = [];
  let page = 1;
  for (let round = 0; round < 60 && page <= PAGES; round++) {
    try {
      for await (const p of parallel.customers({ ...crm, page }).pages()) {
        assert.equal(p.page, page, 'pages arrive in order from the resume point');
        all.push(...ids(p.records));
        page++;
      }
    } catch (e) {
      assert.ok(e instanceof CubeError, String(e));
      assert.equal(e.resumePage, page, e.message);
      failures.push(e.code);
    }
  }
  assert.ok(failures.length > 0, 'the faults did make reads fail');
  assert.ok(failures.every((c) => ['server', 'network', 'invalid_response'].includes(c)), failures.join());
  assert.deepEqual(all, reference, 'exactly once, in order, across the resumed reads');
});
