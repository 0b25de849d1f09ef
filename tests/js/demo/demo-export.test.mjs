// Demo page, screen 5: CSV and Excel downloads of what is shown, opened and checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  openDemo, connectAndLoad, screenshot, skipReason, packageHas, tableText, download, parseCsv, readXlsx,
} from '../support/demo.mjs';

/** What toCsv writes for these cells by default: OWASP's formula guard (a leading '). */
const guarded = (table) => table.map((row) => row.map((cell) => (/^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell)));

const skip = skipReason();
const T = { timeout: 90_000, skip: skip ?? false };
const BOM = '\uFEFF';

/** The package exports these (they are part of its API: a build without them is a failure). */
async function needs(page, names) {
  const has = await packageHas(page, names);
  assert.deepEqual(names.filter((n) => !has.includes(n)), [], 'the package exports its export helpers');
  return true;
}

test('CSV of the customers page shown: labels, ; delimiter, BOM, leading zeros, æøå', T, async () => {
  const demo = await openDemo();
  try {
    const { page } = demo;
    await connectAndLoad(page);
    if (!(await needs(page, ['toCsv']))) return;
    const shown = await tableText(page, '#customers-table');
    await page.getByLabel('What', { exact: true }).selectOption('customers');
    await page.getByLabel('CSV delimiter').selectOption(';');
    await page.getByLabel('UTF-8 BOM (for Excel)').check();
    const file = await download(page, page.getByRole('button', { name: 'Download CSV' }));
    assert.equal(file.name, 'customers-1-B2C-page-1.csv');
    const csv = file.bytes.toString('utf8');
    assert.ok(csv.startsWith(BOM), 'starts with the UTF-8 BOM');
    const rows = parseCsv(csv.slice(1), ';');
    assert.deepEqual(rows[0], shown[0], 'headers are the labels on screen');
    assert.equal(rows.length, 501);
    // CSV guards against formula injection by default (0.2.0): a "+47…" phone gets a leading '.
    assert.deepEqual(rows, guarded(shown), 'the file holds what the table shows, formula-guarded');
    assert.ok(rows.some((r) => r.some((c) => c.startsWith("'+47"))), 'phones starting with + are guarded');
    assert.ok(rows.some((r) => /^0\d{5}$/.test(r[0])), 'zero-padded ids keep their zeros');
    assert.ok(rows.some((r) => /[æøåÆØÅ]/.test(r[1])), 'Norwegian letters survive');
    assert.match(await page.locator('#export-status').innerText(), /^Downloaded customers-1-B2C-page-1\.csv: 500 rows\.$/);
    await page.locator('#export').scrollIntoViewIfNeeded();
    await screenshot(page, 'demo-5-export');
    assert.deepEqual(demo.errors, []);
  } finally {
    await demo.close();
  }
});

test('Excel (.xlsx) of all customers: a real workbook with text ids and æøå', T, async () => {
  const demo = await openDemo();
  try {
    const { page } = demo;
    await connectAndLoad(page);
    if (!(await needs(page, ['toXlsx']))) return;
    await page.getByRole('button', { name: 'Load all' }).click();
    await page.getByText('Done: all 2,000 customers loaded.').waitFor({ timeout: 30_000 });
    const shown = await tableText(page, '#customers-table');
    await page.getByLabel('What', { exact: true }).selectOption('customers');
    assert.match(await page.locator('#export-source option:checked').innerText(), /all 2,000.*2,000 rows/);
    const file = await download(page, page.getByRole('button', { name: 'Download Excel (.xlsx)' }));
    assert.equal(file.name, 'customers-1-B2C.xlsx');
    assert.equal(file.bytes.subarray(0, 2).toString('latin1'), 'PK', 'a zip file');
    const { rows, xml, files } = await readXlsx(file.bytes);
    assert.ok(files.includes('[Content_Types].xml'));
    assert.deepEqual(rows[0].map((c) => c.value), shown[0], 'headers are the labels on screen');
    assert.equal(rows.length, 2001);
    // The first page on screen is the first 500 rows of the sheet.
    const sheetTop = rows.slice(1, 501).map((r) => shown[0].map((_, i) => r[i]?.value ?? ''));
    assert.deepEqual(sheetTop, shown.slice(1));
    const padded = rows.slice(1).filter((r) => /^0\d{5}$/.test(r[0].value));
    assert.ok(padded.length > 0, 'zero-padded ids are in the sheet');
    for (const r of padded) assert.notEqual(r[0].type, 'n', `id ${r[0].value} stored as text`);
    assert.match(xml, /[æøå]/, 'Norwegian letters in the sheet XML');
    assert.ok(xml.includes('>000002<'), 'the id 000002 as text in the XML');
    assert.deepEqual(demo.errors, []);
  } finally {
    await demo.close();
  }
});

test('CSV of call outcomes, comma-separated, no BOM', T, async () => {
  const demo = await openDemo(['--today', '2026-06-30']);
  try {
    const { page } = demo;
    await connectAndLoad(page);
    if (!(await needs(page, ['toCsv']))) return;
    await page.getByLabel('Campaign', { exact: true }).selectOption('101');
    await page.getByLabel('From', { exact: true }).fill('2026-06-01');
    await page.getByLabel('To', { exact: true }).fill('2026-06-30');
    await page.getByRole('button', { name: 'Call outcomes' }).click();
    await page.locator('#outcomes-status').filter({ hasText: 'call outcomes.' }).waitFor();
    const shown = await tableText(page, '#outcomes-table');
    await page.getByLabel('What', { exact: true }).selectOption('outcomes');
    await page.getByLabel('CSV delimiter').selectOption(',');
    await page.getByLabel('UTF-8 BOM (for Excel)').uncheck();
    const file = await download(page, page.getByRole('button', { name: 'Download CSV' }));
    assert.equal(file.name, 'call-outcomes-101-2026-06-01-2026-06-30.csv');
    const csv = file.bytes.toString('utf8');
    assert.ok(!csv.startsWith(BOM));
    const rows = parseCsv(csv, ',');
    assert.deepEqual(rows, guarded(shown));
    assert.ok(rows.some((r) => r.includes('Kunden var fornøyd')));
    assert.deepEqual(demo.errors, []);
  } finally {
    await demo.close();
  }
});
