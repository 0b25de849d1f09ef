// Cube's changes back into the integrator's CRM, through the public API against the sandbox:
// two syncs with Cube users' edits between them, `updateFile(changes, { mapping })` → the
// CRM's update file, parsed → exactly the edited customers, keyed by the CRM's id, the new
// values in the right columns and the other cells as the CRM's convention says. Also: a
// phone written another way is no change, mistakes in a mapping name their JSON path, the
// presets are there to copy, and a CRM export goes into Cube's import sheet through one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CubeClient, CubeError, diff, importSheet, mappingPreset, readCsv, updateFile,
} from '../../../pkg/node/index.mjs';
import { startSandbox, TOKEN } from '../support/sandbox.mjs';

const crm = { dataOwnerId: 1, crmType: 'B2C' };
const T = { timeout: 60_000 };
const NAME = 'crm__standard_info__name';
const PHONE = 'crm__standard_info__phone_1';
const EMAIL = 'crm__standard_info__email';
let sb;
let cube;
let first;
let next;
let edited;
let customFields;

before(async () => {
  sb = await startSandbox(['--customers', '400', '--page-size', '100']);
  cube = new CubeClient({ baseUrl: sb.url, auth: TOKEN, retryDelayMs: 5 });
  first = await cube.customers(crm).sync(null);
  ({ edited } = await sb.edits({ count: 8, seed: 25, ...crm }));
  next = await cube.customers(crm).sync(first.snapshot);
  customFields = await cube.customFields(crm);
}, { timeout: 60_000 });
after(() => sb.stop());

// A Norwegian number as E.164, for the numbers the sandbox types (`+47…`, `912 34 567`, …).
const e164 = (typed) => {
  const digits = typed.replace(/\D/g, '');
  return typed.trim().startsWith('+') ? `+${digits}` : `+47${digits}`;
};

// A CSV file's rows as objects, header → cell.
const rowsOf = async (bytes) => (await readCsv(bytes, { delimiter: ',' })).records;

test('salesforce: exactly the edited customers, keyed by Id, new values in their columns, the rest empty', T, async () => {
  assert.equal(next.changes.changed.length, edited.length, 'the sync saw every edit');
  const { updates, created, removed, summary } = await updateFile(next.changes, { mapping: 'salesforce', customFields });
  const rows = await rowsOf(updates);
  assert.deepEqual(rows.map((r) => r.Id).sort(), edited.map((e) => e.customerId).sort(), 'one row per edited customer');

  const columns = { [NAME]: 'LastName', [PHONE]: 'Phone', [EMAIL]: 'Email' };
  const used = new Set(edited.flatMap((e) => e.fields.map((f) => columns[f])));
  const header = Object.keys(rows[0]);
  assert.deepEqual(header, ['Id', 'LastName', 'Phone', 'Email'].filter((c) => c === 'Id' || used.has(c)),
    'the key, then the columns some row changes, in the mapping\'s order');
  for (const e of edited) {
    const row = rows.find((r) => r.Id === e.customerId);
    const expected = { Id: e.customerId };
    for (const c of header.slice(1)) expected[c] = '';
    for (const f of e.fields) {
      const after = e.values[f];
      if (f === NAME) expected.LastName = after.split(' ').slice(1).join(' ');
      else if (f === PHONE) expected.Phone = e164(after);
      else expected.Email = after.toLowerCase();
    }
    assert.deepEqual(row, expected, `customer ${e.customerId} (${e.fields.join(', ')})`);
  }
  // The E.164 phones are not formula-guarded: they reach Salesforce as they are.
  const text = new TextDecoder().decode(updates);
  assert.ok(!text.includes("'+47"), text);
  assert.ok(!text.startsWith('\ufeff'), 'Salesforce: no byte-order mark');

  assert.deepEqual((await readCsv(created, { delimiter: ',' })).headers,
    ['Id', 'FirstName', 'LastName', 'Phone', 'MobilePhone', 'OtherPhone', 'Email', 'MailingStreet', 'MailingPostalCode', 'MailingCity'],
    'created and removed have every mapped column');
  assert.equal((await rowsOf(created)).length, 0);
  assert.equal((await rowsOf(removed)).length, 0);
  assert.equal(summary.updates, edited.length);
  assert.equal(summary.crm, 'Salesforce Contact (Data Loader, Bulk API)');
  assert.equal(summary.anonymized, next.changes.anonymized.length);
  assert.ok(summary.anonymized > 0, 'the sandbox has anonymized customers, counted');
  assert.equal(summary.noMappedChange, 0);
  assert.deepEqual(summary.skippedColumns, [], 'the sandbox has Address street, Postal code and City');
  assert.deepEqual(summary.unmappedFields, []);
  assert.match(summary.messages[0], new RegExp(`^${edited.length} of ${edited.length} changed customers to update in Salesforce`));
});

test('the CRM\'s own first names, and the other presets\' conventions', T, async () => {
  // The CRM's export (first names from the first sync's names) keys the name rule.
  const crmRecords = first.changes.added.filter((r) => r.crm__customer_id).map((r) => ({
    Id: r.crm__customer_id, FirstName: r[NAME].split(' ')[0], LastName: r[NAME].split(' ').slice(1).join(' '),
  }));
  const withCrm = await rowsOf((await updateFile(next.changes, { mapping: 'salesforce', customFields, crmRecords })).updates);
  const plain = await rowsOf((await updateFile(next.changes, { mapping: 'salesforce', customFields })).updates);
  assert.deepEqual(withCrm, plain, 'single-word first names split alike either way');

  const dyn = await updateFile(next.changes, { mapping: 'dynamics365', customFields });
  assert.deepEqual([...dyn.updates.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'Dynamics: a byte-order mark');
  const dynRows = await rowsOf(dyn.updates);
  assert.deepEqual(dynRows.map((r) => r.contactid).sort(), edited.map((e) => e.customerId).sort());
  const hub = await updateFile(next.changes, { mapping: 'hubspot', format: 'xlsx', customFields });
  for (const file of [hub.updates, hub.created, hub.removed]) assert.deepEqual([...file.subarray(0, 2)], [0x50, 0x4b], 'xlsx');
  assert.equal(hub.summary.updates, edited.length);
});

test('a phone written another way is no change; a cleared e-mail is #N/A for Salesforce, in cannotClear for HubSpot', T, async () => {
  const before = first.changes.added.filter((r) => r.crm__customer_id && r[PHONE] && r[EMAIL]).slice(0, 3);
  assert.equal(before.length, 3);
  const reformat = (p) => {
    const national = e164(p).slice(3);
    return p.trim().startsWith('+') ? `${national.slice(0, 3)} ${national.slice(3, 5)} ${national.slice(5)}` : `+47${national}`;
  };
  const after = [
    { ...before[0], [PHONE]: reformat(before[0][PHONE]) },
    { ...before[1], [EMAIL]: '' },
    { ...before[2], [PHONE]: ` ${before[2][PHONE]}  `, [EMAIL]: before[2][EMAIL].toUpperCase() },
  ];
  const changes = await diff(before, after);
  assert.equal(changes.changed.length, 3, 'Cube sees three changes');
  const sf = await updateFile(changes, { mapping: 'salesforce', customFields });
  assert.deepEqual(await rowsOf(sf.updates), [{ Id: before[1].crm__customer_id, Email: '#N/A' }]);
  assert.equal(sf.summary.noMappedChange, 2);
  assert.equal(sf.summary.formatOnly, 2, 'a phone\'s format, an e-mail\'s case and spaces');
  const hub = await updateFile(changes, { mapping: 'hubspot', customFields });
  assert.deepEqual(await rowsOf(hub.updates), []);
  assert.deepEqual(hub.summary.cannotClear, [{ key: before[1].crm__customer_id, column: 'email' }]);
  assert.ok(hub.summary.messages.some((m) => /cleared in Cube, which HubSpot/.test(m)), hub.summary.messages.join('\n'));
});

test('mistakes are CubeErrors naming the JSON path in the mapping', T, async () => {
  const preset = await mappingPreset('salesforce');
  assert.equal(preset.version, 1);
  assert.ok(preset.sources.every((s) => s.startsWith('https://')));
  const bad = async (mapping, param, message) => {
    await assert.rejects(updateFile(next.changes, { mapping }), (e) => {
      assert.ok(e instanceof CubeError, String(e));
      assert.equal(e.code, 'invalid_argument');
      assert.equal(e.param, param, e.message);
      if (message) assert.match(e.message, message);
      return true;
    });
  };
  const edit = (change) => {
    const m = structuredClone(preset);
    change(m);
    return m;
  };
  await bad(edit((m) => { m.fields[3].cube = 'crm__standard_info__fax'; }), 'mapping.fields[3].cube', /^mapping\.fields\[3\]\.cube: "crm__standard_info__fax" is not a customer field/);
  await bad(edit((m) => { m.version = 2; }), 'mapping.version');
  await bad(edit((m) => { m.file.dateFormat = 'DD.MM.YY'; }), 'mapping.file.dateFormat');
  await bad(edit((m) => { m.phone.defaultCountry = 'Norway'; }), 'mapping.phone.defaultCountry');
  await bad(edit((m) => { m.name = { first: 'FirstName' }; }), 'mapping.name.last');
  await bad(edit((m) => { m.fields[1].crm = 'Phone'; }), 'mapping.fields[1].crm', /mapped twice/);
  await bad('pipedrive', 'mapping', /"salesforce"/);
  await bad(42, 'mapping');
  await assert.rejects(updateFile(next.changes, {}), (e) => e instanceof CubeError && e.param === 'mapping');
  await assert.rejects(updateFile(next.changes, { mapping: 'salesforce', fromat: 'csv' }), (e) => e instanceof CubeError && e.param === 'fromat');
  await assert.rejects(mappingPreset('nope'), (e) => e instanceof CubeError && e.param === 'mapping');
  // A label that is not optional, without customFields: say what to pass.
  await assert.rejects(updateFile(next.changes, { mapping: edit((m) => { m.fields[6].optional = false; }) }),
    (e) => e instanceof CubeError && e.param === 'customFields' && /mapping\.fields\[6\]\.cube names the custom field "City"/.test(e.message));
  // An edited copy of a preset works.
  const copy = edit((m) => { m.key.crm = 'Cube_Id__c'; m.file.delimiter = ';'; });
  const { updates } = await updateFile(next.changes, { mapping: copy, customFields });
  assert.match(new TextDecoder().decode(updates), /^Cube_Id__c;/);
});

test('a CRM export into Cube\'s import sheet through a mapping: names joined, phones E.164, custom fields by label', T, async () => {
  const csv = [
    'contactid,firstname,lastname,telephone1,mobilephone,emailaddress1,address1_line1,address1_postalcode,address1_city,jobtitle',
    '6f1c0a2e-0001,Anne Marie,Ås Øvre,912 34 567,0047 455 00 000, Anne@Example.NO ,Storgata 1,0150,Oslo,Sjef',
    '6f1c0a2e-0002,,Nordmann,+47 22 33 44 55,,,,,,',
  ].join('\r\n');
  const { records } = await readCsv(csv);
  const sheet = new TextDecoder().decode(await importSheet(records, { mapping: 'dynamics365', format: 'csv', bom: false, formulaGuard: false }));
  const rows = (await readCsv(sheet)).records;
  assert.deepEqual(rows[0], {
    'Customer ID': '6f1c0a2e-0001', Name: 'Anne Marie Ås Øvre', 'Phone 1': '+4791234567', 'Phone 2': '+4745500000',
    Email: 'anne@example.no', 'Address street': 'Storgata 1', 'Postal code': '0150', City: 'Oslo',
  });
  assert.equal(rows[1].Name, 'Nordmann');
  assert.equal(rows[1]['Phone 1'], '+4722334455');
  // With customFields the labels are Cube's, resolved the same.
  const xlsx = await importSheet(records, { mapping: 'dynamics365', customFields });
  assert.deepEqual([...xlsx.subarray(0, 2)], [0x50, 0x4b]);
  await assert.rejects(importSheet(records, { mapping: 'salesforce' }), (e) => e instanceof CubeError && e.param === 'mapping.key.crm' && /no column "Id"/.test(e.message));
  await assert.rejects(importSheet(records, { mapping: 'dynamics365', columns: [{ field: 'x' }] }), (e) => e instanceof CubeError && e.param === 'columns');
});
