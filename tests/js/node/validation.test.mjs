// Bad input: a CubeError `invalid_argument` naming the parameter, and no request sent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CubeClient, CubeError } from '../../../pkg/node/index.mjs';
import { startSandbox, BASIC } from '../support/sandbox.mjs';

// Per test: generous, so only a hang fails by time (CI is a busy 2-core machine).
const T = { timeout: 60_000 };

let sb;
before(async () => {
  sb = await startSandbox();
});
after(() => sb.stop());

const isInvalid = (param) => (e) => {
  assert.ok(e instanceof CubeError, `expected CubeError, got ${e}`);
  assert.equal(e.code, 'invalid_argument', e.message);
  assert.equal(e.param, param, e.message);
  assert.ok(e.message.includes(param.split('.').pop()), `message names ${param}: ${e.message}`);
  return true;
};

async function expectInvalid(param, fn) {
  let threw;
  try {
    const out = fn();
    if (out && typeof out.then === 'function') await out;
    else if (out && typeof out.toArray === 'function') await out.toArray();
  } catch (e) {
    threw = e;
  }
  assert.ok(threw, `expected an invalid_argument error for ${param}`);
  isInvalid(param)(threw);
}

test('client options are checked in the constructor', T, () => {
  const cases = [
    ['options', () => new CubeClient()],
    ['baseUrl', () => new CubeClient({ auth: BASIC })],
    ['baseUrl', () => new CubeClient({ baseUrl: 'http://acme.headshed.com', auth: BASIC })],
    ['baseUrl', () => new CubeClient({ baseUrl: 'https://u:p@acme.headshed.com', auth: BASIC })],
    ['baseUrl', () => new CubeClient({ baseUrl: 'not a url', auth: BASIC })],
    ['account', () => new CubeClient({ account: 'acme.evil', auth: BASIC })],
    ['account', () => new CubeClient({ account: 'acme', baseUrl: sb.url, auth: BASIC })],
    ['domain', () => new CubeClient({ account: 'acme', domain: 'evil.com', auth: BASIC })],
    ['auth', () => new CubeClient({ baseUrl: sb.url })],
    ['auth', () => new CubeClient({ baseUrl: sb.url, auth: {} })],
    ['auth.token', () => new CubeClient({ baseUrl: sb.url, auth: { token: '' } })],
    ['auth.token', () => new CubeClient({ baseUrl: sb.url, auth: { token: 'Token abc' } })],
    ['auth.password', () => new CubeClient({ baseUrl: sb.url, auth: { username: 'a@b.no' } })],
    ['auth.username', () => new CubeClient({ baseUrl: sb.url, auth: { username: '', password: 'x' } })],
    ['auth.username', () => new CubeClient({ baseUrl: sb.url, auth: { username: 'a:b', password: 'x' } })],
    ['auth', () => new CubeClient({ baseUrl: sb.url, auth: { username: 'a', password: 'b', token: 'c' } })],
    ['auth.passwd', () => new CubeClient({ baseUrl: sb.url, auth: { username: 'a', passwd: 'b' } })],
    ['timeoutMs', () => new CubeClient({ baseUrl: sb.url, auth: BASIC, timeoutMs: 0 })],
    ['timeoutMs', () => new CubeClient({ baseUrl: sb.url, auth: BASIC, timeoutMs: '100' })],
    ['maxRetries', () => new CubeClient({ baseUrl: sb.url, auth: BASIC, maxRetries: -1 })],
    ['concurrency', () => new CubeClient({ baseUrl: sb.url, auth: BASIC, concurrency: 0 })],
    ['concurrency', () => new CubeClient({ baseUrl: sb.url, auth: BASIC, concurrency: 1.5 })],
    ['fetch', () => new CubeClient({ baseUrl: sb.url, auth: BASIC, fetch: 'fetch' })],
    ['onRequest', () => new CubeClient({ baseUrl: sb.url, auth: BASIC, onRequest: 1 })],
    ['timeout', () => new CubeClient({ baseUrl: sb.url, auth: BASIC, timeout: 5 })],
  ];
  for (const [param, make] of cases) {
    assert.throws(make, isInvalid(param), `case ${param}`);
  }
});

test('a huge value is quoted cut, never whole, in every surface of the error', T, async () => {
  const huge = 'x'.repeat(100_000);
  const cut = 'x'.repeat(80); // what shows of it (and the param, when the key is the value)
  const client = new CubeClient({ baseUrl: sb.url, auth: BASIC });
  const crm = { dataOwnerId: 1, crmType: 'B2C' };
  await sb.clearRequests();
  const cases = [
    ['baseUrl', () => new CubeClient({ baseUrl: huge, auth: BASIC })],
    ['baseUrl', () => new CubeClient({ baseUrl: `https://acme.headshed.com/${huge}?q=1`, auth: BASIC })],
    ['account', () => new CubeClient({ account: huge, auth: BASIC })],
    ['domain', () => new CubeClient({ account: 'acme', domain: huge, auth: BASIC })],
    [cut, () => new CubeClient({ baseUrl: sb.url, auth: BASIC, [huge]: 1 })],
    ['dataOwnerId', () => client.customers({ dataOwnerId: huge, crmType: 'B2C' })],
    ['crmType', () => client.customers({ dataOwnerId: 1, crmType: huge })],
    ['customerId', () => client.customer({ ...crm, customerId: huge })],
    ['from', () => client.callOutcomes({ campaignId: 1, from: huge, to: '2024-03-01' })],
    ['callState', () => client.callflowCustomers({ campaignId: 3, callState: huge })],
    ['limit', () => client.customers(crm).toArray({ limit: huge })],
    [cut, () => client.customers({ ...crm, [huge]: 1 })],
    [cut, () => client.customers(crm).sync(null, { [huge]: 1 })],
    ['store', () => client.customers(crm).sync(null, { store: huge })],
  ];
  for (const [param, call] of cases) {
    let e;
    try {
      const out = call();
      await (typeof out?.toArray === 'function' ? out.toArray() : out);
    } catch (error) {
      e = error;
    }
    isInvalid(param)(e);
    // 80 characters of the value, its length, and our own words (the longest: the 14 options
    // of new CubeClient())
    assert.ok(e.message.length < 400, `${param}: ${e.message.length} characters: ${e.message.slice(0, 400)}`);
    assert.match(e.message, /x…" \(100,\d{3} characters\)/, param);
    assert.ok(String(e).length < 450, param);
    assert.ok(JSON.stringify(e).length < 700, param);
    assert.ok(!e.stack.includes('x'.repeat(200)), param);
  }
  assert.deepEqual(await sb.requests(), [], 'no request reached the server');
});

test('call parameters are checked before any request', T, async () => {
  const client = new CubeClient({ baseUrl: sb.url, auth: BASIC });
  await sb.clearRequests();
  const crm = { dataOwnerId: 1, crmType: 'B2C' };
  const cases = [
    ['dataOwnerId', () => client.customers({ crmType: 'B2C' })],
    ['dataOwnerId', () => client.customers({ dataOwnerId: 0, crmType: 'B2C' })],
    ['dataOwnerId', () => client.customers({ dataOwnerId: 'abc', crmType: 'B2C' })],
    ['dataOwnerId', () => client.customers({ dataOwnerId: 2.5, crmType: 'B2C' })],
    ['crmType', () => client.customers({ dataOwnerId: 1 })],
    ['crmType', () => client.customers({ dataOwnerId: 1, crmType: 'B2X' })],
    ['dataownerId', () => client.customers({ dataownerId: 1, crmType: 'B2C' })],
    ['page', () => client.customers({ ...crm, page: 0 })],
    ['customerId', () => client.customer(crm)],
    ['customerId', () => client.customer({ ...crm, customerId: '' })],
    ['crmType', () => client.customFields({ dataOwnerId: 1, crmType: 'b2x' })],
    ['campaignId', () => client.productRegistrations({})],
    ['campaignId', () => client.callOutcomes({ campaignId: 1, ...crm })],
    ['campaignId', () => client.callflowCustomers({ campaignId: -4 })],
    ['callState', () => client.callflowCustomers({ ...crm, callState: 'Ready' })],
    ['from', () => client.callOutcomes({ from: '2024-02-30', to: '2024-03-01' })],
    ['from', () => client.callOutcomes({ from: '2024-03-02', to: '2024-03-01' })],
    ['from', () => client.callOutcomes({ from: new Date('nope'), to: '2024-03-01' })],
    ['to', () => client.callOutcomes({ from: '2024-03-01' })],
    ['from', () => client.callOutcomes({ to: '2024-03-01' })],
    ['to', () => client.callOutcomes({ from: '20240301', to: '2024/03/05' })],
    ['from', () => client.legacyResponses({ campaignId: 1 })],
    ['assignmentId', () => client.legacyCustomers({})],
    ['customer', () => client.legacyCreateCustomer(null)],
    ['customer', () => client.legacyCreateCustomer(undefined)],
    ['customer', () => client.legacyCreateCustomer([{ customer_id: '1', assignment_id: 1 }])],
    ['customer', () => client.legacyCreateCustomer('{"customer_id":"1","assignment_id":1}')],
    ['customer', () => { const c = { customer_id: '1', assignment_id: 1 }; c.self = c; return client.legacyCreateCustomer(c); }],
    ['customer.customer_id', () => client.legacyCreateCustomer({ assignment_id: 1 })],
    ['customer.assignment_id', () => client.legacyCreateCustomer({ customer_id: '0042' })],
    ['signal', () => client.whoAmI({ signal: 'stop' })],
    ['onProgress', () => client.customers({ ...crm, onProgress: 3 })],
    ['limit', () => client.customers(crm).toArray({ limit: -1 })],
    ['params', () => client.customers('1/B2C')],
  ];
  // Every parameter a call takes (README, "Methods" and "Parameters") has a case here, so a
  // parameter added to the API without a check of its own shows up as missing.
  const documented = [
    'dataOwnerId', 'crmType', 'customerId', 'campaignId', 'callState', 'from', 'to', 'assignmentId',
    'page', 'limit', 'signal', 'onProgress', 'customer', 'customer.customer_id', 'customer.assignment_id',
  ];
  const covered = new Set(cases.map(([param]) => param));
  assert.deepEqual(documented.filter((p) => !covered.has(p)), [], 'a case for every documented parameter');
  for (const [param, call] of cases) {
    await expectInvalid(param, call);
  }
  assert.deepEqual(await sb.requests(), [], 'no request reached the server');
});
