// `cube-integration/sandbox` in Node: `createSandbox()` is the sandbox as a `fetch`, the same
// core as the native `cube-sandbox`. Through the public API only: the data equals the native
// server's for the same flags; the control methods (edits, faults, reset, the request log,
// info) act on what the client then reads; bad options are CubeErrors naming the option; and
// the transport faults look like a real fetch's (abort, reset before and after bytes, an
// endless body, a redirect, a 503 with Retry-After). No assertion on speed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CubeClient, CubeError, changedSince } from '../../../pkg/node/index.mjs';
import { createSandbox } from '../../../pkg/sandbox/node.js';
import { startSandbox, BASIC } from '../support/sandbox.mjs';
import { skipUnless } from '../support/available.mjs';
import { redirectRule, refusedRedirect, REDIRECT_ROUTE } from '../support/redirect.mjs';

const skip = skipUnless({ web: true });

const TODAY = '2026-06-01';
const OPTIONS = { customers: 1234, pageSize: 100, seed: 7, today: TODAY, dataOwners: 2 };
const FLAGS = ['--customers', '1234', '--page-size', '100', '--seed', '7', '--today', TODAY, '--data-owners', '2'];
const B2C = { dataOwnerId: 1, crmType: 'B2C' };
const B2B = { dataOwnerId: 2, crmType: 'B2B' };

const clientOf = (sandbox, options = {}) =>
  new CubeClient({ baseUrl: sandbox.baseUrl, auth: BASIC, fetch: sandbox.fetch, ...options });

/** What a rejected promise (or a throwing function) rejected with. */
async function rejection(promise) {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (e) {
    return e;
  }
  assert.fail('expected a rejection');
}

let native;
let sandbox;
before(async () => {
  if (skip) return;
  [native, sandbox] = await Promise.all([startSandbox(FLAGS), createSandbox(OPTIONS)]);
}, { timeout: 30_000 });
after(() => {
  native?.stop();
  sandbox?.close();
});

test('whoAmI and full paginated reads equal the native sandbox for the same flags', { timeout: 60_000, skip }, async () => {
  const local = clientOf(sandbox);
  const remote = new CubeClient({ baseUrl: native.url, auth: BASIC });
  const me = await local.whoAmI();
  assert.equal(me.username, 'demo@example.com');
  assert.deepEqual(me, await remote.whoAmI());
  for (const crm of [B2C, B2B]) {
    const pages = [];
    const records = [];
    for await (const page of local.customers(crm).pages()) {
      pages.push(page.page);
      records.push(...page.records);
    }
    assert.deepEqual(pages, Array.from({ length: 13 }, (_, i) => i + 1), '1234 records at 100 a page: 13 pages');
    assert.equal(records.length, 1234);
    const expected = await remote.customers(crm).toArray();
    assert.deepEqual(records.map((r) => r.crm__customer_id), expected.map((r) => r.crm__customer_id), `${crm.crmType}: the same ids in order`);
    assert.deepEqual(records, expected, `${crm.crmType}: the same records`);
  }
  assert.deepEqual(await local.campaigns(), await remote.campaigns());
  // info() is the native /_sandbox/info, the same settings and counts.
  assert.deepEqual(sandbox.info(), await native.info());
});

test('info() says what was generated and how to sign in', { timeout: 10_000, skip }, () => {
  const info = sandbox.info();
  assert.equal(info.seed, 7);
  assert.equal(info.today, TODAY);
  assert.equal(info.pageSize, 100);
  assert.equal(info.counts.customersPerCrm, 1234);
  assert.equal(info.counts.dataOwners, 2);
  assert.equal(info.users.internal.username, 'demo@example.com');
  assert.equal(info.users.internal.password, 'demo');
});

test('edits(): the streaming sync and changedSince see exactly the edited customers; reset() undoes them', { timeout: 60_000, skip }, async () => {
  const sb = await createSandbox({ customers: 800, pageSize: 200, today: TODAY });
  try {
    const client = clientOf(sb);
    const first = await client.customers(B2C).sync(null);
    assert.equal(first.records, 800);
    // A number is a count; an object says where.
    const edited = sb.edits({ count: 7, seed: 3, ...B2C }).edited;
    assert.ok(edited.length > 0 && edited.length <= 7, `edited ${edited.length}`);
    assert.ok(edited.every((e) => e.dataOwnerId === 1 && e.crmType === 'B2C'), JSON.stringify(edited[0]));
    const ids = [...new Set(edited.map((e) => e.customerId))].sort();
    const second = await client.customers(B2C).sync(first.snapshot);
    assert.deepEqual(second.changes.changed.map((c) => c.key).sort(), ids, 'the sync finds exactly the edited customers');
    assert.deepEqual([second.changes.added.length, second.changes.removed.length], [0, 0]);
    const records = await client.customers(B2C).toArray();
    const recent = await changedSince(records, TODAY);
    assert.deepEqual(recent.map((r) => r.crm__customer_id).sort(), ids, 'changedSince(today): the edited ones');
    assert.equal(sb.info().counts.editedCustomers, ids.length);
    assert.ok(sb.edits(2).edited.length > 0, 'edits(n) edits n customers somewhere');

    sb.faults({ rules: [{ kind: 'status', status: 503 }] });
    sb.reset();
    assert.equal(sb.info().counts.editedCustomers, 0, 'reset: no edits');
    assert.deepEqual(sb.requests(), [], 'reset: an empty request log');
    assert.deepEqual(sb.faults().rules ?? [], [], 'reset: no faults');
    const third = await client.customers(B2C).sync(first.snapshot);
    assert.deepEqual(third.changes.changed, [], 'after reset the data is the first read\'s again');
  } finally {
    sb.close();
  }
});

test('faults(): set, read back, clear; the request log names each injected fault', { timeout: 30_000, skip }, async () => {
  const sb = await createSandbox({ today: TODAY });
  try {
    assert.deepEqual(sb.faults().rules ?? [], [], 'no faults at start');
    const config = { seed: 5, rules: [{ route: '/account/', kind: 'status', status: 503, times: 2 }] };
    const set = sb.faults(config);
    assert.equal(set.seed, 5);
    assert.equal(set.rules.length, 1);
    assert.deepEqual(sb.faults(), set, 'faults() reads back what was set');
    assert.equal(sb.faults().rules[0].kind, 'status');
    assert.equal(sb.faults().rules[0].status, 503);

    const retries = [];
    const client = clientOf(sb, { retryDelayMs: 1, onRetry: (e) => retries.push(e) });
    assert.equal((await client.whoAmI()).username, 'demo@example.com');
    assert.deepEqual(retries.map((e) => [e.code, e.status]), [['server', 503], ['server', 503]]);
    const log = sb.requests().filter((r) => r.path === '/account/who_am_i');
    assert.deepEqual(log.map((r) => [r.status, r.fault, r.state]), [[503, 'status', 'answered'], [503, 'status', 'answered'], [200, null, 'answered']]);
    assert.ok(log.every((r) => r.method === 'GET' && typeof r.seq === 'number' && r.headers.authorization?.startsWith('Basic ')), JSON.stringify(log[0]));

    sb.clearRequests();
    assert.deepEqual(sb.requests(), []);
    sb.faults({ rules: [{ kind: 'html' }] });
    await assert.rejects(clientOf(sb, { maxRetries: 0 }).whoAmI(), (e) => e instanceof CubeError && e.code === 'invalid_response');
    assert.deepEqual(sb.requests().map((r) => r.fault), ['html']);

    sb.faults(null);
    assert.deepEqual(sb.faults().rules ?? [], [], 'faults(null) clears');
    assert.equal((await client.whoAmI()).username, 'demo@example.com');
    // A rule the core refuses: a CubeError, and the configuration is unchanged — checked
    // against one that has a rule, so "unchanged" differs from "cleared" and from "replaced".
    const kept = sb.faults({ seed: 9, rules: [{ route: '/api/v1/campaigns', kind: 'status', status: 502, times: 1 }] });
    const bad = await rejection(() => sb.faults({ rules: [{ kind: 'status', status: 42 }] }));
    assert.ok(bad instanceof CubeError, String(bad));
    assert.equal(bad.code, 'invalid_argument');
    assert.deepEqual(sb.faults(), kept, 'the configuration before the refused one is still in force');
    // So is an array (its items were once read as the members by position, its rules dropped
    // and the configuration in force cleared).
    for (const config of [[], [7, 30, 5, [{ kind: 'html' }]]]) {
      const refused = await rejection(() => sb.faults(config));
      assert.ok(refused instanceof CubeError && refused.code === 'invalid_argument', String(refused));
      assert.match(refused.message, /faults: invalid type: array, expected an object/);
      assert.deepEqual(sb.faults(), kept, JSON.stringify(config));
    }
    assert.equal(sb.faults().rules[0].status, 502);
    // and it still acts: the campaigns read meets its 502 once, then the data.
    sb.clearRequests();
    assert.ok((await client.campaigns()).length > 0);
    assert.deepEqual(sb.requests().map((r) => r.status), [502, 200]);
    sb.faults(null);
  } finally {
    sb.close();
  }
});

test('edits() and faults() take what the server takes: no argument or null edits one, null clears, a read configuration goes back as it is, an unknown member is a CubeError naming it', { timeout: 30_000, skip }, async () => {
  const sb = await createSandbox({ customers: 300, today: TODAY });
  try {
    assert.equal(sb.edits().edited.length, 1, 'edits(): one customer');
    assert.equal(sb.edits(null).edited.length, 1, 'edits(null): one customer');
    assert.equal(sb.edits({ seed: 2 }).edited.length, 1, 'edits({ seed }): count defaults to 1');

    const kept = sb.faults({ seed: 4, rules: [{ kind: 'status', status: 502, times: 1 }] });
    const refused = [
      // One rule passed as the whole configuration.
      [{ kind: 'delay', ms: 5000 }, "faults: unknown field `kind`, expected one of `seed`, `latencyMs`, `jitterMs`, `rules` (a rule goes inside \"rules\": [{\"kind\": …}])"],
      [{ rules: [{ kind: 'delay', ms: 5000 }] }, "faults: rules[0]: a delay rule has no option 'ms'; a delay rule takes 'kind', 'route', 'rate', 'times', 'skip', 'latencyMs', 'jitterMs'"],
    ];
    for (const [config, detail] of refused) {
      const e = await rejection(() => sb.faults(config));
      assert.ok(e instanceof CubeError, String(e));
      assert.deepEqual([e.code, e.status, e.detail], ['invalid_argument', 400, detail]);
      assert.equal(e.message, `sandbox: ${detail}`);
      assert.deepEqual(sb.faults(), kept, 'a refused configuration changes nothing');
    }
    const e = await rejection(() => sb.edits({ count: 1, lastName: 'Berg' }));
    assert.ok(e instanceof CubeError && e.code === 'invalid_argument', String(e));
    assert.match(e.message, /unknown field `lastName`, expected one of `count`, `dataOwnerId`, `crmType`, `seed`/);

    // What faults() answered (counters included) can be passed back, with a change.
    assert.equal((await rejection(clientOf(sb, { maxRetries: 0 }).campaigns())).status, 502);
    const read = sb.faults();
    assert.equal(read.rules[0].injected, 1);
    const again = sb.faults({ ...read, latencyMs: 1 });
    assert.deepEqual([again.latencyMs, again.rules[0].status, again.rules[0].injected], [1, 502, 0]);
    sb.faults(null);
    assert.deepEqual(sb.faults().rules, [], 'faults(null) clears');
  } finally {
    sb.close();
  }
});

test('edits({ set }): the values given, on an imported and a generated customer, alike in process and on the native server; a mistake names its entry and changes nothing', { timeout: 60_000, skip }, async () => {
  const sb = await createSandbox(OPTIONS);
  await native.reset();
  try {
    const csv = 'Customer ID,Name,Phone 1,Email,City\r\n0035g000Ab00001AQA,Anne Marie Ås Øvre,912 34 567,am@example.no,Oslo\r\n';
    const edges = [
      { name: 'in process', client: clientOf(sb), importSheet: async (bytes) => sb.importSheet(bytes, B2C), edits: async (body) => sb.edits(body) },
      {
        name: 'native',
        client: new CubeClient({ baseUrl: native.url, auth: BASIC }),
        importSheet: async (bytes) => (await fetch(`${native.url}/_sandbox/import?dataOwnerId=1&crmType=B2C`, { method: 'POST', body: bytes })).json(),
        edits: (body) => native.edits(body),
      },
    ];
    const read = [];
    for (const edge of edges) {
      assert.equal((await edge.importSheet(csv)).created, 1, edge.name);
      const crm = edge.client.crm(1, 'B2C');
      const city = (await crm.customFields()).find((f) => f.key === 'City').lookup__id;
      const generated = (await crm.customers().toArray({ limit: 5 })).find((c) => c.crm__customer_id);
      const { edited } = await edge.edits({ set: [
        { customerId: '0035g000Ab00001AQA', ...B2C, fields: { crm__standard_info__name: 'Anne Marie Kvam', crm__standard_info__email: '', [city]: 'Tromsø' } },
        { customerId: generated.crm__customer_id, ...B2C, fields: { crm__standard_info__phone_3: ' +47 22 33 44 55 ' } },
      ] });
      assert.deepEqual(edited.map((e) => e.fields), [['crm__standard_info__name', 'crm__standard_info__email', city], ['crm__standard_info__phone_3']], edge.name);
      const imported = await crm.customer('0035g000Ab00001AQA');
      assert.deepEqual([imported.crm__standard_info__name, imported.crm__standard_info__email, imported[city], imported.crm__standard_info__phone_1],
        ['Anne Marie Kvam', '', 'Tromsø', '912 34 567'], edge.name);
      assert.deepEqual([imported.crm__change_log__updated, imported.crm__change_log__update_method], [TODAY, 'Manual update']);
      assert.equal((await crm.customer(generated.crm__customer_id)).crm__standard_info__phone_3, '+47 22 33 44 55', 'trimmed');

      const e = await rejection(() => edge.edits({ set: [
        { customerId: '0035g000Ab00001AQA', ...B2C, fields: { crm__standard_info__phone_1: '+4790000000' } },
        { customerId: '0035g000Ab00001AQA', ...B2B, fields: { crm__change_log__updated: TODAY } },
      ] }));
      assert.match(e.message, /edits: set\[1\]\.customerId: no customer '0035g000Ab00001AQA' in data owner 2's B2B CRM/, edge.name);
      assert.equal((await crm.customer('0035g000Ab00001AQA')).crm__standard_info__phone_1, '912 34 567', 'nothing changed');
      read.push(await crm.customers().toArray());
    }
    assert.deepEqual(read[0], read[1], 'both edges: the same customers after the same import and edits');
    const e = await rejection(() => sb.edits({ count: 2, set: [] }));
    assert.ok(e instanceof CubeError && e.code === 'invalid_argument', String(e));
    assert.match(e.message, /count is for simulated edits, and set makes the edits it lists/);
  } finally {
    sb.close();
    await native.reset();
  }
});

test('bad options: a CubeError invalid_argument naming the option, and no sandbox', { timeout: 30_000, skip }, async () => {
  const cases = [
    [{ pageSise: 50 }, 'pageSise', /unknown option 'pageSise'/],
    [{ port: 8787 }, 'port', /unknown option 'port'/], // only a sandbox on a port has one
    [{ pageSize: 0 }, 'pageSize', /pageSize/],
    [{ customers: 'many' }, 'customers', /customers/],
    [{ today: '2026-13-45' }, 'today', /today/],
    [{ seed: true }, 'seed', /seed must be a string or a number/],
    [{ faults: 'status=503:0.1' }, 'faults', /faults must be an array/],
    [{ faults: [42] }, 'faults', /faults/],
    [{ faults: ['status=999'] }, 'faults', /faults/],
    [{ faults: [{ kind: 'nonsense' }] }, 'faults', /faults/],
    [{ faults: [{ kind: 'delay', ms: 5000 }] }, 'faults', /a delay rule has no option 'ms'; a delay rule takes .*'latencyMs', 'jitterMs'/],
  ];
  for (const [options, param, message] of cases) {
    const e = await rejection(createSandbox(options));
    assert.ok(e instanceof CubeError, `${JSON.stringify(options)}: a CubeError (the client's class), got ${e}`);
    assert.equal(e.code, 'invalid_argument', JSON.stringify(options));
    assert.equal(e.param, param, `${JSON.stringify(options)}: ${e.message}`);
    assert.match(e.message, message);
    assert.doesNotMatch(e.message, /--[a-z]/, `${JSON.stringify(options)}: named as the option, not the flag: ${e.message}`);
  }
  const notObject = await rejection(createSandbox('customers=5'));
  assert.ok(notObject instanceof CubeError && notObject.code === 'invalid_argument', String(notObject));
  // Valid options are taken (and undefined ones ignored).
  const ok = await createSandbox({ pageSize: 7, faults: ['status=503:0.5', { kind: 'reset', times: 1 }], latencyMs: undefined });
  try {
    assert.equal(ok.info().pageSize, 7);
    assert.deepEqual(ok.faults().rules.map((r) => r.kind), ['status', 'reset']);
  } finally {
    ok.close();
  }
});

test('an AbortSignal during injected latency rejects with AbortError; the log says aborted', { timeout: 30_000, skip }, async () => {
  // An hour of latency: only the abort can end the wait.
  const sb = await createSandbox({ latencyMs: 3_600_000 });
  try {
    const controller = new AbortController();
    const call = sb.fetch(`${sb.baseUrl}/account/who_am_i`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const e = await rejection(call);
    assert.equal(e.name, 'AbortError', String(e));
    const [entry] = sb.requests();
    assert.equal(entry.state, 'aborted');
    assert.equal(entry.status, null);
    // Through CubeClient, the caller's signal: CubeError aborted (the client's word for it).
    const client = clientOf(sb);
    const c2 = new AbortController();
    const read = client.whoAmI({ signal: c2.signal });
    setTimeout(() => c2.abort(), 50);
    const e2 = await rejection(read);
    assert.ok(e2 instanceof CubeError, String(e2));
    assert.equal(e2.code, 'aborted', e2.message);
    assert.deepEqual(sb.requests().map((r) => r.state), ['aborted', 'aborted']);
  } finally {
    sb.close();
  }
});

test('an AbortSignal stops a body being sent: the read rejects with its reason, at once and for good', { timeout: 30_000, skip }, async () => {
  // Slow bodies whose next chunk comes a minute after the first: only the abort can end the
  // read within this test's timeout (nothing here is timed).
  const sb = await createSandbox({ customers: 250, pageSize: 100 });
  const headers = { authorization: `Basic ${btoa('demo@example.com:demo')}` };
  try {
    for (const rule of [{ kind: 'dribble', chunkBytes: 64, chunkDelayMs: 60_000 }, { kind: 'endless_body', chunkBytes: 64, chunkDelayMs: 60_000, maxSeconds: 120 }]) {
      sb.faults({ rules: [rule] });
      const controller = new AbortController();
      const response = await sb.fetch(`${sb.baseUrl}/api/v1/data_owners/1/B2C/customers/`, { headers, signal: controller.signal });
      assert.equal(response.status, 200, rule.kind);
      const reader = response.body.getReader();
      const first = await reader.read();
      assert.ok(!first.done && first.value.length > 0, `${rule.kind}: the first chunk arrived`);
      const reason = new Error(`stop the ${rule.kind}`);
      controller.abort(reason);
      assert.equal(await rejection(reader.read()), reason, `${rule.kind}: the read rejects with the signal's reason`);
      assert.equal(await rejection(reader.read()), reason, `${rule.kind}: and the body stays stopped`);
      // Without a reason: an AbortError, as fetch's.
      const plain = new AbortController();
      const again = await sb.fetch(`${sb.baseUrl}/api/v1/data_owners/1/B2C/customers/`, { headers, signal: plain.signal });
      const body = again.body.getReader();
      await body.read();
      plain.abort();
      assert.equal((await rejection(body.read())).name, 'AbortError', rule.kind);
    }
    // Through CubeClient, a signal that fires once the body is being read: CubeError aborted.
    sb.faults({ rules: [{ kind: 'dribble', chunkBytes: 64, chunkDelayMs: 60_000 }] });
    const controller = new AbortController();
    const abortOnceAnswered = async (url, init) => {
      const response = await sb.fetch(url, init);
      setTimeout(() => controller.abort(), 0);
      return response;
    };
    const client = new CubeClient({ baseUrl: sb.baseUrl, auth: BASIC, fetch: abortOnceAnswered, maxRetries: 0 });
    const e = await rejection(client.whoAmI({ signal: controller.signal }));
    assert.ok(e instanceof CubeError, String(e));
    assert.equal(e.code, 'aborted', e.message);
  } finally {
    sb.close();
  }
});

test('baseUrl: https://sandbox.invalid by default, and any origin works — requests, next links and the log use it', { timeout: 30_000, skip }, async () => {
  const sb = await createSandbox({ customers: 250, pageSize: 100 });
  try {
    assert.equal(sb.baseUrl, 'https://sandbox.invalid');
    const headers = { authorization: `Basic ${btoa('demo@example.com:demo')}` };
    for (const origin of [sb.baseUrl, 'https://acme.headshed.com', 'https://crm.example.com:8443', 'http://127.0.0.1:8787']) {
      const asked = [];
      const noting = (url, init) => {
        asked.push(new URL(url instanceof Request ? url.url : url).origin);
        return sb.fetch(url, init);
      };
      sb.clearRequests();
      const client = new CubeClient({ baseUrl: origin, auth: BASIC, fetch: noting, concurrency: 1 });
      const records = await client.customers(B2C).toArray();
      assert.equal(records.length, 250, origin);
      assert.deepEqual(asked, [origin, origin, origin], `${origin}: three pages, each asked of it`);
      assert.deepEqual(sb.requests().map((r) => r.headers.host), Array(3).fill(new URL(origin).host), `${origin}: the log`);
      // The sandbox builds its links on the origin a request names.
      const page = await (await sb.fetch(`${origin}/api/v1/data_owners/1/B2C/customers/?page=2`, { headers })).json();
      assert.equal(page.next, `${origin}/api/v1/data_owners/1/B2C/customers/?page=3`, origin);
      assert.equal(page.previous, `${origin}/api/v1/data_owners/1/B2C/customers/`, origin);
    }
    // A production configuration (`account`) with only `fetch` swapped.
    sb.clearRequests();
    const production = new CubeClient({ account: 'acme', auth: BASIC, fetch: sb.fetch });
    assert.equal((await production.whoAmI()).username, 'demo@example.com');
    assert.deepEqual(sb.requests().map((r) => r.headers.host), ['acme.headshed.com']);
    // The default name never resolves: with the real fetch instead of the sandbox's, a
    // request fails (a network error, or at worst the client's timeout), never answered.
    const escaped = new CubeClient({ baseUrl: sb.baseUrl, auth: BASIC, maxRetries: 0, timeoutMs: 20_000 });
    const e = await rejection(escaped.whoAmI());
    assert.ok(e instanceof CubeError, String(e));
    assert.ok(['network', 'timeout'].includes(e.code), `${e.code}: ${e.message}`);
    assert.equal(e.status, undefined, 'no server answered');
  } finally {
    sb.close();
  }
});

test('a reset before any byte rejects the fetch; after some bytes it errors the body', { timeout: 30_000, skip }, async () => {
  const sb = await createSandbox();
  try {
    sb.faults({ rules: [{ kind: 'reset', keepBytes: 0, times: 1 }] });
    const e = await rejection(sb.fetch(`${sb.baseUrl}/account/who_am_i`, { headers: { authorization: `Basic ${btoa('demo@example.com:demo')}` } }));
    assert.ok(e instanceof TypeError, String(e));
    assert.equal(e.message, 'fetch failed');
    assert.equal(e.cause?.code, 'ECONNRESET');

    sb.faults({ rules: [{ kind: 'reset', keepBytes: 20, times: 1 }] });
    const response = await sb.fetch(`${sb.baseUrl}/account/who_am_i`, { headers: { authorization: `Basic ${btoa('demo@example.com:demo')}` } });
    assert.equal(response.status, 200, 'the head arrived');
    const bodyError = await rejection(response.text());
    assert.equal(bodyError.cause?.code ?? bodyError.code, 'ECONNRESET', String(bodyError));
    assert.deepEqual(sb.requests().map((r) => r.fault), ['reset', 'reset']);

    // Through the client: both are network errors, retried, and the call completes.
    sb.faults({ rules: [{ kind: 'reset', keepBytes: 0, times: 1 }, { kind: 'reset', keepBytes: 10, times: 1 }] });
    const retries = [];
    const me = await clientOf(sb, { retryDelayMs: 1, onRetry: (r) => retries.push(r.code) }).whoAmI();
    assert.equal(me.username, 'demo@example.com');
    assert.deepEqual(retries, ['network', 'network']);
  } finally {
    sb.close();
  }
});

test('an endless body and the client\'s timeoutMs: CubeError timeout', { timeout: 60_000, skip }, async () => {
  const sb = await createSandbox({ faults: ['{"kind":"endless_body","maxSeconds":120}'] });
  try {
    const client = clientOf(sb, { timeoutMs: 500, maxRetries: 0 });
    const e = await rejection(client.whoAmI());
    assert.ok(e instanceof CubeError, String(e));
    assert.equal(e.code, 'timeout', e.message);
    assert.deepEqual(sb.requests().map((r) => r.fault), ['endless_body']);
  } finally {
    sb.close();
  }
});

test('a redirect fault: the client (redirect manual) refuses it; fetch follows only same-origin', { timeout: 30_000, skip }, async () => {
  const sb = await createSandbox();
  try {
    sb.faults({ rules: [redirectRule('https://elsewhere.invalid')] });
    const client = new CubeClient({ baseUrl: sb.baseUrl, auth: { token: 'demo-token' }, fetch: sb.fetch, retryDelayMs: 1 });
    const e = await rejection(client.clientAccessCampaigns());
    assert.ok(e instanceof CubeError, String(e));
    const { isCubeError, ...expected } = refusedRedirect(sb.baseUrl);
    assert.ok(isCubeError);
    assert.deepEqual({ code: e.code, message: e.message, url: e.url, status: e.status ?? null, retries: e.retries }, expected);
    const auth = { authorization: 'Token demo-token' };
    const url = `${sb.baseUrl}${REDIRECT_ROUTE}campaigns`;
    // fetch with redirect: 'manual' gets the 3xx itself; 'follow' refuses another origin.
    const manual = await sb.fetch(url, { headers: auth, redirect: 'manual' });
    assert.equal(manual.status, 302);
    assert.equal(manual.headers.get('location'), `https://elsewhere.invalid${REDIRECT_ROUTE}campaigns`);
    const followed = await rejection(sb.fetch(url, { headers: auth }));
    assert.ok(followed instanceof TypeError, String(followed));
    // To its own origin it follows (once: the fault fires one time).
    sb.faults({ rules: [{ ...redirectRule(sb.baseUrl), times: 1 }] });
    const same = await sb.fetch(url, { headers: auth });
    assert.equal(same.status, 200);
    const direct = await sb.fetch(url, { headers: auth });
    assert.deepEqual(await same.json(), await direct.json(), 'the followed answer is the route\'s own');
    assert.deepEqual(sb.requests().slice(-3).map((r) => [r.status, r.fault]), [[302, 'redirect'], [200, null], [200, null]]);
  } finally {
    sb.close();
  }
});

test('a 503 with Retry-After: onRetry reports it and the wait honours it', { timeout: 30_000, skip }, async () => {
  const sb = await createSandbox({ faults: [{ kind: 'status', status: 503, retryAfter: 1, times: 1, route: '/account/' }] });
  try {
    const retries = [];
    const client = clientOf(sb, { retryDelayMs: 1, onRetry: (e) => retries.push(e) });
    assert.equal((await client.whoAmI()).username, 'demo@example.com');
    assert.equal(retries.length, 1);
    assert.equal(retries[0].code, 'server');
    assert.equal(retries[0].status, 503);
    assert.equal(retries[0].retry, 1);
    assert.ok(retries[0].delayMs >= 1000, `waited for Retry-After: ${retries[0].delayMs} ms`);
    const [first, second] = sb.requests();
    assert.deepEqual([first.status, first.fault, second.status, second.fault], [503, 'status', 200, null]);
  } finally {
    sb.close();
  }
});
