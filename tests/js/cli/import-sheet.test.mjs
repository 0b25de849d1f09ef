// `cube import-sheet`: a CRM's CSV export → the sheet for Cube's Excel import, from the packed
// package. Delimiters detected or given, UTF-8 with and without a BOM, every value kept as
// text (ids, phones, postal codes), the formula guard on CSV output, clear errors (malformed
// quoting named by line and column), nothing changed silently in the .xlsx (control
// characters kept, a cell too long cut with a warning), and no credentials needed (nothing is
// sent).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseCsv, readXlsx } from '../support/demo.mjs';
import { installCli, runCli, tempDir, cleanup } from './run.mjs';

let bin;
let work;
const file = (name) => path.join(work, name);
const cube = (args, options = {}) => runCli(bin, args, { env: {}, ...options });

const HEADER = ['Kundenummer', 'Navn', 'Mobil', 'Postnummer', 'Poststed', 'Notat'];
const ROWS = [
  ['000417', 'Åse Ødegård', '+4791234567', '0150', 'Oslo', 'Ring etter kl. 16; gjerne "snart"'],
  ['000042', 'Kjærsti Æsøy', '+47 912 34 567', '9990', 'Båtsfjord', '=1+1'],
  ['100233', 'Bjørnstad Rør AS', '04712345', '0001', 'Oslo', '-2+3+cmd|\' /C calc\'!A0'],
];

function csvText(delimiter, { bom = false, crlf = true } = {}) {
  const cell = (v) => (v.includes(delimiter) || v.includes('"') ? `"${v.replace(/"/g, '""')}"` : v);
  const eol = crlf ? '\r\n' : '\n';
  return `${bom ? '\ufeff' : ''}${[HEADER, ...ROWS].map((r) => r.map(cell).join(delimiter)).join(eol)}${eol}`;
}

before(async () => {
  ({ bin } = await installCli());
  work = tempDir('cli-import');
}, { timeout: 120_000 });
after(() => cleanup());

async function sheetRows(xlsxFile) {
  const { rows, xml } = await readXlsx(readFileSync(xlsxFile));
  return { rows, xml };
}

test('every delimiter, with and without a BOM: the sheet has the header and every value as text', { timeout: 60_000 }, async () => {
  const cases = [[';', true, true], [',', false, true], ['\t', true, false], ['|', false, false]];
  for (const [delimiter, bom, crlf] of cases) {
    const input = file(`export-${delimiter === '\t' ? 'tab' : delimiter}.csv`);
    writeFileSync(input, csvText(delimiter, { bom, crlf }));
    const output = file('cube-import.xlsx');
    const r = await cube(['import-sheet', input, '-o', output]);
    assert.equal(r.code, 0, r.stderr);
    const shown = delimiter === '\t' ? 'tab' : delimiter;
    assert.match(r.stderr, new RegExp(`import-sheet: 3 rows × 6 columns from .* \\(delimiter "${shown.replace('|', '\\|')}"\\) → .*cube-import\\.xlsx`));
    const { rows, xml } = await sheetRows(output);
    assert.deepEqual(rows[0].map((c) => c.value), HEADER, 'the header, without a BOM');
    assert.deepEqual(rows.slice(1).map((r) => r.map((c) => c.value)), ROWS, `values exactly (${shown})`);
    for (const row of rows.slice(1)) for (const c of row) assert.equal(c.type, 'inlineStr', `${c.value} is a text cell`);
    assert.doesNotMatch(xml, /<f>/, 'no formulas');
  }
});

test('--delimiter overrides the detection; --format csv guards formulas unless --no-formula-guard', { timeout: 60_000 }, async () => {
  const input = file('semi.csv');
  writeFileSync(input, csvText(';'));
  const forced = await cube(['import-sheet', input, '--delimiter', ',', '-o', file('forced.xlsx')]);
  assert.equal(forced.code, 0, forced.stderr);
  const { rows } = await sheetRows(file('forced.xlsx'));
  assert.equal(rows[0].length, 1, 'read with "," the file has one column');
  const csv = await cube(['import-sheet', input, '-o', file('import.csv')]);
  assert.equal(csv.code, 0, csv.stderr);
  const text = readFileSync(file('import.csv'), 'utf8');
  const table = parseCsv(text, ';');
  assert.deepEqual(table[0], HEADER);
  assert.equal(table[1][2], "'+4791234567");
  assert.equal(table[2][5], "'=1+1");
  assert.equal(table[3][5], "'-2+3+cmd|' /C calc'!A0");
  assert.equal(table[1][0], '000417');
  const raw = await cube(['import-sheet', input, '--format', 'csv', '--no-formula-guard']);
  assert.equal(raw.code, 0);
  assert.deepEqual(parseCsv(raw.stdout.toString(), ';').slice(1), ROWS);
  // Standard input works too.
  const piped = await cube(['import-sheet', '-', '--format', 'csv', '-q'], { input: csvText(',') });
  assert.equal(piped.code, 0);
  assert.equal(piped.stderr, '');
});

test('bad files: one line saying what is wrong and where', { timeout: 60_000 }, async () => {
  writeFileSync(file('ragged.csv'), 'id;navn;tlf\r\n1;Ola;+47 1\r\n2;Kari\r\n');
  writeFileSync(file('latin1.csv'), Buffer.from('id;navn\n1;Bj\xf8rn\n', 'latin1'));
  writeFileSync(file('dupe.csv'), 'id;id\n1;2\n');
  const cases = [
    [['import-sheet', file('ragged.csv'), '-o', file('x.xlsx')], 2, /invalid CSV: line 3 has 2 fields, the header 3/],
    [['import-sheet', file('latin1.csv'), '-o', file('x.xlsx')], 2, /not UTF-8 \(line 2\).*save it as UTF-8/],
    [['import-sheet', file('dupe.csv'), '-o', file('x.xlsx')], 2, /"id" appears twice/],
    [['import-sheet', file('missing.csv'), '-o', file('x.xlsx')], 30, /cannot read ".*missing\.csv": ENOENT/],
    [['import-sheet', '-o', file('x.xlsx')], 2, /needs one CSV file/],
    [['import-sheet', file('dupe.csv'), '--delimiter', ':'], 2, /unknown delimiter ":"/],
    [['import-sheet', file('dupe.csv'), '--format', 'ndjson'], 2, /writes xlsx or csv/],
  ];
  for (const [args, code, message] of cases) {
    const r = await cube(args);
    assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
    const out = r.stderr.trimEnd().split('\n');
    assert.equal(out.length, 1, r.stderr);
    assert.match(out[0], message);
  }
  assert.ok(!existsSync(file('x.xlsx')), 'no sheet from a bad file');
});

test('a quote that never closes: exit 2 naming the line and column where it opens, nothing written', { timeout: 60_000 }, async () => {
  // The file: before, "1 rows × 3 columns", exit 0, one cell holding the rest of the file.
  const output = file('never-closed.xlsx');
  const r = await cube(['import-sheet', '-', '-o', output], { input: 'id,name,phone\n1,Ola,"+47\n2,Kari,+48\n3,Per,+49\n' });
  assert.equal(r.code, 2, r.stderr);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.equal(
    lines[0],
    'cube: "-": invalid CSV: line 2, column 3 (phone): a quoted field is never closed (the quote opens here and the file ends inside it) '
      + 'Fix the file, or give --delimiter if the detected one is wrong.',
  );
  assert.ok(!existsSync(output), 'nothing written to -o');
  // Text after a closing quote (an unescaped quote inside a quoted field), in a ; file.
  writeFileSync(file('after-quote.csv'), 'id;navn;notat\r\n1;Ola;"sa ""hei"""\r\n2;Kari;"sa "hei" igjen"\r\n');
  const after = await cube(['import-sheet', file('after-quote.csv'), '-o', output]);
  assert.equal(after.code, 2, after.stderr);
  assert.match(after.stderr, /invalid CSV: line 3, column 3 \(notat\): text follows the closing quote of a quoted field/);
  assert.ok(!existsSync(output), 'nothing written to -o');
  // A bare quote inside an unquoted field is text, as Excel reads it.
  writeFileSync(file('bare-quote.csv'), 'id,item\n1,5" screen\n');
  const bare = await cube(['import-sheet', file('bare-quote.csv'), '-o', output]);
  assert.equal(bare.code, 0, bare.stderr);
  assert.equal((await sheetRows(output)).rows[1][1].value, '5" screen');
});

test('control characters survive into the .xlsx (as _xHHHH_ escapes a spreadsheet decodes)', { timeout: 60_000 }, async () => {
  const controls = '\u0001\u0007\u000b\u000c\u001b\u001f\ufffe';
  writeFileSync(file('controls.csv'), `id,note\n1,"a${controls}b\r\nc"\n`);
  const output = file('controls.xlsx');
  const r = await cube(['import-sheet', file('controls.csv'), '-o', output]);
  assert.equal(r.code, 0, r.stderr);
  const { rows, xml } = await sheetRows(output);
  assert.equal(rows[1][1].value, `a${controls}b\r\nc`, 'every character read back');
  assert.ok(xml.includes('a_x0001__x0007__x000B__x000C__x001B__x001F__xFFFE_b_x000D_\nc'), 'written as escapes');
  assert.doesNotMatch(xml, /[\u0001-\u0008\u000b\u000c\u000e-\u001f\r\ufffe\uffff]/, 'no raw control character in the XML');
});

test('a cell too long for .xlsx is cut to 32,767 characters with a warning naming it, even with --quiet', { timeout: 60_000 }, async () => {
  const long = `${'x'.repeat(32_767)}${'y'.repeat(40_000 - 32_767)}`;
  writeFileSync(file('long.csv'), `id,name,Notes\n1,Ola,short\n2,Kari,short\n3,Per,${long}\n`);
  const warning = 'cube: warning: row 4, column C (Notes): 40,000 characters cut to 32,767 (the most an .xlsx cell holds)';
  for (const quiet of [false, true]) {
    const output = file(`long-${quiet}.xlsx`);
    const r = await cube(['import-sheet', file('long.csv'), '-o', output, ...(quiet ? ['--quiet'] : [])]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines[0], warning);
    assert.equal(lines.length, quiet ? 1 : 2, r.stderr);
    const { rows } = await sheetRows(output);
    assert.equal(rows[3][2].value.length, 32_767);
    assert.equal(rows[3][2].value, 'x'.repeat(32_767));
    assert.equal(rows[2][2].value, 'short', 'other cells as they were');
  }
  // CSV output holds any length: no warning.
  const csv = await cube(['import-sheet', file('long.csv'), '-o', file('long-out.csv')]);
  assert.equal(csv.code, 0, csv.stderr);
  assert.doesNotMatch(csv.stderr, /warning/);
  assert.ok(readFileSync(file('long-out.csv'), 'utf8').includes(long));
});

test('--mapping: a CRM export through a preset or a mapping file; its mistakes name --mapping and the JSON path', { timeout: 60_000 }, async () => {
  const input = file('dynamics-export.csv');
  writeFileSync(input, [
    'contactid;firstname;lastname;telephone1;mobilephone;emailaddress1;address1_line1;address1_postalcode;address1_city;jobtitle',
    '6f1c-0001;Anne Marie;Ås Øvre;912 34 567;0047 455 00 000;Anne@Example.NO;Storgata 1;0150;Oslo;Sjef',
    '6f1c-0002;;Nordmann;+47 22 33 44 55;;;;;;',
  ].join('\r\n'));
  const output = file('cube-import-mapped.xlsx');
  const r = await cube(['import-sheet', input, '--mapping', 'dynamics365', '-o', output]);
  assert.equal(r.code, 0, r.stderr);
  const { rows } = await sheetRows(output);
  assert.deepEqual(rows.map((row) => row.map((c) => c.value)), [
    ['Customer ID', 'Name', 'Phone 1', 'Phone 2', 'Email', 'Address street', 'Postal code', 'City'],
    ['6f1c-0001', 'Anne Marie Ås Øvre', '+4791234567', '+4745500000', 'anne@example.no', 'Storgata 1', '0150', 'Oslo'],
    ['6f1c-0002', 'Nordmann', '+4722334455'],
  ]);
  for (const c of rows[1]) assert.equal(c.type, 'inlineStr', `${c.value} is a text cell`);

  const mapping = file('my-mapping.json');
  writeFileSync(mapping, JSON.stringify({ version: 1, key: { crm: 'contactid' }, name: { full: 'lastname' }, fields: [{ crm: 'telephone1', cube: 'crm__standard_info__fax' }] }));
  const bad = await cube(['import-sheet', input, '--mapping', mapping, '-o', file('never.xlsx')]);
  assert.equal(bad.code, 2, bad.stderr);
  assert.match(bad.stderr, /invalid_argument \(--mapping\): mapping\.fields\[0\]\.cube: "crm__standard_info__fax" is not a customer field/);
  assert.ok(!existsSync(file('never.xlsx')));
  const unknown = await cube(['import-sheet', input, '--mapping', 'pipedrive']);
  assert.notEqual(unknown.code, 0);
  assert.match(unknown.stderr, /"pipedrive" is not a preset; the presets are "dynamics365", "salesforce", "hubspot"/);
});
