// An optional option given as `undefined` is an option not given, in every call: what
// index.d.ts promises by typing each one `?: T | undefined` (so that `{ signal }` with
// `signal: AbortSignal | undefined` compiles under exactOptionalPropertyTypes). Each call
// with every optional option undefined answers as the call without them. Dates from a form:
// both undefined is "no range"; an empty string is a bad date. Against the sandbox over HTTP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CubeClient, CubeError, changeRows, changeSheet, diff, importSheet, readCsv, sync, toCsv, toXlsx,
} from '../../../pkg/node/index.mjs';
import { startSandbox, TOKEN } from '../support/sandbox.mjs';

const T = { timeout: 60_000 };
const crm = { dataOwnerId: 1, crmType: 'B2C' };
let sb;
let cube;
before(async () => {
  sb = await startSandbox(['--customers', '120', '--page-size', '50', '--outcomes', '40']);
  cube = new CubeClient({ baseUrl: sb.url, auth: TOKEN });
});
after(() => sb?.stop());

const U = undefined;

test('client options: each optional one undefined is not given', T, async () => {
  const client = new CubeClient({
    baseUrl: sb.url, auth: TOKEN, account: U, domain: U, timeoutMs: U, maxRetries: U, retryDelayMs: U,
    maxRetryAfterMs: U, concurrency: U, maxResponseBytes: U, fetch: U, onRequest: U, onResponse: U, onRetry: U,
  });
  assert.equal((await client.whoAmI({ signal: U })).username, 'demo@example.com');
  const byAccount = new CubeClient({ account: 'acme', domain: U, baseUrl: U, auth: TOKEN });
  assert.equal(byAccount.baseUrl, 'https://acme.headshed.com');
});

test('call and list options: each optional one undefined is not given', T, async () => {
  assert.deepEqual(await cube.campaigns({ signal: U }), await cube.campaigns());
  assert.deepEqual(await cube.customFields({ ...crm, signal: U }), await cube.customFields(crm));
  const all = await cube.customers(crm).toArray();
  assert.equal(all.length, 120);
  assert.deepEqual(await cube.customers({ ...crm, page: U, signal: U, onProgress: U }).toArray({ limit: U }), all);
  const pages = [];
  for await (const p of cube.crm(1, 'B2C').customers({ page: U }).pages({ limit: U })) pages.push(p.page);
  assert.deepEqual(pages, [1, 2, 3]);
  const campaignId = (await cube.campaigns())[0].campaign__id;
  assert.deepEqual(
    await cube.callflowCustomers({ campaignId, callState: U }).toArray(),
    await cube.callflowCustomers({ campaignId }).toArray(),
  );
  assert.deepEqual(await cube.callOutcomes({ campaignId: U }).count(), await cube.callOutcomes().count());
});

test('dates from a form: both undefined is no range; an empty string is a bad date; the documented spread works', T, async () => {
  const campaignId = (await cube.campaigns())[0].campaign__id;
  const today = await cube.callOutcomes({ campaignId }).toArray();
  assert.deepEqual(await cube.callOutcomes({ campaignId, from: U, to: U }).toArray(), today);
  assert.deepEqual(await cube.campaign(campaignId).callOutcomes({ from: U, to: U }).toArray(), today);
  // '' is not "no date": a bad date, refused before any request, naming it.
  assert.throws(() => cube.callOutcomes({ campaignId, from: '', to: '' }), (e) => e instanceof CubeError && e.code === 'invalid_argument' && e.param === 'from');
  // One without the other: refused, as the types say.
  assert.throws(() => cube.callOutcomes({ campaignId, from: '2024-01-01', to: U }), (e) => e instanceof CubeError && e.code === 'invalid_argument');
  // The pattern for a form's fields ('' when left empty).
  const read = (form) => {
    const from = form.from || undefined;
    const to = form.to || undefined;
    return cube.callOutcomes({ campaignId, ...(from && to ? { from, to } : {}) }).toArray();
  };
  assert.deepEqual(await read({ from: '', to: '' }), today);
  const days = (await read({ from: '2000-01-01', to: '2999-12-31' })).length;
  assert.ok(days >= today.length, `a range reads its days (${days})`);
});

test('the streaming sync and the round-trip helpers: each optional option undefined is not given', T, async () => {
  const first = await cube.customers(crm).sync(null, {
    signal: U, onProgress: U, snapshotTo: U, report: U, allowOtherOrigin: U, baseline: U, store: U, key: U, loose: U, ignoreFields: U,
  });
  const plain = await cube.customers(crm).sync(null);
  assert.deepEqual(first.changes, plain.changes);
  assert.deepEqual(first.snapshot, plain.snapshot);
  const batches = [];
  const run = cube.customers(crm).syncChanges(first.snapshot, { signal: U, onProgress: U, snapshotTo: U, report: U });
  for await (const b of run) batches.push(b);
  assert.equal(run.result.counts.unchanged, first.changes.added.length);

  // A report whose optional settings are undefined: the default xlsx.
  const chunks = [];
  const to = new WritableStream({ write: (c) => { chunks.push(Uint8Array.from(c)); } });
  await cube.customers(crm).sync(first.snapshot, {
    report: { to, format: U, sheetName: U, delimiter: U, bom: U, formulaGuard: U, onWarning: U, customFields: U, key: U, ignoreFields: U },
  });
  assert.deepEqual([...Buffer.concat(chunks).subarray(0, 2)], [0x50, 0x4b], 'an .xlsx (zip) report');

  const records = plain.changes.added.slice(0, 5);
  const changed = records.map((r, i) => (i === 0 ? { ...r, crm__standard_info__email: 'x@example.com' } : r));
  const none = { key: U, loose: U, ignoreFields: U };
  assert.deepEqual(await diff(records, changed, none), await diff(records, changed));
  const s = await sync(null, records, { ...none, store: U });
  assert.deepEqual(s.changes, (await sync(null, records)).changes);
  const csv = { columns: U, delimiter: U, bom: U, formulaGuard: U, customFields: U };
  assert.deepEqual(await toCsv(records, csv), await toCsv(records));
  assert.deepEqual(await toCsv(records, { columns: [{ field: 'crm__customer_id', header: U }] }), await toCsv(records, { columns: [{ field: 'crm__customer_id' }] }));
  const xlsx = await toXlsx(records, { columns: U, sheetName: U, textFields: U, customFields: U, onWarning: U });
  assert.deepEqual([...xlsx.subarray(0, 2)], [0x50, 0x4b]);
  const sheet = await importSheet(records, { columns: U, format: U, sheetName: U, delimiter: U, bom: U, formulaGuard: U, textFields: U, customFields: U, onWarning: U });
  assert.deepEqual([...sheet.subarray(0, 2)], [0x50, 0x4b]);
  assert.deepEqual(await readCsv('a;b\n1;2\n', { delimiter: U }), await readCsv('a;b\n1;2\n'));
  const d = await diff(records, changed);
  assert.deepEqual(await changeRows(d, { key: U, ignoreFields: U, customFields: U }), await changeRows(d));
  const report = { format: U, sheetName: U, delimiter: U, bom: U, formulaGuard: U, onWarning: U, key: U, ignoreFields: U, customFields: U };
  assert.deepEqual([...(await changeSheet(d, report)).subarray(0, 2)], [0x50, 0x4b]);
});
