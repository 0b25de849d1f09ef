// Helpers for the demo page's browser tests (tests/js/demo/*.test.mjs): a sandbox
// serving www-demo/ and pkg/, a headless Chromium page on it, and the common steps.
import path from 'node:path';
import { startSandbox, ROOT, PKG, DEMO } from './sandbox.mjs';
import { launch, screenshot } from './browser.mjs';
import { skipUnless } from './available.mjs';

export { DEMO, ROOT, PKG, screenshot };

export const DEMO_DIR = path.join(ROOT, 'www-demo');
/** The package the demo loads: pkg/, or CUBE_DEMO_PKG (e.g. a copy that a rebuild can't pull away mid-run). */
export const DEMO_PKG = process.env.CUBE_DEMO_PKG ? path.resolve(process.env.CUBE_DEMO_PKG) : PKG;

/** Why the demo tests cannot run here, or null (on CI: throws, see available.mjs). */
export function skipReason() {
  return skipUnless({ webDir: DEMO_PKG, chromium: true }) || null;
}

/**
 * A sandbox (extra CLI args allowed) and a browser page on the demo.
 * Resolves to { sandbox, browser, page, errors, close() }; `errors` collects page errors,
 * console errors and failed loads of the page's own files, so a test can assert the page
 * stayed clean.
 */
export async function openDemo(args = [], { viewport = { width: 1280, height: 900 } } = {}) {
  const sandbox = await startSandbox(['--static-dir', DEMO_DIR, '--pkg-dir', DEMO_PKG, ...args]);
  let browser;
  try {
    browser = await launch();
    const context = await browser.newContext({ viewport, acceptDownloads: true });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const errors = [];
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      // A failed HTTP answer is also a console error: those are the API's to judge, not the page's.
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(`console: ${m.text()}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400 && !new URL(r.url()).pathname.startsWith('/api/') && !r.url().includes('/account/')) {
        errors.push(`HTTP ${r.status()} ${r.url()}`);
      }
    });
    await page.goto(sandbox.url + '/');
    await waitReady(page);
    return {
      sandbox,
      browser,
      page,
      errors,
      async close() {
        await browser.close().catch(() => {});
        sandbox.stop();
      },
    };
  } catch (e) {
    await browser?.close().catch(() => {});
    sandbox.stop();
    throw e;
  }
}

/** Wait until the demo has loaded the package (`data-ready` on <html>); throws if it could not. */
async function waitReady(page) {
  await page.waitForFunction(() => document.documentElement.dataset.ready, null, { timeout: 20_000 });
  if (await page.evaluate(() => document.documentElement.dataset.ready) !== 'true') {
    throw new Error(`the demo did not start: ${await page.locator('#boot').innerText()}`);
  }
}

/** Reload the demo page (same browser context: same IndexedDB) and wait until it is ready again. */
export async function reloadDemo(page) {
  await page.reload();
  await waitReady(page);
}

/** Fill the connect form and submit; does not wait for the result. */
export async function fillConnect(page, { baseUrl, username, password, token } = {}) {
  if (baseUrl !== undefined) await page.getByLabel('Base URL', { exact: true }).fill(baseUrl);
  if (token !== undefined) {
    await page.getByLabel('Token', { exact: true }).check();
    await page.getByLabel('API token', { exact: true }).fill(token);
  } else {
    await page.getByLabel('Basic (e-mail and password)').check();
    await page.getByLabel('E-mail / username', { exact: true }).fill(username ?? DEMO.username);
    await page.getByLabel('Password', { exact: true }).fill(password ?? DEMO.password);
  }
  await page.getByRole('button', { name: 'Connect' }).click();
}

/** Connect as the demo user and wait for the who-am-i result. */
export async function connect(page, creds = {}) {
  await fillConnect(page, creds);
  await page.locator('#whoami').waitFor({ state: 'visible' });
}

/** Connect, then wait for the campaigns table and the first customers page. */
export async function connectAndLoad(page, creds = {}) {
  await connect(page, creds);
  await page.locator('#campaigns-table tbody tr').first().waitFor();
  await page.locator('#customers-table tbody tr').first().waitFor();
}

/** The text of a table's cells, row by row (header row first). */
export async function tableText(page, selector) {
  return page.locator(selector).evaluate((table) =>
    [...table.querySelectorAll('tr')].map((tr) => [...tr.children].map((c) => c.textContent.trim())));
}

/** The sandbox's API requests whose path starts with `prefix`. */
export async function apiRequests(sandbox, prefix) {
  const log = await sandbox.requests();
  const entries = Array.isArray(log) ? log : log.requests ?? [];
  return entries.filter((r) => r.path.startsWith(prefix));
}

/** Which of the package's functions the built pkg/web exports (checked in the page). */
export async function packageHas(page, names) {
  return page.evaluate(async (list) => {
    const m = await import('/pkg/web/index.js');
    return list.filter((n) => typeof m[n] === 'function');
  }, names);
}

/** Whether the built pkg/web has the streaming sync, `customers(…).sync(previous)` (Pager.prototype.sync). */
export async function packageHasStreamingSync(page) {
  return page.evaluate(async () => {
    const m = await import('/pkg/web/index.js');
    return typeof m.Pager?.prototype?.sync === 'function';
  });
}

/** Click `button` and return the download it starts: { name, bytes }. */
export async function download(page, locator) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 20_000 }), locator.click()]);
  const file = await dl.path();
  const { readFileSync } = await import('node:fs');
  return { name: dl.suggestedFilename(), bytes: readFileSync(file) };
}

/** RFC 4180 CSV (quotes, doubled quotes, delimiters and line breaks inside quotes). */
export function parseCsv(text, delimiter = ',') {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      // handled by the \n
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * The first sheet of an .xlsx as rows of cell texts (inline strings, shared strings and
 * numbers), plus the raw sheet and workbook XML: { rows, xml, workbook, files }.
 */
export async function readXlsx(bytes) {
  const { unzipSync, strFromU8 } = await import('fflate');
  const files = unzipSync(new Uint8Array(bytes));
  const sheetName = Object.keys(files).find((n) => /^xl\/worksheets\/sheet1\.xml$/.test(n))
    ?? Object.keys(files).find((n) => n.startsWith('xl/worksheets/'));
  if (!sheetName) throw new Error(`no worksheet in the xlsx: ${Object.keys(files).join(', ')}`);
  const xml = strFromU8(files[sheetName]);
  // XML entities, then OOXML's `_xHHHH_` escapes (ST_Xstring: a UTF-16 code unit each, `_x005F_`
  // a literal underscore), as Excel and LibreOffice decode them.
  const unescape = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'").replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n))).replace(/&amp;/g, '&')
    .replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
  const shared = [];
  if (files['xl/sharedStrings.xml']) {
    for (const si of strFromU8(files['xl/sharedStrings.xml']).matchAll(/<si>([\s\S]*?)<\/si>/g)) {
      shared.push(unescape([...si[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((m) => m[1]).join('')));
    }
  }
  const col = (ref) => [...ref.replace(/\d+$/, '')].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  const rows = [];
  for (const r of xml.matchAll(/<row[^>]*>([\s\S]*?)<\/row>/g)) {
    const cells = [];
    for (const c of r[1].matchAll(/<c ([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attrs = c[1];
      const ref = /r="([A-Z]+\d+)"/.exec(attrs)?.[1];
      const type = /t="(\w+)"/.exec(attrs)?.[1];
      const inner = c[2] ?? '';
      let value = '';
      if (type === 'inlineStr') value = unescape([...inner.matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((m) => m[1]).join(''));
      else if (type === 's') value = shared[Number(/<v>(\d+)<\/v>/.exec(inner)?.[1])] ?? '';
      else value = unescape(/<v>([\s\S]*?)<\/v>/.exec(inner)?.[1] ?? '');
      const at = ref ? col(ref) : cells.length;
      while (cells.length < at) cells.push('');
      cells[at] = { value, type: type ?? 'n' };
    }
    rows.push(cells.map((c) => (c === '' ? { value: '', type: 'empty' } : c)));
  }
  const workbook = files['xl/workbook.xml'] ? strFromU8(files['xl/workbook.xml']) : '';
  return { rows, xml, workbook, files: Object.keys(files) };
}
