// Demo page, screen 3: call outcomes and product registrations for a date range.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDemo, connectAndLoad, screenshot, skipReason, tableText, apiRequests } from '../support/demo.mjs';

const skip = skipReason();
const T = { timeout: 60_000, skip: skip ?? false };
// A fixed "today" for the sandbox: outcomes are spread over the 60 days up to it.
const TODAY = ['--today', '2026-06-30'];

async function apiCount(sandbox, path) {
  const res = await fetch(sandbox.url + path, { headers: { Authorization: 'Token demo-token' } });
  return (await res.json()).count;
}

async function pickRange(page, campaign, from, to) {
  await page.getByLabel('Campaign', { exact: true }).selectOption(campaign);
  await page.getByLabel('From', { exact: true }).fill(from);
  await page.getByLabel('To', { exact: true }).fill(to);
}

test('call outcomes of a campaign for a date range', T, async () => {
  const demo = await openDemo(TODAY);
  try {
    const { page, sandbox } = demo;
    await connectAndLoad(page);
    await sandbox.clearRequests();
    await pickRange(page, '101', '2026-06-01', '2026-06-30');
    await page.getByRole('button', { name: 'Call outcomes' }).click();
    const expected = await apiCount(sandbox, '/api/v1/campaigns/101/call_outcomes/?from_date=20260601&to_date=20260630');
    assert.ok(expected > 0);
    const caption = page.locator('#outcomes-caption');
    await caption.filter({ hasText: `(${expected})` }).waitFor();
    assert.equal(await caption.innerText(), `Call outcomes of Strøm vinter 2026, 2026-06-01 – 2026-06-30 (${expected})`);
    assert.equal(await page.locator('#outcomes-status').innerText(), `${expected} call outcomes.`);

    const rows = await tableText(page, '#outcomes-table');
    const header = rows[0];
    for (const h of ['Customer id', 'Name', 'Type', 'Subtype', 'Comment', 'Submitted', 'Submitted by', 'Team', 'Contract length']) {
      assert.ok(header.includes(h), `column ${h} in ${header.join(', ')}`);
    }
    assert.equal(rows.length - 1, expected);
    const when = header.indexOf('Submitted');
    for (const r of rows.slice(1)) {
      assert.ok(r[when] >= '2026-06-01' && r[when] <= '2026-06-30 23:59', `in range: ${r[when]}`);
    }
    assert.ok(rows.some((r) => r.includes('Kunden var fornøyd')), 'Norwegian text as sent');

    // The date inputs' YYYY-MM-DD reached Cube as YYYYMMDD.
    const sent = await apiRequests(sandbox, '/api/v1/campaigns/101/call_outcomes');
    assert.ok(sent.length >= 1);
    for (const r of sent) {
      const q = new URLSearchParams(r.query);
      assert.equal(q.get('from_date'), '20260601');
      assert.equal(q.get('to_date'), '20260630');
    }
    await screenshot(page, 'demo-3-call-outcomes');
    assert.deepEqual(demo.errors, []);
  } finally {
    await demo.close();
  }
});

test('product registrations, and a period without any', T, async () => {
  const demo = await openDemo(TODAY);
  try {
    const { page, sandbox } = demo;
    await connectAndLoad(page);
    await pickRange(page, '101', '2026-06-01', '2026-06-30');
    await page.getByRole('button', { name: 'Product registrations' }).click();
    const expected = await apiCount(sandbox, '/api/v1/campaigns/101/product_registrations/?from_date=20260601&to_date=20260630');
    assert.ok(expected > 0);
    await page.locator('#outcomes-caption').filter({ hasText: `Product registrations of Strøm vinter 2026, 2026-06-01 – 2026-06-30 (${expected})` }).waitFor();
    const rows = await tableText(page, '#outcomes-table');
    for (const h of ['Product code', 'Product', 'Price']) assert.ok(rows[0].includes(h), `column ${h}`);
    assert.equal(rows.length - 1, expected);
    assert.ok(rows.some((r) => r.includes('Spotpris med påslag')));
    await screenshot(page, 'demo-3-product-registrations');

    // Long before the sandbox's outcomes: an empty table that says so.
    await pickRange(page, '101', '2020-01-01', '2020-01-31');
    await page.getByRole('button', { name: 'Call outcomes' }).click();
    await page.getByText('No call outcomes in this period.').waitFor();
    assert.equal(await page.locator('#outcomes-status').innerText(), '0 call outcomes.');
    assert.deepEqual(demo.errors, []);
  } finally {
    await demo.close();
  }
});

test('a reversed date range is refused before any request', T, async () => {
  const demo = await openDemo(TODAY);
  try {
    const { page, sandbox } = demo;
    await connectAndLoad(page);
    await sandbox.clearRequests();
    await pickRange(page, '101', '2026-06-30', '2026-06-01');
    await page.getByRole('button', { name: 'Call outcomes' }).click();
    const alert = page.locator('#outcomes-error');
    await alert.waitFor({ state: 'visible' });
    assert.match(await alert.innerText(), /“From” is after “To”/);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'outcome-from');
    assert.deepEqual(await apiRequests(sandbox, '/api/'), []);
  } finally {
    await demo.close();
  }
});
