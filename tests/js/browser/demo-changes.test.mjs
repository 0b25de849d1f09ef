// Demo page, screen 4: snapshot, simulated Cube users' edits, sync again, field changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDemo, connectAndLoad, screenshot, skipReason, packageHas, download, parseCsv } from '../support/demo.mjs';

const skip = skipReason();
const T = { timeout: 90_000, skip: skip ?? false };

/** Every customer of data owner 1's B2C CRM by id, straight from the API. */
async function customersById(sandbox) {
  const out = new Map();
  let url = `${sandbox.url}/api/v1/data_owners/1/B2C/customers/`;
  while (url) {
    const res = await fetch(url, { headers: { Authorization: 'Token demo-token' } });
    const body = await res.json();
    for (const r of body.results) if (r.crm__customer_id) out.set(r.crm__customer_id, r);
    url = body.next;
  }
  return out;
}

const text = (v) => (v === null || v === undefined || v === '' ? '(empty)' : String(v));

test('changes since the last sync: edited fields highlighted, before and after', T, async () => {
  const demo = await openDemo();
  try {
    const { page, sandbox } = demo;
    await connectAndLoad(page);
    assert.deepEqual(await packageHas(page, ['sync']), ['sync'], 'the package exports sync()');
    await page.getByRole('button', { name: 'Take snapshot' }).click();
    await page.getByText(/^Snapshot of 2,000 customers \(B2C, data owner 1\) taken at \d\d:\d\d:\d\d\.$/).waitFor({ timeout: 30_000 });
    const before = await customersById(sandbox);

    await page.getByLabel('Edits', { exact: true }).fill('4');
    await page.getByRole('button', { name: "Simulate Cube users' edits" }).click();
    const edited = await page.locator('#edits-status').filter({ hasText: 'edited by Cube users' }).innerText();
    const ids = /: (.+)\.$/.exec(edited)[1].split(', ');
    assert.equal(ids.length, 4, edited);
    const after = await customersById(sandbox);

    await page.getByRole('button', { name: 'Sync again' }).click();
    await page.locator('#sync-status').filter({ hasText: 'Synced 2,000 customers' }).waitFor({ timeout: 30_000 });
    const summary = await page.locator('#changes-summary').innerText();
    assert.match(summary, /4 changed/);
    assert.match(summary, /0 added/);
    assert.match(summary, /0 removed/);
    // Anonymized customers (no id) cannot be matched: reported apart, never "unchanged".
    const anonymized = 2000 - before.size;
    assert.ok(anonymized > 0);
    assert.match(summary, new RegExp(`${(2000 - anonymized - 4).toLocaleString('en-GB')} unchanged`));
    assert.match(summary, new RegExp(`${anonymized} anonymized`));

    // One group of rows per edited customer; every changed field with its old and new value.
    const shown = await page.locator('#changes-table tbody tr').evaluateAll((trs) => trs.map((tr) => ({
      customer: tr.dataset.customer,
      field: tr.dataset.field,
      before: tr.querySelector('td.before del')?.textContent,
      after: tr.querySelector('td.after ins')?.textContent,
    })));
    assert.deepEqual([...new Set(shown.map((r) => r.customer))].sort(), [...ids].sort());
    for (const id of ids) {
      const expected = Object.keys(after.get(id)).filter((k) => text(after.get(id)[k]) !== text(before.get(id)[k]));
      const rows = shown.filter((r) => r.customer === id);
      assert.deepEqual(rows.map((r) => r.field).sort(), expected.sort(), `fields of ${id}`);
      for (const r of rows) {
        assert.equal(r.before, text(before.get(id)[r.field]), `${id} ${r.field} before`);
        assert.equal(r.after, text(after.get(id)[r.field]), `${id} ${r.field} after`);
      }
    }
    // Labels, not keys, in the Field column; the change log tells who edited.
    const fieldTexts = await page.locator('#changes-table td.field').allInnerTexts();
    assert.ok(fieldTexts.some((f) => f === 'Updated by'), fieldTexts.join(', '));
    assert.ok(!fieldTexts.some((f) => f.startsWith('crm__')));

    // Highlighted: the new value has its own background, the old one is struck through.
    const styles = await page.locator('#changes-table ins').first().evaluate((ins) => {
      const del = ins.closest('tr').querySelector('del');
      return {
        ins: getComputedStyle(ins).backgroundColor,
        row: getComputedStyle(ins.closest('tr')).backgroundColor,
        del: getComputedStyle(del).textDecorationLine,
      };
    });
    assert.notEqual(styles.ins, styles.row);
    assert.equal(styles.del, 'line-through');
    await page.locator('#changes').scrollIntoViewIfNeeded();
    await screenshot(page, 'demo-4-changes');

    // The changes can be downloaded (one row per changed field).
    {
      await page.getByLabel('What', { exact: true }).selectOption('changes');
      await page.getByLabel('CSV delimiter').selectOption(',');
      await page.getByLabel('UTF-8 BOM (for Excel)').uncheck();
      const file = await download(page, page.getByRole('button', { name: 'Download CSV' }));
      assert.equal(file.name, 'changes-1-B2C.csv');
      const rows = parseCsv(file.bytes.toString('utf8'), ',');
      assert.deepEqual(rows[0], ['Change', 'Customer id', 'Name', 'Field', 'Before', 'After']);
      assert.equal(rows.length - 1, shown.length);
      assert.deepEqual([...new Set(rows.slice(1).map((r) => r[1]))].sort(), [...ids].sort());
      assert.ok(rows.slice(1).every((r) => r[0] === 'changed'));
    }

    // Since that sync nothing changed.
    await page.getByRole('button', { name: 'Sync again' }).click();
    await page.locator('#changes-caption').filter({ hasText: 'No changes since the last sync' }).waitFor({ timeout: 30_000 });
    assert.match(await page.locator('#changes-summary').innerText(), /0 changed/);
    assert.deepEqual(demo.errors, []);
  } finally {
    await demo.close();
  }
});

test('Sync again needs a snapshot first', T, async () => {
  const demo = await openDemo();
  try {
    const { page } = demo;
    await connectAndLoad(page);
    assert.equal(await page.getByRole('button', { name: 'Sync again' }).isDisabled(), true);
  } finally {
    await demo.close();
  }
});
