// Demo page, screen 2: campaigns, customers with custom-field labels, paging, load all
// with progress and Cancel (checked in the sandbox's request log), retries after 503s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  openDemo, connect, connectAndLoad, screenshot, skipReason, tableText, apiRequests,
} from '../support/demo.mjs';
import { eventually } from '../support/sandbox.mjs';

const skip = skipReason();
const T = { timeout: 90_000, skip: skip ?? false };

test('campaigns table and the first page of customers with custom-field labels', T, async () => {
  const demo = await openDemo();
  try {
    const { page, sandbox } = demo;
    const info = await sandbox.info();
    await connectAndLoad(page);

    const campaigns = await tableText(page, '#campaigns-table');
    assert.deepEqual(campaigns[0].slice(0, 2), ['Id', 'Campaign']);
    assert.equal(campaigns.length - 1, info.campaigns.length);
    const names = campaigns.slice(1).map((r) => r[3]);
    for (const owner of info.dataOwners) assert.ok(names.includes(owner.name), `data owner ${owner.name} shown`);
    assert.match(await page.locator('#campaigns-table caption').innerText(), /Campaigns \(12\)/);

    // The data owner picker lists who-am-i's data owners by name.
    const options = await page.locator('#owner option').allInnerTexts();
    assert.deepEqual(options, info.dataOwners.map((o) => `${o.name} (${o.id})`));

    // Customers of the first data owner, B2C: custom fields by their labels, not their keys.
    const fields = await (await fetch(`${sandbox.url}/api/v1/data_owners/1/B2C/crm_custom_fields/`, {
      headers: { Authorization: 'Token demo-token' },
    })).json();
    const header = await page.locator('#customers-table thead th').allInnerTexts();
    assert.deepEqual(header.slice(0, 2), ['Customer id', 'Name']);
    for (const f of fields) assert.ok(header.includes(f.key), `column "${f.key}" shown`);
    assert.ok(!header.some((h) => h.startsWith('crm__')), 'no raw field keys as headers');
    assert.equal(await page.locator('#page-info').innerText(), 'Page 1 of 4 · 2,000 customers');
    const rows = await tableText(page, '#customers-table tbody');
    assert.equal(rows.length, 500);
    assert.ok(rows.some((r) => /^0\d{5}$/.test(r[0])), 'zero-padded customer ids keep their zeros');
    assert.ok(rows.some((r) => r[1] === 'Anonymized'), 'anonymized customers are shown as Cube sends them');
    await screenshot(page, 'demo-2-campaigns-customers');
    assert.deepEqual(demo.errors, []);
  } finally {
    await demo.close();
  }
});

test('paging: next, previous, last page, and another CRM', T, async () => {
  const demo = await openDemo();
  try {
    const { page, sandbox } = demo;
    await connectAndLoad(page);
    const firstId = () => page.locator('#customers-table tbody tr:first-child td:first-child').innerText();
    const page1 = await firstId();
    assert.equal(await page.getByRole('button', { name: 'Previous page' }).isDisabled(), true);

    await page.getByRole('button', { name: 'Next page' }).click();
    await pageInfo(page, 'Page 2 of 4 · 2,000 customers');
    const page2 = await firstId();
    assert.notEqual(page2, page1);
    assert.match(await page.locator('#customers-table caption').innerText(), /page 2 of 4/);

    await page.getByRole('button', { name: 'Previous page' }).click();
    await pageInfo(page, 'Page 1 of 4 · 2,000 customers');
    assert.equal(await firstId(), page1);

    for (const n of [2, 3, 4]) {
      await page.getByRole('button', { name: 'Next page' }).click();
      await pageInfo(page, `Page ${n} of 4 · 2,000 customers`);
    }
    assert.equal(await page.getByRole('button', { name: 'Next page' }).isDisabled(), true);
    assert.equal(await page.locator('#customers-table tbody tr').count(), 500);

    // Each page was asked for once: Previous reads what was already loaded.
    const pages = (await apiRequests(sandbox, '/api/v1/data_owners/1/B2C/customers'))
      .map((r) => new URLSearchParams(r.query).get('page') ?? '1');
    assert.deepEqual([...new Set(pages)].sort(), ['1', '2', '3', '4']);
    assert.equal(pages.length, 4);

    // B2B of the third data owner: other custom fields.
    await page.getByLabel('Data owner').selectOption('3');
    await page.getByLabel('CRM type').selectOption('B2B');
    await page.getByRole('button', { name: 'Show customers' }).click();
    await page.locator('#customers-caption', { hasText: 'Customers of Vesterålen Forsikring · B2B — page 1 of 4' }).waitFor();
    const header = await page.locator('#customers-table thead th').allInnerTexts();
    assert.ok(header.includes('Org number'), `B2B fields shown: ${header.join(', ')}`);
    assert.deepEqual(demo.errors, []);
  } finally {
    await demo.close();
  }
});

test('a page that fails while browsing: the error, then Next resumes at that page', T, async () => {
  const demo = await openDemo(['--customers', '400', '--page-size', '20']);
  try {
    const { page, sandbox } = demo;
    await connectAndLoad(page);
    await pageInfo(page, 'Page 1 of 20 · 400 customers');
    // The next customers request the client makes (a page read ahead) answers 404.
    await sandbox.faults({ rules: [{ route: '/api/v1/data_owners/1/B2C/customers', kind: 'status', status: 404, times: 1 }] });
    const alert = page.locator('#customers-error');
    let shown = 1;
    while (!(await alert.isVisible())) {
      assert.ok(shown < 20, 'the failed page was reached');
      await page.getByRole('button', { name: 'Next page' }).click();
      await page.waitForFunction((n) => document.getElementById('page-info').textContent.startsWith(`Page ${n + 1} `)
        || !document.getElementById('customers-error').hidden, shown);
      if (!(await alert.isVisible())) shown++;
    }
    const text = await alert.innerText();
    assert.match(text, /Could not load the next page \(Next tries again\)/);
    assert.match(text, /code: not_found, HTTP 404/);
    assert.equal(await page.locator('#page-info').innerText(), `Page ${shown} of 20 · 400 customers`);
    await screenshot(page, 'demo-2-page-failed');

    await page.getByRole('button', { name: 'Next page' }).click();
    await pageInfo(page, `Page ${shown + 1} of 20 · 400 customers`);
    assert.equal(await alert.isVisible(), false);
    // and on to the end
    for (let n = shown + 2; n <= 20; n++) {
      await page.getByRole('button', { name: 'Next page' }).click();
      await pageInfo(page, `Page ${n} of 20 · 400 customers`);
    }
    const pages = (await apiRequests(sandbox, '/api/v1/data_owners/1/B2C/customers'))
      .filter((r) => r.status === 200).map((r) => Number(new URLSearchParams(r.query).get('page') ?? '1'));
    assert.deepEqual([...new Set(pages)].sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i + 1));
    assert.deepEqual(demo.errors, []);
  } finally {
    await demo.close();
  }
});

test('load all: live progress, then every customer, browsable in memory', T, async () => {
  const demo = await openDemo(['--page-size', '100']);
  try {
    const { page, sandbox } = demo;
    await connectAndLoad(page);
    // Slow pages a little so the progress can be watched.
    await sandbox.faults({ latencyMs: 40, rules: [] });
    const seen = [];
    await page.exposeFunction('reportProgress', (text) => seen.push(text));
    await page.evaluate(() => {
      const node = document.getElementById('load-all-text');
      new MutationObserver(() => window.reportProgress(node.textContent)).observe(node, { childList: true, characterData: true, subtree: true });
    });
    await page.getByRole('button', { name: 'Load all' }).click();
    await page.getByText('Done: all 2,000 customers loaded.').waitFor({ timeout: 30_000 });
    const counts = seen.map((t) => /^([\d,]+) of 2,000 customers/.exec(t)?.[1]).filter(Boolean)
      .map((n) => Number(n.replace(/,/g, '')));
    assert.ok(counts.length >= 5, `several progress steps seen: ${seen.join(' | ')}`);
    assert.deepEqual(counts, [...counts].sort((a, b) => a - b), 'progress only grows');
    assert.equal(await page.locator('#load-all-progress').evaluate((p) => [p.value, p.max].join('/')), '2000/2000');
    assert.equal(await page.locator('#page-info').innerText(), 'Page 1 of 20 · all 2,000 customers loaded');
    await screenshot(page, 'demo-2-load-all-done');

    // In-memory paging asks the server nothing more.
    await sandbox.clearRequests();
    await page.getByRole('button', { name: 'Next page' }).click();
    await pageInfo(page, 'Page 2 of 20 · all 2,000 customers loaded');
    assert.deepEqual(await apiRequests(sandbox, '/api/'), []);
    assert.deepEqual(demo.errors, []);
  } finally {
    await demo.close();
  }
});

test('Cancel stops load all: fewer page requests than pages, none after the click', T, async () => {
  // 150 pages of 20, each answered after 150 ms: loading all would take several seconds.
  const demo = await openDemo(['--customers', '3000', '--page-size', '20']);
  try {
    const { page, sandbox } = demo;
    await connectAndLoad(page);
    await sandbox.faults({ latencyMs: 150, rules: [] });
    await sandbox.clearRequests();
    const customerRequests = () => apiRequests(sandbox, '/api/v1/data_owners/1/B2C/customers');

    await page.getByRole('button', { name: 'Load all' }).click();
    // Cancel has the focus while loading: Enter/Space cancel from the keyboard.
    await page.waitForFunction(() => document.activeElement?.id === 'load-all-cancel');
    await page.waitForFunction(() => {
      const m = /^([\d,]+) of 3,000/.exec(document.getElementById('load-all-text').textContent);
      return m && Number(m[1].replace(/,/g, '')) >= 200;
    }, null, { timeout: 20_000 });
    await screenshot(page, 'demo-2-load-all-running');
    await page.keyboard.press('Enter');
    await page.getByText(/^Cancelled after [\d,]+ of 3,000 customers\. No more pages are requested\.$/).waitFor();
    await screenshot(page, 'demo-2-load-all-cancelled');

    // Checked by order in the server's log, not by waiting: every page request that reached
    // the server has ended (answered, or aborted by the cancel: none still in flight)...
    const atCancel = await eventually(async () => {
      const log = await customerRequests();
      return log.every((r) => r.state !== 'arrived') && log;
    }, { what: 'every page request in flight at the cancel ended' });
    assert.ok(atCancel.length < 150, `fewer page requests (${atCancel.length}) than pages (150)`);
    // ...then the page itself sends a request (a marker, on the same origin and connections),
    // and no page request reaches the server after it, nor any beyond those seen at the cancel.
    const status = await page.evaluate(async (url) => (await fetch(url, { headers: { Authorization: 'Token demo-token' } })).status,
      `${sandbox.url}/api/v1/campaigns/?marker=after-cancel`);
    assert.equal(status, 200);
    const log = await sandbox.requests();
    const marker = log.find((r) => r.query === 'marker=after-cancel');
    assert.ok(marker, 'the marker reached the server');
    const after = log.filter((r) => r.path.startsWith('/api/v1/data_owners/1/B2C/customers'));
    assert.deepEqual(after.filter((r) => r.seq > marker.seq).map((r) => r.query), [], 'no page request after the cancel was shown');
    assert.deepEqual(after.map((r) => r.seq), atCancel.map((r) => r.seq), 'no request after the cancel');
    // The table still shows the pages browsed before; Load all can run again.
    assert.equal(await page.getByRole('button', { name: 'Load all' }).isDisabled(), false);
    assert.deepEqual(demo.errors, []);
  } finally {
    await demo.close();
  }
});

test('503 three times, then the data: the retries are shown, then the campaigns', T, async () => {
  const demo = await openDemo();
  try {
    const { page, sandbox } = demo;
    await sandbox.faults({ rules: [{ route: '/api/v1/campaigns', kind: 'status', status: 503, times: 3 }] });
    await page.evaluate(() => {
      window.seenStatus = [];
      const node = document.getElementById('campaigns-status');
      new MutationObserver(() => window.seenStatus.push(node.textContent)).observe(node, { childList: true, characterData: true, subtree: true });
    });
    await connect(page);
    // While retrying, the campaigns' status line says so.
    await page.locator('#campaigns-status').filter({ hasText: 'The server answered HTTP 503: retry 2…' }).waitFor();
    await screenshot(page, 'demo-2-retrying-503');
    await page.locator('#campaigns-table tbody tr').first().waitFor();
    const seen = await page.evaluate(() => window.seenStatus);
    for (const n of [1, 2, 3]) assert.ok(seen.includes(`Loading campaigns… The server answered HTTP 503: retry ${n}…`), seen.join(' | '));
    assert.equal(seen.at(-1), '12 campaigns loaded.');
    assert.equal(await page.locator('#campaigns-table tbody tr').count(), 12);
    assert.equal(await page.locator('#campaigns-error').isVisible(), false);
    await page.getByText('Request log (latest first)').click();
    const log = await page.locator('#activity-log li').allInnerTexts();
    const retries = log.filter((t) => /Retrying GET \/api\/v1\/campaigns after HTTP 503/.test(t));
    assert.equal(retries.length, 3, log.join('\n'));
    assert.match(log.join('\n'), /Retrying GET \/api\/v1\/campaigns after HTTP 503 \(retry 3/);
    assert.equal(await page.locator('#activity-last').innerText(), 'Recovered: GET /api/v1/campaigns answered after 3 retries.');
    await screenshot(page, 'demo-2-retried-503');
    const statuses = (await apiRequests(sandbox, '/api/v1/campaigns')).map((r) => r.status);
    assert.deepEqual(statuses, [503, 503, 503, 200]);
    assert.deepEqual(demo.errors, []);
  } finally {
    await demo.close();
  }
});

test('503 that does not recover: a readable error with the code and the retries', T, async () => {
  const demo = await openDemo();
  try {
    const { page, sandbox } = demo;
    await sandbox.faults({ rules: [{ route: '/api/v1/campaigns', kind: 'status', status: 503 }] });
    await connect(page);
    const alert = page.locator('#campaigns-error');
    await alert.waitFor({ state: 'visible' });
    const text = await alert.innerText();
    assert.match(text, /Could not load campaigns: The server had an error\./);
    assert.match(text, /code: server, HTTP 503, 3 retries/);
    await screenshot(page, 'demo-2-503-gave-up');

    // When the server recovers, "Reload campaigns" gets the data.
    await sandbox.clearFaults();
    await page.getByRole('button', { name: 'Reload campaigns' }).click();
    await page.locator('#campaigns-table tbody tr').first().waitFor();
    assert.equal(await alert.isVisible(), false);
  } finally {
    await demo.close();
  }
});

/** Wait until the pager says exactly `text`. */
async function pageInfo(page, text) {
  await page.waitForFunction((t) => document.getElementById('page-info').textContent === t, text);
}
