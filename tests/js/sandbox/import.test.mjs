// Cube's Excel import in the sandbox, through the public API only: the package's
// `importSheet()` writes the sheet, `createSandbox().importSheet()` (in process) or `POST
// /_sandbox/import` (the native server, over HTTP) imports it, and `CubeClient` reads the
// customers back — equal to the records on every field the sheet carries (Nordic names,
// postal codes with leading zeros, phones as text). The same sheet again changes nothing; an
// edited row is an `Import update`; a sheet with an error changes nothing; reset() undoes it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CubeClient, CubeError, importSheet } from '../../../pkg/node/index.mjs';
import { createSandbox } from '../../../pkg/sandbox/node.js';
import { startSandbox, BASIC } from '../support/sandbox.mjs';
import { skipUnless } from '../support/available.mjs';

const skip = skipUnless({ web: true });

const TODAY = '2026-06-01';
const OPTIONS = { customers: 300, pageSize: 100, today: TODAY };
const FLAGS = ['--customers', '300', '--page-size', '100', '--today', TODAY];
const CRM = { dataOwnerId: 1, crmType: 'B2C' };
const IMPORT_USER = 'import@nordlys.example'; // data owner 1 is Nordlys Energi AS

/** Customers as an integrator's CRM holds them, keyed as Cube's records are. */
function crmRecords(customFields) {
  const key = (label) => customFields.find((f) => f.key === label).lookup__id;
  const [street, postal, city] = [key('Address street'), key('Postal code'), key('City')];
  return [
    {
      crm__customer_id: '000417', crm__standard_info__name: 'Åse Ødegård',
      crm__standard_info__phone_1: '+4791234567', crm__standard_info__phone_2: '004722334455',
      crm__standard_info__phone_3: '', crm__standard_info__email: 'ase.odegard@example.no',
      [street]: 'Kjærlighetsstien 3B', [postal]: '0150', [city]: 'Tromsø',
    },
    {
      crm__customer_id: '007', crm__standard_info__name: 'Bjørn Æsøy',
      crm__standard_info__phone_1: '912 34 567', crm__standard_info__phone_2: '',
      crm__standard_info__phone_3: '+47 22 33 44 55', crm__standard_info__email: '',
      [street]: '', [postal]: '0001', [city]: 'Ås',
    },
    {
      crm__customer_id: 'CRM-3', crm__standard_info__name: 'Kjærsti Bjørnstad-Lærum',
      crm__standard_info__phone_1: '04790000000', crm__standard_info__phone_2: '',
      crm__standard_info__phone_3: '', crm__standard_info__email: 'kjaersti@example.no',
      [street]: 'Øvre Slottsgate 2', [postal]: '0157', [city]: 'Oslo',
    },
  ];
}

/**
 * The round trip against one sandbox: `load(bytes)` imports a sheet (in process or over HTTP)
 * and returns the answer; `cube` reads the sandbox.
 */
async function roundTrip(load, cube, format) {
  const crm = cube.crm(CRM.dataOwnerId, CRM.crmType);
  const customFields = await crm.customFields();
  const records = crmRecords(customFields);
  const sheet = (list) => importSheet(list, { customFields, format });

  assert.deepEqual(await load(await sheet(records)), { created: 3, updated: 0, unchanged: 0, rows: 3, errors: [] });
  for (const record of records) {
    const customer = await crm.customer(record.crm__customer_id);
    for (const [field, value] of Object.entries(record)) {
      assert.equal(customer[field], value, `${format} ${record.crm__customer_id}: ${field}`);
    }
    assert.equal(customer.crm__change_log__update_method, 'Import new');
    assert.equal(customer.crm__change_log__updated, TODAY);
    assert.equal(customer.crm__change_log__updated_by, IMPORT_USER);
  }
  // In the list like generated customers: counted, paged, after them in sheet order.
  const all = await crm.customers().toArray();
  assert.equal(all.length, 303);
  assert.equal(await crm.customers().count(), 303);
  assert.deepEqual(all.slice(-3).map((r) => r.crm__customer_id), ['000417', '007', 'CRM-3']);

  // The same sheet again: nothing changes, not even the change log.
  assert.deepEqual(await load(await sheet(records)), { created: 0, updated: 0, unchanged: 3, rows: 3, errors: [] });

  // One row edited (a new phone and a new last name): an Import update of that customer only.
  const edited = records.map((r) => ({ ...r }));
  Object.assign(edited[1], { crm__standard_info__phone_1: '+4745500000', crm__standard_info__name: 'Bjørn Ødegård' });
  assert.deepEqual(await load(await sheet(edited)), { created: 0, updated: 1, unchanged: 2, rows: 3, errors: [] });
  const updated = await crm.customer('007');
  assert.equal(updated.crm__standard_info__phone_1, '+4745500000');
  assert.equal(updated.crm__standard_info__name, 'Bjørn Ødegård');
  assert.equal(updated.crm__standard_info__phone_3, '+47 22 33 44 55');
  assert.equal(updated.crm__change_log__update_method, 'Import update');
  assert.equal(updated.crm__change_log__updated_by, IMPORT_USER);
  assert.equal((await crm.customer('000417')).crm__change_log__update_method, 'Import new');
  return all;
}

let native;
before(async () => {
  if (skip) return;
  native = await startSandbox(FLAGS);
}, { timeout: 30_000 });
after(() => native?.stop());

for (const format of ['xlsx', 'csv']) {
  test(`importSheet() in process (${format}): created, read back field for field, unchanged, Import update; reset() removes them`, { timeout: 60_000, skip }, async () => {
    const sandbox = await createSandbox(OPTIONS);
    try {
      const cube = new CubeClient({ baseUrl: sandbox.baseUrl, auth: BASIC, fetch: sandbox.fetch });
      await roundTrip(async (bytes) => sandbox.importSheet(bytes, CRM), cube, format);
      assert.equal(sandbox.info().counts.createdCustomers, 3);
      sandbox.reset();
      assert.equal(await cube.crm(1, 'B2C').customers().count(), 300);
      await assert.rejects(cube.crm(1, 'B2C').customer('CRM-3'), (e) => e instanceof CubeError && e.code === 'not_found');
    } finally {
      sandbox.close();
    }
  });
}

test('POST /_sandbox/import on the native server: the same round trip over HTTP, the same customers as in process', { timeout: 60_000, skip }, async () => {
  const post = async (bytes) => {
    const res = await fetch(`${native.url}/_sandbox/import?dataOwnerId=1&crmType=B2C`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
      body: bytes,
    });
    assert.equal(res.status, 200);
    return res.json();
  };
  await native.reset();
  const remote = await roundTrip(post, new CubeClient({ baseUrl: native.url, auth: BASIC }), 'xlsx');
  const sandbox = await createSandbox(OPTIONS);
  try {
    const local = await roundTrip(async (bytes) => sandbox.importSheet(bytes, CRM), new CubeClient({ baseUrl: sandbox.baseUrl, auth: BASIC, fetch: sandbox.fetch }), 'xlsx');
    assert.deepEqual(local, remote, 'both edges: the same customers after the same imports');
  } finally {
    sandbox.close();
    await native.reset();
  }
});

test('a sheet with errors is a CubeError listing them, and changes nothing; options and the sheet are checked', { timeout: 30_000, skip }, async () => {
  const sandbox = await createSandbox(OPTIONS);
  try {
    const cube = new CubeClient({ baseUrl: sandbox.baseUrl, auth: BASIC, fetch: sandbox.fetch });
    const bad = await importSheet([
      { crm__customer_id: 'OK-1', crm__standard_info__name: 'Ola Nordmann' },
      { crm__customer_id: '', crm__standard_info__name: 'Kari Uten Id' },
      { crm__customer_id: 'OK-1', crm__standard_info__name: 'Ola igjen' },
    ]);
    await assert.rejects(async () => sandbox.importSheet(bad, CRM), (err) => {
      assert.ok(err instanceof CubeError);
      assert.equal(err.code, 'invalid_argument');
      assert.equal(err.status, 400);
      assert.match(err.detail, /^import: nothing was imported: row 3, Customer ID: no customer id/);
      assert.deepEqual(err.errors.map((x) => [x.row, x.column]), [[3, 'Customer ID'], [4, 'Customer ID']]);
      assert.match(err.errors[1].message, /also in row 2/);
      return true;
    });
    await assert.rejects(cube.crm(1, 'B2C').customer('OK-1'), (err) => err.code === 'not_found');
    assert.equal(await cube.crm(1, 'B2C').customers().count(), 300);

    // An option the import does not read is named, as on a port; so is a missing one.
    assert.throws(() => sandbox.importSheet('Customer ID\nX-1\n', { ...CRM, campaignId: 101 }),
      (err) => err instanceof CubeError && /unknown parameter 'campaignId'; \/_sandbox\/import takes dataOwnerId and crmType/.test(err.message));
    assert.throws(() => sandbox.importSheet('Customer ID\nX-1\n', { dataOwnerId: 1 }), /crmType is required/);
    assert.throws(() => sandbox.importSheet('Customer ID\nX-1\n'), (err) => err.param === 'options');
    assert.throws(() => sandbox.importSheet({ rows: [] }, CRM), (err) => err instanceof CubeError && err.param === 'sheet' && /not Object/.test(err.message));
    // CSV text and an ArrayBuffer are sheets too.
    assert.equal(sandbox.importSheet('Customer ID;Name\r\nX-1;Åse\r\n', CRM).created, 1);
    const buffer = new TextEncoder().encode('Customer ID,Name\nX-2,Per\n').buffer;
    assert.equal(sandbox.importSheet(buffer, { dataOwnerId: 2, crmType: 'B2B' }).created, 1);
    assert.equal((await cube.crm(2, 'B2B').customer('X-2')).crm__standard_info__name, 'Per');
  } finally {
    sandbox.close();
  }
});
