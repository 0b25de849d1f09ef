// Demo page, screen 4: the streaming sync. Snapshot, simulated Cube users' edits, sync again,
// field changes; the snapshot kept in IndexedDB across reloads; Cancel; Forget; the changes
// as a CRM's update files through a preset (`updateFile`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  openDemo, connect, connectAndLoad, reloadDemo, screenshot, skipReason, packageHasStreamingSync, download, parseCsv,
  DEMO_PKG,
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

const NAME = 'crm__standard_info__name';
const PHONE = 'crm__standard_info__phone_1';
const EMAIL = 'crm__standard_info__email';

/**
 * What each preset writes, from its document (records/src/mapping/presets/): the key column,
 * the columns of the fields the sandbox's edits change, in the mapping's order, the columns a
 * created customer has, and whether the file starts with a byte-order mark.
 */
const PRESETS = {
  salesforce: {
    key: 'Id', first: 'FirstName', columns: { [NAME]: 'LastName', [PHONE]: 'Phone', [EMAIL]: 'Email' }, bom: false,
  },
  hubspot: {
    key: 'Record ID', first: 'firstname', columns: { [NAME]: 'lastname', [PHONE]: 'phone', [EMAIL]: 'email' }, bom: false,
  },
  dynamics365: {
    key: 'contactid', first: 'firstname', columns: { [NAME]: 'lastname', [PHONE]: 'telephone1', [EMAIL]: 'emailaddress1' }, bom: true,
  },
};

// A Norwegian number as E.164, for the numbers the sandbox types (`+47…`, `912 34 567`, …).
const e164 = (typed) => {
  const digits = typed.replace(/\D/g, '');
  return typed.trim().startsWith('+') ? `+${digits}` : `+47${digits}`;
};

/** The package the demo serves, as Node loads it (its own readCsv, importSheet, mappingPreset). */
const nodePackage = () => import(pathToFileURL(path.join(DEMO_PKG, 'node/index.mjs')).href);

/** The update-file panel's list of files: [{ kind, rows, name }]. */
async function fileLinks(page) {
  return page.locator('#update-files-links li').evaluateAll((lis) => lis.map((li) => ({
    kind: li.dataset.kind, rows: Number(li.dataset.rows), name: li.querySelector('a').getAttribute('download'),
  })));
}

test("the changes as a CRM's update file: the edited customers, under the preset's columns", T, async () => {
  const { importSheet, mappingPreset, readCsv } = await nodePackage();
  const demo = await openDemo();
  try {
    const { page, sandbox } = demo;
    await connectAndLoad(page);
    assert.equal(await page.locator('#update-files').isHidden(), true, 'no changes yet, no update file');
    await takeSnapshot(page);

    // Cube users edit five customers, and Cube's import adds one.
    const { edited } = await sandbox.edits({ count: 5, dataOwnerId: 1, crmType: 'B2C', seed: 36 });
    assert.equal(new Set(edited.map((e) => e.customerId)).size, 5);
    assert.deepEqual([...new Set(edited.flatMap((e) => e.fields))].sort(), [EMAIL, NAME, PHONE], 'names, phones and e-mails edited');
    const added = { crm__customer_id: 'CRM-NEW-1', [NAME]: 'Åse Nyland', [PHONE]: '+4791234567', [EMAIL]: 'ase.nyland@example.no' };
    const imported = await fetch(`${sandbox.url}/_sandbox/import?dataOwnerId=1&crmType=B2C`, { method: 'POST', body: await importSheet([added]) });
    assert.equal(imported.status, 200, await imported.clone().text());
    assert.equal((await imported.json()).created, 1);

    await page.getByRole('button', { name: 'Sync again' }).click();
    await page.locator('#sync-status').filter({ hasText: /^Synced 2,001 customers in .*: 5 changed, 1 added, 0 removed\.$/ }).waitFor({ timeout: 30_000 });

    // One CRM per preset of the package, each under its own title.
    const chooser = page.getByLabel('CRM', { exact: true });
    const offered = await chooser.locator('option').evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
    const titles = await Promise.all(Object.keys(PRESETS).map(async (name) => [name, (await mappingPreset(name)).title]));
    assert.deepEqual(offered.sort(), titles.sort());

    const button = page.getByRole('button', { name: 'Download update file' });
    for (const [preset, { key, first, columns, bom }] of Object.entries(PRESETS)) {
      await chooser.selectOption(preset);
      const file = await download(page, button);
      assert.equal(file.name, `cube-updates-${preset}.csv`);
      assert.equal(file.bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), bom, `${preset}: byte-order mark ${bom}`);
      const { headers, records } = await readCsv(file.bytes, { delimiter: ',' });

      // The key, then the columns some row changes, in the mapping's order.
      const changed = new Set(edited.flatMap((e) => e.fields));
      assert.deepEqual(headers, [key, ...Object.keys(columns).filter((f) => changed.has(f)).map((f) => columns[f])], `${preset} columns`);
      // Exactly the edited customers, each with its new values and the other cells empty.
      assert.deepEqual(records.map((r) => r[key]).sort(), edited.map((e) => e.customerId).sort(), `${preset}: one row per edited customer`);
      for (const e of edited) {
        const expected = Object.fromEntries(headers.map((h) => [h, '']));
        expected[key] = e.customerId;
        for (const f of e.fields) {
          const after = e.values[f];
          expected[columns[f]] = f === NAME ? after.split(' ').slice(1).join(' ') : f === PHONE ? e164(after) : after.toLowerCase();
        }
        assert.deepEqual(records.find((r) => r[key] === e.customerId), expected, `${preset}: customer ${e.customerId} (${e.fields.join(', ')})`);
      }

      // The customer added in Cube is a file of its own, a link with its row count.
      assert.deepEqual(await fileLinks(page), [
        { kind: 'updates', rows: 5, name: `cube-updates-${preset}.csv` },
        { kind: 'created', rows: 1, name: `cube-created-${preset}.csv` },
      ]);
      const createdFile = await download(page, page.getByRole('link', { name: `cube-created-${preset}.csv` }));
      const created = (await readCsv(createdFile.bytes, { delimiter: ',' })).records;
      assert.equal(created.length, 1);
      assert.deepEqual(
        [created[0][key], created[0][first], created[0][columns[NAME]], created[0][columns[PHONE]], created[0][columns[EMAIL]]],
        ['CRM-NEW-1', 'Åse', 'Nyland', '+4791234567', 'ase.nyland@example.no'],
      );

      // The summary's sentences, in a status region.
      const title = titles.find(([n]) => n === preset)[1];
      const messages = await page.locator('#update-files-result[role="status"] #update-files-messages li').allInnerTexts();
      assert.equal(messages[0], `5 of 5 changed customers to update in ${title}; 1 added in Cube (created); 0 no longer in Cube (removed)`);
      assert.ok(messages.some((m) => /anonymized customers are in no file/.test(m)), messages.join('\n'));
      assert.equal(await page.locator('#update-files-status').innerText(), `Downloaded cube-updates-${preset}.csv: 5 rows for ${title}. Also made: cube-created-${preset}.csv.`);
    }
    assert.equal(await page.locator('#update-files-error').isHidden(), true);

    await chooser.selectOption('salesforce');
    await download(page, button);
    await page.locator('#changes').scrollIntoViewIfNeeded();
    await screenshot(page, 'demo-4-changes');

    // A snapshot taken anew has no changes to write.
    await page.getByRole('button', { name: 'Take snapshot' }).click();
    await page.locator('#snapshot-status').filter({ hasText: /^Snapshot of 2,001 customers/ }).waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('#update-files').isHidden(), true);
    assert.deepEqual(demo.errors, []);
  } finally {
    await demo.close();
  }
});

test('a failure to make the update file is shown as the page shows errors, with the CubeError code', T, async () => {
  const demo = await openDemo();
  try {
    const { page, sandbox } = demo;
    // The CRM's custom fields (the presets name the address by label) are refused.
    await sandbox.faults({ rules: [{ kind: 'status', status: 403, route: '/api/v1/data_owners/1/B2C/crm_custom_fields' }] });
    await connect(page);
    await page.locator('#campaigns-table tbody tr').first().waitFor();
    await takeSnapshot(page);
    await sandbox.edits({ count: 2, dataOwnerId: 1, crmType: 'B2C', seed: 7 });
    await syncAgain(page, 2);

    await page.getByLabel('CRM', { exact: true }).selectOption('hubspot');
    await page.getByRole('button', { name: 'Download update file' }).click();
    const error = page.locator('#update-files-error');
    await error.waitFor();
    assert.equal(await error.getAttribute('role'), 'alert');
    assert.match(await error.innerText(), /^Could not make the update file: This user is not allowed to see that\..*\(code: forbidden, HTTP 403\)$/s);
    assert.deepEqual(await fileLinks(page), []);
    assert.equal(await page.locator('#update-files-status').innerText(), '');
  } finally {
    await demo.close();
  }
});
