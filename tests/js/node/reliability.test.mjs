// Retries, Retry-After, timeouts, abort mid-sync, foreign-origin next links, hooks.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { CubeClient, CubeError } from '../../../pkg/node/index.mjs';
import { startSandbox, BASIC } from '../support/sandbox.mjs';

let sb;
let other;
const crm = { dataOwnerId: 1, crmType: 'B2C' };
const apiRequests = async () => (await sb.requests()).filter((r) => r.path.startsWith('/api/'));

before(async () => {
  sb = await startSandbox(['--customers', '1000', '--page-size', '100']);
  other = await startSandbox();
});
after(() => {
  sb.stop();
  other.stop();
});
beforeEach(async () => {
  await sb.clearFaults();
  await sb.clearRequests();
});

test('429 with Retry-After is retried after the given delay', async () => {
  await sb.faults({ rules: [{ route: '/api/v1/campaigns', kind: 'status', status: 429, retryAfter: 1, times: 1 }] });
  const retries = [];
  const client = new CubeClient({ baseUrl: sb.url, auth: BASIC, retryDelayMs: 10, onRetry: (e) => retries.push(e) });
  const started = Date.now();
  const campaigns = await client.campaigns();
  const elapsed = Date.now() - started;
  assert.ok(Array.isArray(campaigns) && campaigns.length > 0);
  assert.equal(retries.length, 1);
  assert.equal(retries[0].code, 'rate_limited');
  assert.equal(retries[0].delayMs, 1000);
  assert.ok(elapsed >= 950, `waited for Retry-After (${elapsed} ms)`);
  assert.equal((await apiRequests()).length, 2);
});

test('503s are retried with backoff, then the data arrives', async () => {
  await sb.faults({ rules: [{ route: '/api/v1/data_owners/', kind: 'status', status: 503, times: 3 }] });
  const client = new CubeClient({ baseUrl: sb.url, auth: BASIC, retryDelayMs: 5 });
  const records = await client.customers(crm).toArray();
  assert.equal(records.length, 1000);
});

test('400/401/403/404 are never retried', async () => {
  const client = new CubeClient({ baseUrl: sb.url, auth: BASIC, retryDelayMs: 1 });
  await assert.rejects(client.customers({ dataOwnerId: 999, crmType: 'B2C' }).toArray(), (e) => e.code === 'not_found' && e.retries === 0);
  assert.equal((await apiRequests()).length, 1);
});

test('a Retry-After beyond maxRetryAfterMs fails at once with retryAfterMs', async () => {
  await sb.faults({ rules: [{ route: '/api/v1/campaigns', kind: 'status', status: 429, retryAfter: 3600, times: 1 }] });
  const client = new CubeClient({ baseUrl: sb.url, auth: BASIC });
  await assert.rejects(client.campaigns(), (e) => e.code === 'rate_limited' && e.retryAfterMs === 3_600_000);
});

test('a slow server times out per attempt', async () => {
  await sb.faults({ latencyMs: 1500 });
  const client = new CubeClient({ baseUrl: sb.url, auth: BASIC, timeoutMs: 200, maxRetries: 1, retryDelayMs: 1 });
  const started = Date.now();
  await assert.rejects(client.campaigns(), (e) => e instanceof CubeError && e.code === 'timeout' && e.retries === 1);
  assert.ok(Date.now() - started < 1400, 'did not wait for the server');
});

test('abort mid-sync stops requests and says where to resume', async () => {
  await sb.faults({ latencyMs: 100 });
  const controller = new AbortController();
  const client = new CubeClient({ baseUrl: sb.url, auth: BASIC, concurrency: 2 });
  const got = [];
  await assert.rejects(
    (async () => {
      for await (const page of client.customers({ ...crm, signal: controller.signal }).pages()) {
        got.push(page.page);
        if (page.page === 3) controller.abort();
      }
    })(),
    (e) => e instanceof CubeError && e.code === 'aborted' && e.resumePage === 4,
  );
  assert.deepEqual(got, [1, 2, 3]);
  const before = (await apiRequests()).length;
  await new Promise((r) => setTimeout(r, 400));
  assert.equal((await apiRequests()).length, before, 'nothing requested after the abort');
  assert.ok(before < 10, `stopped early: ${before} requests`);
  // Resuming completes the set.
  await sb.clearFaults();
  const rest = await client.customers({ ...crm, page: 4 }).toArray();
  assert.equal(got.length * 100 + rest.length, 1000);
});

test('a foreign-origin next link never receives credentials', async () => {
  await sb.faults({ rules: [{ route: '/api/v1/data_owners/', kind: 'foreign_next', origin: other.url }] });
  await other.clearRequests();
  const client = new CubeClient({ baseUrl: sb.url, auth: { token: 'demo-token' } });
  const records = await client.customers(crm).toArray();
  assert.equal(records.length, 1000);
  assert.deepEqual(await other.requests(), [], 'the other origin saw no request at all');
  const log = await apiRequests();
  assert.ok(log.length === 10 && log.every((r) => r.headers.authorization === 'Token demo-token'));
});

test('hooks see method, url, status — never a credential', async () => {
  const events = [];
  const client = new CubeClient({
    baseUrl: sb.url,
    auth: { username: 'demo@example.com', password: 'demo' },
    onRequest: (e) => events.push(['request', e]),
    onResponse: (e) => events.push(['response', e]),
  });
  await client.whoAmI();
  assert.deepEqual(events.map(([k]) => k), ['request', 'response']);
  assert.equal(events[1][1].status, 200);
  assert.match(events[1][1].url, /\/account\/who_am_i$/);
  const text = JSON.stringify(events);
  assert.ok(!text.includes('ZGVtb0BleGFtcGxlLmNvbTpkZW1v') && !text.includes('"demo"'), text);
});

test('an injected fetch is used', async () => {
  const seen = [];
  const client = new CubeClient({
    baseUrl: sb.url,
    auth: BASIC,
    fetch: (url, init) => {
      seen.push([url, init.method, init.redirect, init.credentials]);
      return fetch(url, init);
    },
  });
  await client.whoAmI();
  assert.deepEqual(seen, [[`${sb.url}/account/who_am_i`, 'GET', 'manual', 'omit']]);
});
