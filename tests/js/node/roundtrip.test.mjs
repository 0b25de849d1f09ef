// The CRM round trip through the package: sync against the sandbox, Cube users edit,
// sync again → field-level changes; labels, customer views, CSV and Excel sheets read back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { unzipSync, strFromU8 } from 'fflate';
import {
  CubeClient, CubeError, diff, sync, changedSince, labelRecords, unlabelRecords, customerViews, toCsv, toXlsx, importSheet, readCsv as readCsvTable,
} from '../../../pkg/node/index.mjs';
import { startSandbox, BASIC } from '../support/sandbox.mjs';

// Per test: generous, so only a hang fails by time (CI is a busy 2-core machine).
const T = { timeout: 60_000 };

let sb;
let cube;
const crm = { dataOwnerId: 1, crmType: 'B2C' };
before(async () => {
  sb = await startSandbox(['--customers', '600']);
  cube = new CubeClient({ baseUrl: sb.url, auth: BASIC });
});
after(() => sb.stop());

/** A small RFC 4180 reader for checking our CSV. */
function readCsv(text, delimiter = ',') {
  const rows = [[]];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) { rows.at(-1).push(cell); cell = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { rows.at(-1).push(cell); cell = ''; rows.push([]); i++; }
    else cell += c;
  }
  if (cell !== '' || rows.at(-1).length) rows.at(-1).push(cell);
  if (rows.at(-1).length === 0) rows.pop();
  return rows;
}

test('sync, Cube users edit, sync again: exactly the edited customers, field by field', T, async () => {
  const first = await cube.customers(crm).toArray();
  const initial = await sync(null, first);
  assert.equal(initial.changes.added.length + initial.changes.anonymized.length, first.length);
  const kept = JSON.parse(JSON.stringify(initial.snapshot)); // stored as JSON between runs
  assert.equal(kept.version, 2);

  const edited = await sb.edits({ count: 25, dataOwnerId: 1, crmType: 'B2C' });
  const editedIds = new Set(edited.edited.map((e) => e.customerId));
  assert.equal(editedIds.size, 25, 'the sandbox edited 25 customers');
  const second = await cube.customers(crm).toArray();
  const { changes, snapshot } = await sync(kept, second);
  assert.deepEqual(new Set(changes.changed.map((c) => c.key)), editedIds);
  assert.equal(changes.added.length, 0);
  assert.equal(changes.removed.length, 0);
  assert.equal(changes.changed.length, 25);
  for (const c of changes.changed) {
    const fields = c.fields.map((f) => f.field);
    assert.ok(fields.length >= 2, `a change and its change-log fields: ${fields.join()}`);
    assert.ok(fields.includes('crm__change_log__updated'), fields.join());
    assert.ok(fields.some((f) => /phone_1|email|name/.test(f)), fields.join());
    for (const f of c.fields) assert.deepEqual([f.before, f.after], [c.before[f.field] ?? null, c.after[f.field] ?? null]);
  }
  const third = await sync(snapshot, second);
  assert.equal(third.changes.changed.length, 0, 'nothing changed since the last sync');

  const since = await changedSince(second, (await sb.info()).today);
  assert.ok(editedIds.size > 0 && [...editedIds].every((id) => since.some((r) => r.crm__customer_id === id)));
});

test('diff: loose types, anonymized records and duplicate keys are reported, never merged', T, async () => {
  const before = [
    { crm__customer_id: '001', crm__custom_info__5: 233, name: 'Åse' },
    { crm__customer_id: '002', name: 'Bjørn' },
    { crm__customer_id: '', name: 'Anonymized' },
    { crm__customer_id: '004', name: 'x' },
    { crm__customer_id: '004', name: 'y' },
  ];
  const after = [
    { crm__customer_id: '001', crm__custom_info__5: '233', name: 'Åse' },
    { crm__customer_id: '003', name: 'Ørjan' },
    { crm__customer_id: '002', name: 'Bjørnar' },
  ];
  const d = await diff(before, after);
  assert.deepEqual(d.added.map((r) => r.crm__customer_id), ['003']);
  assert.deepEqual(d.changed.map((c) => [c.key, c.fields]), [['002', [{ field: 'name', before: 'Bjørn', after: 'Bjørnar' }]]]);
  assert.equal(d.unchanged, 1, '"233" equals 233 in loose mode');
  assert.equal(d.anonymized.length, 1);
  assert.deepEqual(d.duplicateKeys, [{ key: '004', side: 'before', count: 2 }]);
  const strict = await diff(before, after, { loose: false });
  assert.ok(strict.changed.some((c) => c.key === '001'));
  const byName = await diff(before, after, { key: 'name', ignoreFields: ['crm__custom_info__5'] });
  assert.ok(byName.unchanged >= 1);
});

test('diff: escaped keys, field names and values come back exactly as given', T, async () => {
  // JSON escapes (quotes, backslashes, newlines, control characters) in keys, field names
  // and values; records are returned as they were passed in, whole.
  const key = 'crm__customer_id';
  const before = [
    { [key]: 'a"1', 'note "x"': 'line 1\nline 2', tab: '\t', n: 233, nested: { a: [1, 'ø'] } },
    { [key]: 'b\\2', 'note "x"': 'same', tab: '', n: 1.5, nested: null },
    { [key]: 7, 'note "x"': 'same', tab: '', n: 0, nested: null },
  ];
  const after = [
    { [key]: 'b\\2', 'note "x"': 'same', tab: '', n: '1.5', nested: null },
    { [key]: 'a"1', 'note "x"': 'line 1\r\nline 2', tab: '\t', n: 233, nested: { a: [1, 'ø'] } },
    { [key]: '7', 'note "x"': 'same', tab: '\u0000', n: 0, nested: null },
  ];
  const d = await diff(before, after);
  assert.deepEqual(d.changed.map((c) => [c.key, c.fields]), [
    ['a"1', [{ field: 'note "x"', before: 'line 1\nline 2', after: 'line 1\r\nline 2' }]],
    ['7', [{ field: 'tab', before: '', after: '\u0000' }]],
  ]);
  assert.deepEqual(d.changed[0].before, before[0]);
  assert.deepEqual(d.changed[0].after, after[1]);
  assert.equal(d.unchanged, 1, '1.5 and "1.5" are equal in loose mode; 7 and "7" are one key');
  const strict = await diff(before, after, { loose: false });
  assert.deepEqual(strict.changed.map((c) => [c.key, c.fields.map((f) => f.field)]), [
    ['b\\2', ['n']],
    ['a"1', ['note "x"']],
    ['7', [key, 'tab']], // strict: 7 and "7" still match as keys, but differ as values
  ]);
});

test('labels, unlabel and customer views from the CRM custom fields', T, async () => {
  const fields = await cube.customFields(crm);
  const customers = await cube.customers(crm).toArray({ limit: 20 });
  assert.ok(fields.length >= 5, `the CRM has its custom fields (${fields.length})`);
  assert.equal(customers.length, 20);
  const labelled = await labelRecords(customers, fields);
  for (const f of fields) {
    assert.ok(labelled.every((r) => !(f.lookup__id in r)), `${f.lookup__id} replaced`);
    assert.ok(labelled.some((r) => f.key in r), `label ${f.key} present`);
  }
  assert.deepEqual(await unlabelRecords(labelled, fields), customers);
  const views = await customerViews(customers, fields);
  assert.equal(views.length, 20);
  // The first customer that is not anonymized (an anonymized one has no phones).
  const at = customers.findIndex((r) => r.crm__customer_id !== '');
  const v = views[at];
  const c = customers[at];
  assert.equal(v.customerId, c.crm__customer_id);
  assert.equal(v.name, c.crm__standard_info__name);
  assert.ok(v.phones.length > 0, 'the customer has phones');
  assert.ok(v.phones.every((p) => p !== ''));
  assert.equal(v.changeLog.updated, c.crm__change_log__updated);
  assert.deepEqual(Object.keys(v.custom).sort(), fields.map((f) => f.key).sort());
});

const SAMPLE = [
  { crm__customer_id: '000417', crm__standard_info__name: 'Åse Ødegård', crm__standard_info__phone_1: '04712345', crm__custom_info__64: 'Bjørnstadveien 3, "B"', crm__custom_info__67: 1971 },
  { crm__customer_id: '000042', crm__standard_info__name: 'Kjærsti Æsøy', crm__standard_info__phone_1: '', crm__custom_info__64: 'Line 1\nLine 2', crm__custom_info__67: '' },
];

test('CSV: RFC 4180, æøå, quotes, newlines, BOM, semicolons, labelled headers', T, async () => {
  const bytes = await toCsv(SAMPLE);
  assert.ok(bytes instanceof Uint8Array);
  const rows = readCsv(new TextDecoder().decode(bytes));
  assert.deepEqual(rows[0], ['crm__customer_id', 'crm__standard_info__name', 'crm__standard_info__phone_1', 'crm__custom_info__64', 'crm__custom_info__67']);
  assert.deepEqual(rows[1], ['000417', 'Åse Ødegård', '04712345', 'Bjørnstadveien 3, "B"', '1971']);
  assert.deepEqual(rows[2], ['000042', 'Kjærsti Æsøy', '', 'Line 1\nLine 2', '']);
  const nordic = await toCsv(SAMPLE, { delimiter: ';', bom: true, customFields: [{ id: 64, key: 'Adresse', type: 'text', lookup__id: 'crm__custom_info__64' }] });
  assert.deepEqual([...nordic.slice(0, 3)], [0xef, 0xbb, 0xbf]);
  const nrows = readCsv(new TextDecoder().decode(nordic.slice(3)), ';');
  assert.ok(nrows[0].includes('Adresse'));
  assert.equal(nrows[1][3], 'Bjørnstadveien 3, "B"');
  const picked = readCsv(new TextDecoder().decode(await toCsv(SAMPLE, { columns: [{ field: 'crm__standard_info__name', header: 'Navn' }] })));
  assert.deepEqual(picked, [['Navn'], ['Åse Ødegård'], ['Kjærsti Æsøy']]);
});

function sheetXml(bytes) {
  const files = unzipSync(bytes);
  assert.ok(files['[Content_Types].xml'] && files['xl/workbook.xml']);
  return strFromU8(files['xl/worksheets/sheet1.xml']);
}

test('XLSX: a valid workbook with ids as text, numbers as numbers, æøå intact', T, async () => {
  const xml = sheetXml(await toXlsx(SAMPLE, { sheetName: 'Kunder' }));
  assert.match(xml, /<is><t[^>]*>000417<\/t><\/is>/, 'leading zeros kept as text');
  assert.match(xml, /<is><t[^>]*>04712345<\/t><\/is>/);
  assert.match(xml, /<v>1971<\/v>/, 'numbers as numbers');
  assert.ok(xml.includes('Åse Ødegård') && xml.includes('Kjærsti Æsøy'));
  assert.ok(xml.includes('Bjørnstadveien 3, &quot;B&quot;') || xml.includes('Bjørnstadveien 3, "B"'));
});

test('import sheet for Cube\'s Excel import: mapped headers, one customer a row', T, async () => {
  const fields = await cube.customFields(crm);
  const customers = await cube.customers(crm).toArray({ limit: 10 });
  assert.ok(fields.length > 0 && customers.length === 10);
  const xml = sheetXml(await importSheet(customers, { customFields: fields }));
  assert.equal((xml.match(/<row /g) ?? []).length, 11, 'header + 10 rows');
  assert.ok(fields.every((f) => xml.includes(f.key)), 'custom fields under their labels');
  const csv = readCsv(new TextDecoder().decode((await importSheet(customers, { format: 'csv', bom: false, columns: [{ field: 'crm__customer_id', header: 'Kunde-ID' }] }))));
  assert.deepEqual(csv.map((r) => r[0]), ['Kunde-ID', ...customers.map((c) => c.crm__customer_id)]);
});

test('bad input to the helpers is an invalid_argument naming it', T, async () => {
  const cases = [
    ['before', () => diff('x', [])],
    ['delimter', () => toCsv(SAMPLE, { delimter: ';' })],
    ['delimiter', () => toCsv(SAMPLE, { delimiter: ':' })],
    ['snapshot', () => sync({ version: 99 }, SAMPLE)],
    ['columns', () => toXlsx(SAMPLE, { columns: [{ field: 'nope' }] })],
    ['since', () => changedSince(SAMPLE, '2024-13-01')],
    ['store', () => sync(null, SAMPLE, { store: 'all' })],
    ['sheetName', () => toXlsx(SAMPLE, { sheetName: 'a/b' })],
  ];
  for (const [param, call] of cases) {
    await assert.rejects(call(), (e) => e instanceof CubeError && e.code === 'invalid_argument' && e.param === param, param);
  }
});

test('CSV formula guard: on by default (OWASP), formulaGuard: false writes cells as they are', async () => {
  const risky = [{ crm__customer_id: '000417', crm__standard_info__phone_1: '+4791234567', note: '=1+1', at: '@SUM(A1)', minus: '-2+3', tab: '\tx', plain: 'a=b' }];
  const [, guardedRow] = readCsv(new TextDecoder().decode(await toCsv(risky)));
  assert.deepEqual(guardedRow, ['000417', "'+4791234567", "'=1+1", "'@SUM(A1)", "'-2+3", "'\tx", 'a=b']);
  const [, rawRow] = readCsv(new TextDecoder().decode(await toCsv(risky, { formulaGuard: false })));
  assert.deepEqual(rawRow, ['000417', '+4791234567', '=1+1', '@SUM(A1)', '-2+3', '\tx', 'a=b']);
  const sheet = readCsv(new TextDecoder().decode((await importSheet(risky, { format: 'csv', bom: false, columns: [{ field: 'note' }] }))));
  assert.deepEqual(sheet, [['note'], ["'=1+1"]]);
});

test('readCsv: delimiter detected, BOM dropped, values kept as text; bad files refused naming the line', async () => {
  const text = '\ufeffKundenr;Navn;Postnr\r\n000417;Åse Ødegård;0150\r\n000042;"Kari; jr.";9990\r\n';
  const table = await readCsvTable(new TextEncoder().encode(text));
  assert.equal(table.delimiter, ';');
  assert.deepEqual(table.headers, ['Kundenr', 'Navn', 'Postnr']);
  assert.deepEqual(table.records[1], { Kundenr: '000042', Navn: 'Kari; jr.', Postnr: '9990' });
  assert.deepEqual((await readCsvTable('a,b\n1,2\n', { delimiter: ',' })).records, [{ a: '1', b: '2' }]);
  await assert.rejects(readCsvTable('a;b\n1;2;3\n'), (e) => e instanceof CubeError && e.code === 'invalid_argument' && e.param === 'csv' && /line 2/.test(e.message));
  await assert.rejects(readCsvTable('a;b\n', { delimiter: ':' }), (e) => e.param === 'delimiter');
  await assert.rejects(readCsvTable('a;b\n', { separator: ';' }), (e) => e.param === 'separator');
  await assert.rejects(readCsvTable(42), (e) => e.param === 'bytes');
});
