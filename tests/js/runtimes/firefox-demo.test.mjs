// The demo page in headless Firefox ESR (puppeteer-core over WebDriver BiDi), a faithful subset
// of the Chromium demo tests: connect with Basic credentials, load all customers, take a
// snapshot, let "Cube users" edit, sync again and see exactly those customers changed, and
// export all customers as .xlsx — with no page or console error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startSandbox, ROOT, PKG, DEMO } from '../support/sandbox.mjs';
import { launchFirefox, pageWithErrors } from '../support/firefox.mjs';
import { readXlsx } from '../support/demo.mjs';

let sb;
let browser;
before(async () => {
  [sb, browser] = await Promise.all([
    startSandbox(['--static-dir', path.join(ROOT, 'www-demo'), '--pkg-dir', PKG]),
    launchFirefox(),
  ]);
}, { timeout: 120_000 });
after(async () => {
  await browser?.close();
  sb?.stop();
});

const textOf = (page, selector) => page.$eval(selector, (e) => e.textContent.trim());
/** Wait until `selector`'s text matches `re` (generous: CI is a busy 2-core machine). */
const waitText = (page, selector, re, timeout = 60_000) =>
  page.waitForFunction((s, source) => new RegExp(source).test(document.querySelector(s)?.textContent ?? ''), { timeout }, selector, re.source);

test('Firefox: the demo connects, loads all, syncs and exports', { timeout: 240_000 }, async () => {
  const { page, errors } = await pageWithErrors(browser);
  try {
    // Capture what the demo hands to the browser as a download (a Blob behind an object URL).
    await page.evaluateOnNewDocument(() => {
      const original = URL.createObjectURL;
      window.__downloads = [];
      URL.createObjectURL = (blob) => {
        window.__downloads.push(blob);
        return original.call(URL, blob);
      };
    });
    await page.goto(sb.url + '/');
    await page.waitForFunction(() => document.documentElement.dataset.ready, { timeout: 60_000 });
    assert.equal(await page.evaluate(() => document.documentElement.dataset.ready), 'true', await textOf(page, '#boot').catch(() => ''));

    // 1. Connect (Basic).
    await page.click('input[name="scheme"][value="basic"]');
    await page.locator('#username').fill(DEMO.username);
    await page.locator('#password').fill(DEMO.password);
    await page.click('#connect-btn');
    await page.waitForSelector('#whoami', { visible: true, timeout: 60_000 });
    assert.equal(await textOf(page, '#whoami-user'), DEMO.username);
    await page.waitForSelector('#customers-table tbody tr', { timeout: 60_000 });

    // 2. Load all customers.
    await page.click('#customers-load-all');
    await waitText(page, 'body', /Done: all 2,000 customers loaded\./);
    assert.equal(await page.$$eval('#customers-table tbody tr', (trs) => trs.length) > 0, true);

    // 3. Snapshot, edits, sync.
    await page.click('#snapshot-btn');
    await waitText(page, '#snapshot-status', /^Snapshot of 2,000 customers \(B2C, data owner 1\) taken at/);
    await page.locator('#edit-count').fill('4');
    await page.click('#edits-btn');
    await waitText(page, '#edits-status', /edited by Cube users/);
    const edited = await textOf(page, '#edits-status');
    const ids = /: (.+)\.$/.exec(edited)[1].split(', ').sort();
    assert.equal(ids.length, 4, edited);
    await page.waitForFunction(() => !document.querySelector('#sync-btn').disabled);
    await page.click('#sync-btn');
    await waitText(page, '#sync-status', /^Synced 2,000 customers in .* 4 changed, 0 added, 0 removed\.$/);
    const changed = await page.$$eval('#changes-table tbody tr', (trs) => [...new Set(trs.map((tr) => tr.dataset.customer))].sort());
    assert.deepEqual(changed, ids);

    // 4. Export all customers as .xlsx.
    await page.select('#export-source', 'customers');
    const shownHeader = await page.$$eval('#customers-table thead th', (ths) => ths.map((th) => th.textContent.trim()));
    await page.click('#export-xlsx');
    await page.waitForFunction(() => window.__downloads.length > 0, { timeout: 60_000 });
    const bytes = Buffer.from(await page.evaluate(async () => {
      const blob = window.__downloads.at(-1);
      return [...new Uint8Array(await blob.arrayBuffer())];
    }));
    assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'a zip file');
    const { rows } = await readXlsx(bytes);
    assert.equal(rows.length, 2001, 'a header and every customer');
    assert.deepEqual(rows[0].map((c) => c.value), shownHeader, 'headers are the labels on screen');
    await waitText(page, '#export-status', /^Downloaded customers-1-B2C\.xlsx/);

    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
