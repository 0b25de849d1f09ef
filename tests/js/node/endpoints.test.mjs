// Every documented endpoint, current and legacy, through the package against the sandbox.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CubeClient, CubeError } from '../../../pkg/node/index.mjs';
import { startSandbox, BASIC, PARTNER } from '../support/sandbox.mjs';

// Per test: generous, so only a hang fails by time (CI is a busy 2-core machine).
const T = { timeout: 60_000 };

let sb;
let cube;
let info;
const lastRequest = async () => (await sb.requests()).filter((r) => !r.path.startsWith('/_sandbox')).at(-1);

before(async () => {
  sb = await startSandbox(['--customers', '600', '--page-size', '250', '--outcomes', '120']);
  cube = new CubeClient({ baseUrl: sb.url, auth: BASIC });
  info = await sb.info();
});
after(() => sb.stop());

const today = () => info.today;
const daysAgo = (n) => {
  const d = new Date(`${info.today}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString().slice(0, 10);
};

test('campaigns and client_access/campaigns', T, async () => {
  const all = await cube.campaigns();
  assert.equal(all.length, info.campaigns.length);
  assert.ok(all.every((c) => typeof c.campaign__id === 'number' && 'data_owner__id' in c && 'service__name' in c));
  assert.equal((await lastRequest()).path, '/api/v1/campaigns');
  const partner = new CubeClient({ baseUrl: sb.url, auth: { token: PARTNER.token } });
  const visible = await partner.clientAccessCampaigns();
  assert.ok(visible.length > 0 && visible.every((c) => c.data_owner__id === 1));
  assert.equal((await lastRequest()).path, '/api/v1/client_access/campaigns');
  await assert.rejects(partner.campaigns(), (e) => e instanceof CubeError && e.code === 'forbidden' && e.status === 403);
  await assert.rejects(partner.customers({ dataOwnerId: 2, crmType: 'B2C' }).toArray(), (e) => e.code === 'forbidden');
});

test('customers, one customer, custom fields (both path shapes)', T, async () => {
  const customers = await cube.customers({ dataOwnerId: 1, crmType: 'B2B' }).toArray();
  assert.equal(customers.length, 600);
  assert.match((await lastRequest()).path, /^\/api\/v1\/data_owners\/1\/B2B\/customers\/$/);
  const withId = customers.find((c) => c.crm__customer_id !== '');
  const one = await cube.customer({ dataOwnerId: 1, crmType: 'B2B', customerId: withId.crm__customer_id });
  assert.deepEqual(one, withId);
  await assert.rejects(cube.customer({ dataOwnerId: 1, crmType: 'B2B', customerId: 'no-such-id' }), (e) => e.code === 'not_found');
  const fields = await cube.customFields({ dataOwnerId: 1, crmType: 'B2B' });
  assert.ok(fields.length > 0 && fields.every((f) => f.lookup__id === `crm__custom_info__${f.id}` && typeof f.key === 'string'));
  assert.equal((await lastRequest()).path, '/api/v1/data_owners/1/B2B/crm_custom_fields/');
});

test('callflow customers of a CRM and of a campaign, with call_state', T, async () => {
  const crmFlow = await cube.callflowCustomers({ dataOwnerId: 1, crmType: 'B2C' }).toArray();
  assert.ok(crmFlow.length > 0 && crmFlow.every((r) => 'callflow__callstate__name' in r));
  assert.equal((await lastRequest()).path, '/api/v1/data_owners/1/crm/B2C/callflow_customers/');
  const campaign = info.campaigns[0].id;
  const flow = await cube.callflowCustomers({ campaignId: campaign }).toArray();
  const ready = await cube.callflowCustomers({ campaignId: campaign, callState: 'Ready' }).toArray();
  const last = await lastRequest();
  assert.equal(last.path, `/api/v1/campaigns/${campaign}/callflow_customers/`);
  assert.match(last.query, /call_state=Ready/);
  assert.ok(ready.length > 0 && ready.length < flow.length);
  assert.ok(ready.every((r) => r.callflow__callstate__name === 'Ready'));
});

test('call outcomes: all, of a CRM, of a campaign; date ranges', T, async () => {
  const campaign = info.campaigns[0].id;
  const from = daysAgo(59);
  const to = today();
  const inCampaign = await cube.callOutcomes({ campaignId: campaign, from, to }).toArray();
  assert.equal(inCampaign.length, 120);
  const q = new URLSearchParams((await lastRequest()).query);
  assert.equal(q.get('from_date'), from.replaceAll('-', ''));
  assert.equal(q.get('to_date'), to.replaceAll('-', ''));
  const inCrm = await cube.callOutcomes({ dataOwnerId: 1, crmType: 'B2C', from: new Date(`${from}T12:00:00`), to }).toArray();
  assert.ok(inCrm.length >= 120);
  assert.equal((await lastRequest()).path, '/api/v1/data_owners/1/crm/B2C/call_outcomes/');
  const all = await cube.callOutcomes({ from: from.replaceAll('-', ''), to }).toArray();
  assert.equal(all.length, 120 * info.campaigns.length);
  assert.equal((await lastRequest()).path, '/api/v1/call_outcomes/');
  const todays = await cube.callOutcomes({ campaignId: campaign }).toArray();
  assert.ok(todays.every((o) => o.call_outcome__report_as__submitted_when.startsWith(today())));
  assert.ok(todays.length < inCampaign.length);
});

test('product registrations of a CRM and of a campaign', T, async () => {
  const campaign = info.campaigns[0].id;
  const from = daysAgo(59);
  const products = await cube.productRegistrations({ campaignId: campaign, from, to: today() }).toArray();
  assert.ok(products.length > 0 && products.every((p) => 'product__code' in p && 'product__price' in p));
  assert.equal((await lastRequest()).path, `/api/v1/campaigns/${campaign}/product_registrations/`);
  const inCrm = await cube.productRegistrations({ dataOwnerId: 1, crmType: 'B2C', from, to: today() }).toArray();
  assert.ok(inCrm.length >= products.length);
  assert.equal((await lastRequest()).path, '/api/v1/data_owners/1/crm/B2C/product_registrations/');
});

test('legacy: customers of an assignment, responses, create a customer', T, async () => {
  const campaign = info.campaigns[0].id;
  const legacy = await cube.legacyCustomers({ assignmentId: campaign }).toArray();
  assert.ok(legacy.length > 0 && legacy.every((c) => 'customer_id' in c));
  const last = await lastRequest();
  assert.equal(last.path, '/crm/customers');
  assert.equal(new URLSearchParams(last.query).get('assignment_id'), String(campaign));
  const responses = await cube.legacyResponses({ campaignId: campaign, from: daysAgo(59) }).toArray();
  assert.ok(responses.length > 0);
  assert.equal((await lastRequest()).path, '/responses');
  const created = await cube.legacyCreateCustomer({ customer_id: '000777', assignment_id: campaign, name: 'Åse Ødegård' });
  assert.equal(created.customer_id, '000777');
  const post = await lastRequest();
  assert.equal(post.method, 'POST');
  const again = await cube.legacyCustomers({ assignmentId: campaign }).toArray();
  assert.ok(again.some((c) => c.customer_id === '000777' && c.name === 'Åse Ødegård'));
});

test('a page past the end and an unknown data owner are not_found', T, async () => {
  // Cube (DRF) answers both with 404: "Invalid page." and "Not found." (sandbox/README.md).
  await assert.rejects(cube.customers({ dataOwnerId: 1, crmType: 'B2C', page: 99 }).toArray(), (e) => e.code === 'not_found' && e.status === 404 && e.resumePage === 99);
  await assert.rejects(cube.customers({ dataOwnerId: 99, crmType: 'B2C' }).toArray(), (e) => e.code === 'not_found' && e.status === 404);
});

test('a parameter the server refuses is bad_request, with its detail, and is not retried', T, async () => {
  // The client checks every parameter before sending, so a call through it never earns a
  // 400 by itself. An injected fetch changes the CRM type on the way out (B2C → B2X), and the
  // sandbox answers as Cube does: 400 with a detail naming crm_type.
  await sb.clearRequests();
  const client = new CubeClient({
    baseUrl: sb.url,
    auth: BASIC,
    retryDelayMs: 1,
    fetch: (url, init) => fetch(String(url).replace('/B2C/', '/B2X/'), init),
  });
  await assert.rejects(client.customers({ dataOwnerId: 1, crmType: 'B2C' }).toArray(), (e) => {
    assert.ok(e instanceof CubeError, String(e));
    assert.equal(e.code, 'bad_request');
    assert.equal(e.status, 400);
    assert.match(JSON.stringify(e.detail), /Invalid crm_type 'B2X'/);
    assert.equal(e.retries, 0);
    return true;
  });
  const sent = (await sb.requests()).filter((r) => r.path.includes('/B2X/'));
  assert.deepEqual(sent.map((r) => r.status), [400], 'sent once, answered 400');
});
