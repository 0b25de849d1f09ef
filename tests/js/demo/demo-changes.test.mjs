// Demo page, screen 4: the streaming sync. Snapshot, simulated Cube users' edits, sync again,
// field changes; the snapshot kept in IndexedDB across reloads; Cancel; Forget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  openDemo, connect, connectAndLoad, reloadDemo, screenshot, skipReason, packageHasStreamingSync, download, parseCsv,
} from '../support/demo.mjs';

const skip = skipReason();
const T = { timeout: 120_000, skip: skip ?? false };

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

// How the demo writes a duration and a size: "85 ms", "1.4 s", "2 min 5 s"; "850 bytes", "312.4 kB".
const DURATION = String.raw`(?:[\d,]+ ms|\d+\.\d s|\d+ min \d+ s)`;
const SIZE = String.raw`(?:[\d,]+ bytes|\d+\.\d [kM]B)`;
const TIME = String.raw`\d\d:\d\d:\d\d`;
const SNAPSHOT_TAKEN = new RegExp(String.raw`^Snapshot of 2,000 customers \(B2C, data owner 1\) taken at ${TIME} in ${DURATION}\.$`);
const synced = (changed) => new RegExp(String.raw`^Synced 2,000 customers in ${DURATION} at ${TIME}: ${changed} changed, 0 added, 0 removed\.$`);
/** The stored-snapshot line: { taken, size } of the snapshot it shows. */
const STORED = new RegExp(String.raw`^Stored in this browser: the snapshot of 2,000 customers \(B2C, data owner 1\) taken (.+), (${SIZE})\.$`);

async function storedSnapshot(page) {
  const info = page.locator('#stored-info');
  await info.filter({ hasText: /^Stored in this browser/ }).waitFor();
  const line = await info.innerText();
  const m = STORED.exec(line);
  assert.ok(m, `stored-snapshot line: ${line}`);
  return { taken: m[1], size: m[2] };
}

/** The changes table's rows: { customer, field, before, after }. */
async function changedRows(page) {
  return page.locator('#changes-table tbody tr').evaluateAll((trs) => trs.map((tr) => ({
    customer: tr.dataset.customer,
    field: tr.dataset.field,
    before: tr.querySelector('td.before del')?.textContent,
    after: tr.querySelector('td.after ins')?.textContent,
  })));
}

async function takeSnapshot(page) {
  await page.getByRole('button', { name: 'Take snapshot' }).click();
  await page.locator('#snapshot-status').filter({ hasText: SNAPSHOT_TAKEN }).waitFor({ timeout: 30_000 });
}

async function syncAgain(page, changed) {
  await page.getByRole('button', { name: 'Sync again' }).click();
  await page.locator('#sync-status').filter({ hasText: synced(changed) }).waitFor({ timeout: 30_000 });
}

test('changes since the last sync: edited fields highlighted, before and after', T, async () => {
  const demo = await openDemo();
  try {
    const { page, sandbox } = demo;
    await connectAndLoad(page);
    assert.equal(await packageHasStreamingSync(page), true, 'the package has customers().sync()');
    await takeSnapshot(page);
    await storedSnapshot(page);
    const before = await customersById(sandbox);

    await page.getByLabel('Edits', { exact: true }).fill('4');
    await page.getByRole('button', { name: "Simulate Cube users' edits" }).click();
    const edited = await page.locator('#edits-status').filter({ hasText: 'edited by Cube users' }).innerText();
    const ids = /: (.+)\.$/.exec(edited)[1].split(', ');
    assert.equal(ids.length, 4, edited);
    const after = await customersById(sandbox);

    await syncAgain(page, 4);
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
    const shown = await changedRows(page);
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

    // The sync stored its snapshot: since that sync nothing changed.
    await syncAgain(page, 0);
    await page.locator('#changes-caption').filter({ hasText: 'No changes since the last sync' }).waitFor();
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
    await page.locator('#stored-info').filter({ hasText: /^No snapshot of the B2C, data owner 1 customers stored in this browser/ }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Sync again' }).isDisabled(), true);
    assert.equal(await page.getByRole('button', { name: 'Forget stored snapshot' }).isDisabled(), true);
    assert.equal(await page.getByRole('button', { name: 'Take snapshot' }).isEnabled(), true);
  } finally {
    await demo.close();
  }
});

test("the demo's sync survives a page reload", T, async () => {
  const demo = await openDemo();
  try {
    const { page, sandbox } = demo;
    await connectAndLoad(page);
    await takeSnapshot(page);
    const baseline = await storedSnapshot(page);
    const before = await customersById(sandbox);

    // A Cube user edits one customer (the sandbox's control API, not the page).
    const { edited: [edit] } = await sandbox.edits({ count: 1, dataOwnerId: 1, crmType: 'B2C', seed: 11 });
    assert.ok(edit?.customerId && edit.fields.length > 0, JSON.stringify(edit));
    const id = edit.customerId;
    const old = before.get(id);
    assert.ok(old, `customer ${id} was in the snapshot`);

    // A reload forgets the sign-in, not the snapshot.
    await reloadDemo(page);
    assert.equal(await page.locator('#changes').isHidden(), true, 'signed out after the reload');
    await connectAndLoad(page);
    assert.deepEqual(await storedSnapshot(page), baseline, 'the same snapshot after the reload');
    assert.equal(await page.getByRole('button', { name: 'Sync again' }).isEnabled(), true);
    // One snapshot per data owner and CRM type: B2B has none.
    await page.getByLabel('CRM type').selectOption('B2B');
    await page.locator('#stored-info').filter({ hasText: /^No snapshot of the B2B, data owner 1 customers/ }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Sync again' }).isDisabled(), true);
    await page.getByLabel('CRM type').selectOption('B2C');
    await page.locator('#stored-info').filter({ hasText: STORED }).waitFor();

    // The sync compares with the stored snapshot: the edited customer, and no other.
    await syncAgain(page, 1);
    const summary = await page.locator('#changes-summary').innerText();
    assert.match(summary, /1 changed/);
    assert.match(summary, /0 added/);
    assert.match(summary, /0 removed/);
    const rows = await changedRows(page);
    assert.deepEqual([...new Set(rows.map((r) => r.customer))], [id], 'only the edited customer is changed');
    const fields = rows.map((r) => r.field);
    for (const f of edit.fields) assert.ok(fields.includes(f), `${f} is shown as changed (${fields.join(', ')})`);
    // Exactly the fields whose value differs, with the values before (the snapshot) and after the edit.
    const now = { ...old, ...edit.values };
    const differing = Object.keys(now).filter((k) => text(now[k]) !== text(old[k]));
    assert.deepEqual([...fields].sort(), differing.sort());
    for (const r of rows) {
      assert.equal(r.before, text(old[r.field]), `${r.field} before`);
      assert.equal(r.after, text(edit.values[r.field]), `${r.field} after`);
    }
    // How long it took is shown (the format, not a number: CI machines are busy).
    assert.match(await page.locator('#sync-status').innerText(), new RegExp(String.raw`^Synced 2,000 customers in ${DURATION} at`));
    await storedSnapshot(page);

    // That sync's snapshot is what the next visit compares with: nothing changed since.
    await reloadDemo(page);
    await connectAndLoad(page);
    await storedSnapshot(page);
    await syncAgain(page, 0);
    await page.locator('#changes-caption').filter({ hasText: 'No changes since the last sync' }).waitFor();
    assert.deepEqual(demo.errors, []);
  } finally {
    await demo.close();
  }
});

test('Cancel keeps the stored snapshot; Forget removes it, also after a reload', T, async () => {
  const demo = await openDemo();
  try {
    const { page, sandbox } = demo;
    await connectAndLoad(page);
    await takeSnapshot(page);
    const baseline = await storedSnapshot(page);
    const { edited: [edit] } = await sandbox.edits({ count: 1, dataOwnerId: 1, crmType: 'B2C', seed: 5 });

    // Page 1 answers, the other pages take 20 s: time to cancel mid-sync.
    await sandbox.faults({
      rules: [{ kind: 'delay', latencyMs: 20_000, route: '/api/v1/data_owners/1/B2C/customers', skip: 1 }],
    });
    await page.getByRole('button', { name: 'Sync again' }).click();
    const cancel = page.getByRole('button', { name: 'Cancel sync' });
    await cancel.waitFor();
    await page.locator('#sync-progress-text').filter({ hasText: /^500 of 2,000 customers \(25 %\)$/ }).waitFor({ timeout: 30_000 });
    // Cancel has the focus while syncing: Enter cancels from the keyboard.
    assert.equal(await cancel.evaluate((b) => b === document.activeElement), true);
    await page.keyboard.press('Enter');
    const status = page.locator('#sync-status');
    await status.filter({ hasText: /^Sync cancelled after / }).waitFor({ timeout: 15_000 });
    const m = /^Sync cancelled after ([\d,]+) of 2,000 customers: the stored snapshot \(taken (.+)\) is kept\.$/.exec(await status.innerText());
    assert.ok(m, await status.innerText());
    assert.equal(m[2], baseline.taken);
    assert.deepEqual(await storedSnapshot(page), baseline, 'the cancelled sync stored nothing');
    assert.equal(await page.locator('#sync-progress').isHidden(), true);
    assert.equal(await page.locator('#changes-error').isHidden(), true, 'a cancel is not an error');

    // The kept snapshot still works: the next sync sees the edit made before the cancelled one.
    await sandbox.clearFaults();
    await syncAgain(page, 1);
    assert.deepEqual([...new Set((await changedRows(page)).map((r) => r.customer))], [edit.customerId]);

    // Forget: gone, here and after a reload.
    await page.getByRole('button', { name: 'Forget stored snapshot' }).click();
    await page.locator('#stored-info').filter({ hasText: /^No snapshot of the B2C, data owner 1 customers/ }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Sync again' }).isDisabled(), true);
    await reloadDemo(page);
    await connect(page);
    await page.locator('#stored-info').filter({ hasText: /^No snapshot of the B2C, data owner 1 customers/ }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Sync again' }).isDisabled(), true);
    assert.deepEqual(demo.errors, []);
  } finally {
    await demo.close();
  }
});
