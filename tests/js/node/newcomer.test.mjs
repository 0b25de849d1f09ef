// What a newcomer meets in the first hour: the changes report, counts and totals, scoped
// handles, and errors that say what is true (a network error's cause, retries counted from
// 1, resume messages on page 1, a reversed date range). All against the sandbox over HTTP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { unzipSync, strFromU8 } from 'fflate';
import { CubeClient, CubeError, changeRows, changeSheet } from '../../../pkg/node/index.mjs';
import { startSandbox, TOKEN } from '../support/sandbox.mjs';

const crm = { dataOwnerId: 1, crmType: 'B2C' };
const T = { timeout: 60_000 };
let sb;
let cube;

before(async () => {
  sb = await startSandbox(['--customers', '1200', '--page-size', '100']);
  cube = new CubeClient({ baseUrl: sb.url, auth: TOKEN, retryDelayMs: 5 });
});
after(() => sb.stop());

const apiRequests = async (prefix) => (await sb.requests()).filter((r) => r.path.startsWith(prefix));

test('the changes report: one row per changed field, change-log fields as columns, an xlsx of text cells', T, async () => {
  await sb.reset();
  const first = await cube.customers(crm).sync(null);
  const { edited } = await sb.edits({ count: 4, seed: 11, ...crm });
  const next = await cube.customers(crm).sync(first.snapshot);
  assert.equal(next.changes.changed.length, 4);

  const rows = await changeRows(next.changes);
  const expected = edited.flatMap((e) => e.fields.map((f) => `${e.customerId}|${f}|${e.values[f]}`)).sort();
  assert.ok(expected.length >= 4);
  assert.deepEqual(rows.map((r) => `${r.customerId}|${r.field}|${r.after}`).sort(), expected);
  for (const r of rows) {
    assert.equal(r.change, 'changed');
    assert.ok(!r.field.startsWith('crm__change_log__'), `${r.field} is a column, not a row`);
    const e = edited.find((x) => x.customerId === r.customerId);
    assert.equal(r.updatedBy, e.values.crm__change_log__updated_by);
    assert.equal(r.updateMethod, 'Manual update');
    assert.notEqual(r.before, r.after);
  }
  // Seed 11 edits a phone 1 (the sandbox says so): its row exists and has the field's label.
  const phoneEdit = edited.find((e) => e.fields.includes('crm__standard_info__phone_1'));
  assert.ok(phoneEdit, `seed 11 edits a phone 1: ${JSON.stringify(edited.map((e) => e.fields))}`);
  const phoneRow = rows.find((r) => r.customerId === phoneEdit.customerId && r.field === 'crm__standard_info__phone_1');
  assert.ok(phoneRow, `a row for ${phoneEdit.customerId}'s phone 1`);
  assert.equal(phoneRow.label, 'Phone 1');

  const xlsx = await changeSheet(next.changes);
  const files = unzipSync(xlsx);
  const sheet = strFromU8(files['xl/worksheets/sheet1.xml']);
  assert.equal((sheet.match(/<row /g) ?? []).length, rows.length + 1);
  assert.ok(!/<c [^>]*t="n"|<v>/.test(sheet), 'every cell is text');
  assert.match(strFromU8(files['xl/workbook.xml']), /name="Changes"/);

  const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await changeSheet(next.changes, { format: 'csv', delimiter: ';' }));
  assert.ok(csv.startsWith('\ufeffChange;Customer ID;Name;Field;Before;After;Updated;Updated by;Update method;Field key\r\n'));

  // ignoreFields drops rows; a typo in an option is named.
  const noPhones = await changeRows(next.changes, { ignoreFields: ['crm__standard_info__phone_1'] });
  assert.ok(noPhones.every((r) => r.field !== 'crm__standard_info__phone_1'));
  await assert.rejects(changeRows(next.changes, { ignoreField: [] }), (e) => e instanceof CubeError && e.param === 'ignoreField');
  await assert.rejects(changeSheet([]), (e) => e instanceof CubeError && e.code === 'invalid_argument' && e.param === 'changes');
});

test('custom fields are labelled in the report', T, async () => {
  await sb.reset();
  const fields = await cube.customFields(crm);
  assert.ok(fields.length > 0);
  const [field] = fields;
  const before = [{ crm__customer_id: '7', crm__standard_info__name: 'Åse', [field.lookup__id]: '000417' }];
  const after = [{ crm__customer_id: '7', crm__standard_info__name: 'Åse', [field.lookup__id]: '000418', crm__change_log__updated_by: 'kari@example.no' }];
  const { diff } = await import('../../../pkg/node/index.mjs');
  const rows = await changeRows(await diff(before, after), { customFields: fields });
  assert.equal(rows.length, 1);
  assert.deepEqual(
    [rows[0].label, rows[0].field, rows[0].before, rows[0].after, rows[0].updatedBy],
    [field.key, field.lookup__id, '000417', '000418', 'kari@example.no'],
  );
});

test('count() reads only the first page; total is known after page 1', T, async () => {
  await sb.reset();
  await sb.clearRequests();
  const pager = cube.customers(crm);
  assert.equal(pager.total, null);
  assert.equal(await pager.count(), 1200);
  const pages = await apiRequests('/api/v1/data_owners/');
  assert.deepEqual(pages.map((r) => r.query.match(/page=(\d+)/)?.[1] ?? '1'), ['1']);
  for await (const page of pager.pages()) {
    assert.equal(pager.total, 1200, 'after the first page');
    assert.equal(page.page, 1);
    break;
  }
});

test('scoped handles: cube.crm(…) and cube.campaign(…) are the same calls with the scope filled in', T, async () => {
  await sb.reset();
  const scope = cube.crm(1, 'b2c');
  assert.equal((await scope.customers().toArray({ limit: 250 })).length, 250);
  assert.deepEqual(await scope.customers().toArray({ limit: 30 }), await cube.customers(crm).toArray({ limit: 30 }));
  const [one] = await scope.customers().toArray({ limit: 1 });
  assert.deepEqual(await scope.customer(one.crm__customer_id), await cube.customer({ ...crm, customerId: one.crm__customer_id }));
  assert.deepEqual(await scope.customFields(), await cube.customFields(crm));
  const [campaign] = await cube.campaigns();
  const range = { from: '2024-01-01', to: '2024-12-31' };
  assert.deepEqual(
    await cube.campaign(campaign.campaign__id).callOutcomes(range).toArray(),
    await cube.callOutcomes({ campaignId: campaign.campaign__id, ...range }).toArray(),
  );
  assert.throws(() => cube.crm(1, 'B3C'), (e) => e instanceof CubeError && e.param === 'crmType');
  assert.throws(() => cube.campaign('x y'), (e) => e instanceof CubeError && e.param === 'campaignId');
});

test('a refused connection is a network error whose cause says so, without a word of CORS', T, async () => {
  const port = await new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
  const down = new CubeClient({ baseUrl: `http://127.0.0.1:${port}`, auth: TOKEN, maxRetries: 1, retryDelayMs: 1 });
  const error = await down.whoAmI().catch((e) => e);
  assert.ok(error instanceof CubeError);
  assert.equal(error.code, 'network');
  assert.doesNotMatch(error.message, /CORS/);
  assert.match(error.message, /ECONNREFUSED/);
  let codes = [];
  for (let c = error.cause; c; c = c.cause) {
    assert.ok(c instanceof Error);
    codes.push(c.code);
  }
  assert.ok(codes.includes('ECONNREFUSED'), JSON.stringify(codes));
  assert.equal(JSON.parse(JSON.stringify(error)).cause.name, error.cause.name);
});

test('a cause never carries a credential, whatever the fetch put in it', T, async () => {
  const secret = 'p4ssw0rd-very-secret';
  const leaky = async (url, init) => {
    const inner = new Error(`socket hang up (${init.headers.Authorization}; ${secret})`);
    inner.code = secret;
    throw new TypeError('fetch failed', { cause: inner });
  };
  const client = new CubeClient({ baseUrl: sb.url, auth: { username: 'u@example.no', password: secret }, fetch: leaky, maxRetries: 0 });
  const error = await client.whoAmI().catch((e) => e);
  assert.equal(error.code, 'network');
  const text = JSON.stringify(error) + error.message + String(error.cause?.cause?.message) + String(error.cause?.cause?.code);
  assert.ok(!text.includes(secret), text);
  assert.ok(!text.includes(Buffer.from(`u@example.no:${secret}`).toString('base64')), text);
  assert.match(error.cause.cause.message, /socket hang up/);
});

test('onRetry counts retries from 1; attempt is the failed attempt, from 0', T, async () => {
  await sb.reset();
  await sb.faults({ rules: [{ kind: 'status', status: 503, times: 2, route: '/api/v1/campaigns' }] });
  const events = [];
  const client = new CubeClient({ baseUrl: sb.url, auth: TOKEN, retryDelayMs: 1, onRetry: (e) => events.push([e.retry, e.attempt, e.code]) });
  await client.campaigns();
  assert.deepEqual(events, [[1, 0, 'server'], [2, 1, 'server']]);
  await sb.clearFaults();
});

test('a read that fails on its first page does not claim earlier pages were delivered', T, async () => {
  await sb.reset();
  const missing = await cube.customers({ dataOwnerId: 999, crmType: 'B2C' }).toArray().catch((e) => e);
  assert.ok(missing instanceof CubeError);
  assert.equal(missing.resumePage, 1);
  assert.doesNotMatch(missing.message, /resume with|was delivered/, 'nothing delivered: no word of resuming (resumePage is there for programs)');
  assert.doesNotMatch(missing.message, /before page/);

  const controller = new AbortController();
  controller.abort();
  const aborted = await cube.customers({ ...crm, page: 3, signal: controller.signal }).toArray().catch((e) => e);
  assert.equal(aborted.code, 'aborted');
  assert.doesNotMatch(aborted.message, /before page|were delivered/);

  await sb.faults({ rules: [{ kind: 'status', status: 503, skip: 2, route: '/api/v1/data_owners/1/B2C/customers/' }] });
  // One page at a time, so that the third request is page 4.
  const serial = new CubeClient({ baseUrl: sb.url, auth: TOKEN, concurrency: 1, maxRetries: 0 });
  const partway = await serial.customers({ ...crm, page: 2 }).toArray().catch((e) => e);
  await sb.clearFaults();
  assert.equal(partway.resumePage, 4);
  assert.match(partway.message, /\(pages 2–3 were delivered; resume with `page: 4`\)/);
});

// Resuming is worth it after a failure that may not happen again (the network, a timeout, a
// 429 or 5xx, an abort); after a 401 the same request fails the same way, so the message is
// about the credentials only (resumePage is still there for programs).
test('a 401 mid-read says nothing of resuming and carries no secret; a 503 mid-read says how to resume', T, async () => {
  await sb.reset();
  const route = '/api/v1/data_owners/1/B2C/customers/';
  // One page at a time, so that the third request is page 3.
  const serial = (auth) => new CubeClient({ baseUrl: sb.url, auth, concurrency: 1, maxRetries: 0 });

  await sb.faults({ rules: [{ kind: 'status', status: 401, skip: 2, route }] });
  const delivered = [];
  const refused = await (async () => {
    for await (const page of serial(TOKEN).customers(crm).pages()) delivered.push(page.page);
  })().catch((e) => e);
  assert.ok(refused instanceof CubeError, String(refused));
  assert.deepEqual([refused.code, refused.status, refused.resumePage], ['unauthorized', 401, 3]);
  assert.deepEqual(delivered, [1, 2], 'pages 1 and 2 were delivered before the 401');
  assert.match(refused.message, /the credentials were refused/);
  assert.doesNotMatch(refused.message, /resume|page: |delivered/, refused.message);
  const text = JSON.stringify(refused) + refused.stack;
  assert.ok(!text.includes(TOKEN.token), text);

  // A resumed read (from page 3) refused at once: no hint either.
  await sb.faults({ rules: [{ kind: 'status', status: 401, route }] });
  const resumed = await serial(TOKEN).customers({ ...crm, page: 3 }).toArray().catch((e) => e);
  assert.deepEqual([resumed.code, resumed.resumePage], ['unauthorized', 3]);
  assert.doesNotMatch(resumed.message, /resume|page: |delivered/, resumed.message);

  await sb.faults({ rules: [{ kind: 'status', status: 503, skip: 2, route }] });
  const failed = await serial(TOKEN).customers(crm).toArray().catch((e) => e);
  await sb.clearFaults();
  assert.deepEqual([failed.code, failed.status, failed.resumePage], ['server', 503, 3]);
  assert.match(failed.message, /\(pages 1–2 were delivered; resume with `page: 3`\)$/);
});

test('a reversed date range is refused before any request, naming from', T, async () => {
  await sb.clearRequests();
  assert.throws(
    () => cube.callOutcomes({ campaignId: 1, from: '2024-02-01', to: '2024-01-01' }),
    (e) => e instanceof CubeError && e.code === 'invalid_argument' && e.param === 'from' && /after to/.test(e.message),
  );
  assert.throws(
    () => cube.campaign(101).callOutcomes({ from: new Date(2024, 1, 1), to: new Date(2024, 0, 1) }),
    (e) => e instanceof CubeError && e.param === 'from',
  );
  assert.equal((await apiRequests('/api/')).length, 0);
});
