// The round-trip helpers never change data silently: CSV whose quoting is not well formed is
// refused naming the line and column; an .xlsx keeps every character (control characters as
// `_xHHHH_` escapes) and a cell too long for .xlsx fails the call naming it, unless the
// caller's `onWarning` lets it be cut and is told of each cut. No sandbox needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unzipSync, strFromU8 } from 'fflate';
import { CubeError, changeSheet, importSheet, readCsv, toXlsx } from '../../../pkg/node/index.mjs';

function sheetXml(bytes) {
  return strFromU8(unzipSync(bytes)['xl/worksheets/sheet1.xml']);
}

test('readCsv: a quote that never closes, or text after a closing quote, is refused naming the line and column', async () => {
  await assert.rejects(
    readCsv('id,name,phone\n1,Ola,"+47\n2,Kari,+48\n'),
    (e) => e instanceof CubeError && e.code === 'invalid_argument' && e.param === 'csv'
      && e.message === 'invalid CSV: line 2, column 3 (phone): a quoted field is never closed (the quote opens here and the file ends inside it)',
  );
  await assert.rejects(readCsv('id,name\r\n1,"ab"c\r\n'), (e) => e.param === 'csv' && /^invalid CSV: line 2, column 2 \(name\): text follows the closing quote/.test(e.message));
  assert.deepEqual((await readCsv('id,item\n1,5" screen\n')).records, [{ id: '1', item: '5" screen' }]);
});

test('XLSX keeps control characters (as _xHHHH_ escapes) instead of dropping them', async () => {
  const xml = sheetXml(await toXlsx([{ id: '1', note: 'a\u0001b\u001bc\rd' }]));
  assert.ok(xml.includes('a_x0001_b_x001B_c_x000D_d'), xml);
});

test('XLSX: a cell over 32,767 characters fails the call naming it, unless onWarning cuts it and is told', async () => {
  const long = 'x'.repeat(40_000);
  const records = [{ id: '1', note: 'short' }, { id: '2', note: long }];
  const message = 'row 3, column B (note): 40,000 characters; an .xlsx cell holds at most 32,767. Write CSV instead, or pass onWarning to cut it';
  for (const call of [() => toXlsx(records), () => toXlsx(records, { onWarning: null }), () => importSheet(records, { columns: [{ field: 'id' }, { field: 'note' }] })]) {
    await assert.rejects(call(), (e) => e instanceof CubeError && e.code === 'invalid_argument' && e.param === 'records' && e.message === message);
  }
  const warnings = [];
  const bytes = await toXlsx(records, { onWarning: (w) => warnings.push(w) });
  assert.ok(bytes instanceof Uint8Array);
  assert.deepEqual(warnings, [{
    code: 'cell_truncated', row: 3, column: 'B', header: 'note', length: 40_000,
    message: 'row 3, column B (note): 40,000 characters cut to 32,767 (the most an .xlsx cell holds)',
  }]);
  const cell = /<c r="B3"[^>]*><is><t>(x*)<\/t><\/is><\/c>/.exec(sheetXml(bytes));
  assert.equal(cell?.[1].length, 32_767, 'the cell is cut to 32,767');
  // importSheet and changeSheet take it too: one call per cut cell.
  const seen = [];
  await importSheet([...records, { id: long, note: long }], { columns: [{ field: 'id', header: 'Id' }, { field: 'note' }], onWarning: (w) => seen.push(`${w.row}${w.column}`) });
  assert.deepEqual(seen, ['3B', '4A', '4B']);
  const changes = { added: [], removed: [], changed: [{ key: '1', before: { note: 'a' }, after: { note: long }, fields: [{ field: 'note', before: 'a', after: long }] }] };
  await assert.rejects(changeSheet(changes), (e) => e.code === 'invalid_argument' && /^row 2, column F \(After\): 40,000 characters/.test(e.message));
  const cut = [];
  await changeSheet(changes, { onWarning: (w) => cut.push(w.message) });
  assert.deepEqual(cut, ['row 2, column F (After): 40,000 characters cut to 32,767 (the most an .xlsx cell holds)']);
  // CSV has no such limit; onWarning is never called.
  await importSheet(records, { format: 'csv', columns: [{ field: 'note' }], onWarning: () => assert.fail('no warning for CSV') });
  // onWarning must be a function; one that throws fails the call with its error.
  await assert.rejects(toXlsx(records, { onWarning: 'yes' }), (e) => e instanceof CubeError && e.param === 'onWarning');
  await assert.rejects(toXlsx(records, { onWarning: () => { throw new RangeError('stop'); } }), (e) => e instanceof RangeError && e.message === 'stop');
  // An unknown option's message lists onWarning among the options.
  await assert.rejects(toXlsx(records, { onWarnings: true }), (e) => e.param === 'onWarnings' && /expected .*onWarning/.test(e.message));
});
