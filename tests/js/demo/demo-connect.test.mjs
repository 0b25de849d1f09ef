// Demo page, screen 1: connect with Basic or Token, who-am-i, and the error messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDemo, fillConnect, connect, screenshot, skipReason, DEMO } from '../support/demo.mjs';

const skip = skipReason();
const T = { timeout: 60_000, skip: skip ?? false };

test('the page loads the package and prefills the base URL with the sandbox', T, async () => {
  const demo = await openDemo();
  try {
    const { page, sandbox } = demo;
    assert.equal(await page.getByLabel('Base URL').inputValue(), sandbox.url);
    assert.equal(await page.title(), 'Cube integration — demo');
    // Every form control has an accessible name (labels).
    const unnamed = await page.evaluate(() =>
      [...document.querySelectorAll('input, select, button')]
        .filter((e) => !e.closest('[hidden]'))
        .filter((e) => !(e.labels?.length || e.getAttribute('aria-label') || e.textContent.trim()))
        .map((e) => e.id || e.outerHTML));
    assert.deepEqual(unnamed, []);
    await screenshot(page, 'demo-1-start');
    assert.deepEqual(demo.errors, []);
  } finally {
    await demo.close();
  }
});

test('Basic credentials: who-am-i shows name, e-mail and tenant', T, async () => {
  const demo = await openDemo();
  try {
    const { page } = demo;
    await connect(page);
    await assertWhoAmI(page);
    await screenshot(page, 'demo-1-connected-basic');
    assert.deepEqual(demo.errors, []);
  } finally {
    await demo.close();
  }
});

test('Token credentials, with the keyboard only', T, async () => {
  const demo = await openDemo();
  try {
    const { page } = demo;
    // Tab to the Basic radio, arrow to Token, tab to the token field, type, Enter.
    await page.getByLabel('Base URL').focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.value), 'basic');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => document.activeElement.value), 'token');
    assert.equal(await page.getByLabel('API token').isVisible(), true);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'token');
    // The focused control has a visible focus ring.
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none');
    await page.keyboard.type(DEMO.token);
    await page.keyboard.press('Enter');
    await page.locator('#whoami').waitFor({ state: 'visible' });
    await assertWhoAmI(page);
    assert.deepEqual(demo.errors, []);
  } finally {
    await demo.close();
  }
});

test('wrong credentials: a readable message with the code unauthorized', T, async () => {
  const demo = await openDemo();
  try {
    const { page } = demo;
    await fillConnect(page, { password: 'not-the-password' });
    const alert = page.locator('#connect-error');
    await alert.waitFor({ state: 'visible' });
    const text = await alert.innerText();
    assert.match(text, /Wrong e-mail\/password or token/);
    assert.match(text, /code: unauthorized/);
    assert.match(text, /HTTP 401/);
    assert.equal(await page.locator('#whoami').isVisible(), false);
    assert.equal(await page.locator('#campaigns').isVisible(), false);
    await screenshot(page, 'demo-1-wrong-credentials');

    await fillConnect(page, { token: 'no-such-token' });
    await page.getByText('code: unauthorized').waitFor();

    // Fixing the password clears the error.
    await fillConnect(page, {});
    await page.locator('#whoami').waitFor({ state: 'visible' });
    assert.equal(await alert.isVisible(), false);
    await page.locator('#campaigns').waitFor({ state: 'visible' });

    // A failed reconnect hides the screens that need a connection.
    await fillConnect(page, { password: 'wrong again' });
    await alert.waitFor({ state: 'visible' });
    assert.equal(await page.locator('#campaigns').isVisible(), false);
    assert.equal(await page.locator('#export').isVisible(), false);
  } finally {
    await demo.close();
  }
});

test('unreachable server: a readable message with the code network', T, async () => {
  const demo = await openDemo();
  try {
    const { page } = demo;
    // Port 9 on loopback (discard): nothing listens there on a test machine.
    await fillConnect(page, { baseUrl: 'http://127.0.0.1:9' });
    const alert = page.locator('#connect-error');
    await alert.waitFor({ state: 'visible', timeout: 30_000 });
    const text = await alert.innerText();
    assert.match(text, /Could not reach the server/);
    assert.match(text, /code: network/);
    await screenshot(page, 'demo-1-unreachable');
  } finally {
    await demo.close();
  }
});

test('a base URL the package refuses: the reason, with the code invalid_argument', T, async () => {
  const demo = await openDemo();
  try {
    const { page, sandbox } = demo;
    await sandbox.clearRequests();
    await fillConnect(page, { baseUrl: 'http://cube.example.com' });
    const alert = page.locator('#connect-error');
    await alert.waitFor({ state: 'visible' });
    const first = await alert.innerText();
    assert.match(first, /Invalid input\./);
    assert.match(first, /code: invalid_argument/);
    assert.match(first, /https/i, `says why: ${first}`);
    await screenshot(page, 'demo-1-invalid-base-url');
    assert.deepEqual(await sandbox.requests(), [], 'nothing was sent');
  } finally {
    await demo.close();
  }
});

async function assertWhoAmI(page) {
  const who = page.locator('#whoami');
  assert.equal(await page.locator('#whoami-name').innerText(), 'Demo Caller');
  assert.match(await page.locator('#whoami-user').innerText(), /demo@example\.com/);
  assert.equal(await page.locator('#whoami-tenant').innerText(), 'demo');
  assert.match(await who.innerText(), /Signed in/);
}

test('a phone-sized window: no sideways scrolling of the page (tables scroll in their own box)', T, async () => {
  const demo = await openDemo([], { viewport: { width: 390, height: 844 } });
  try {
    const { page } = demo;
    await connect(page);
    await page.locator('#customers-table tbody tr').first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the window`);
    await screenshot(page, 'demo-narrow');
    assert.deepEqual(demo.errors, []);
  } finally {
    await demo.close();
  }
});
