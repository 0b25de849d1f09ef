// The smoke program every non-Node runtime runs (Deno, Bun, workerd), as source text pasted
// into a program or a worker, against a sandbox over real HTTP: whoAmI, every record of a
// 12,000-customer CRM with `for await`, the streaming sync before and after simulated edits,
// the changes as .xlsx, a CubeError (a wrong token) and a refused redirect.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { BIN } from '../packaging/tarball.mjs';
import { REDIRECT_PROBE_SOURCE, redirectFlag, refusedRedirect } from '../support/redirect.mjs';
import { startSandbox } from '../support/sandbox.mjs';
import { readXlsx } from '../support/demo.mjs';

export const CUSTOMERS = 12_000;

export const SMOKE_SOURCE = `${REDIRECT_PROBE_SOURCE}
async function smoke(api, baseUrl) {
  const { CubeClient, CubeError, ready, toXlsx } = api;
  const control = (path, body) => fetch(baseUrl + '/_sandbox/' + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  }).then((r) => r.json());
  await control('reset'); // the same start for every run (the redirect fault, from a flag, stays)
  await ready();
  const crm = { dataOwnerId: 1, crmType: 'B2C' };
  const cube = new CubeClient({ baseUrl, auth: { username: 'demo@example.com', password: 'demo' } });
  const me = await cube.whoAmI();
  let records = 0;
  let lastId = null;
  for await (const customer of cube.customers(crm)) {
    records += 1;
    lastId = customer.crm__customer_id;
  }
  const first = await cube.customers(crm).sync(null);
  const edits = await control('edits', { count: 5, seed: 3, ...crm });
  const second = await cube.customers(crm).sync(first.snapshot);
  const xlsx = await toXlsx(second.changes.changed.map((c) => c.after));
  let error = null;
  try {
    await new CubeClient({ baseUrl, auth: { token: 'wrong-token' } }).whoAmI();
  } catch (e) {
    error = { isCubeError: e instanceof CubeError, isError: e instanceof Error, name: e.name, code: e.code, status: e.status, retries: e.retries };
  }
  return {
    username: me.username,
    records,
    lastId,
    firstSync: {
      added: first.changes.added.length,
      anonymized: first.changes.anonymized.length,
      duplicateKeys: first.changes.duplicateKeys.length,
      records: first.records,
      snapshotIsBytes: first.snapshot instanceof Uint8Array,
    },
    editedIds: [...new Set(edits.edited.map((e) => e.customerId))].sort(),
    edited: edits.edited.map((e) => ({ customerId: e.customerId, values: e.values })),
    changedKeys: second.changes.changed.map((c) => c.key).sort(),
    secondSync: { added: second.changes.added.length, removed: second.changes.removed.length },
    xlsx: { isBytes: xlsx instanceof Uint8Array, base64: btoa(Array.from(xlsx, (b) => String.fromCharCode(b)).join('')) },
    error,
    redirect: await redirectProbe(api, baseUrl),
  };
}`;

/**
 * The sandboxes of a runtime test: `sb` (12,000 customers a CRM; `clientAccessCampaigns()`
 * redirected to `other`) and `other`, which records whatever reaches it (nothing must).
 */
export async function startSandboxes(extra = []) {
  const other = await startSandbox();
  const sb = await startSandbox(['--customers', String(CUSTOMERS), '--fault', redirectFlag(other.url), ...extra]);
  return { sb, other, stop: () => { sb.stop(); other.stop(); } };
}

/** Check what `smoke` returned (against `baseUrl`), and that nothing reached `other`. */
export async function checkSmoke(assert, result, baseUrl, other) {
  assert.equal(result.username, 'demo@example.com');
  assert.equal(result.records, CUSTOMERS, 'every record, once');
  assert.equal(result.lastId, String(100_000 + CUSTOMERS), 'in order, to the last page');
  // The first sync reports every customer: added, or anonymized (an empty id: never matched).
  const { added, anonymized, ...rest } = result.firstSync;
  assert.ok(added > CUSTOMERS * 0.9, `added ${added}`);
  assert.equal(added + anonymized, CUSTOMERS);
  assert.deepEqual(rest, { duplicateKeys: 0, records: CUSTOMERS, snapshotIsBytes: true });
  assert.ok(result.editedIds.length > 0);
  assert.deepEqual(result.changedKeys, result.editedIds, 'the sync finds exactly the edited customers');
  assert.deepEqual(result.secondSync, { added: 0, removed: 0 });
  // The workbook read back (in Node, whatever runtime wrote it): its parts, one row per changed
  // customer under a header of field keys, each edited value in its customer's row, as text.
  assert.equal(result.xlsx.isBytes, true);
  const book = await readXlsx(Buffer.from(result.xlsx.base64, 'base64'));
  for (const part of ['[Content_Types].xml', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml']) assert.ok(book.files.includes(part), `${part} in ${book.files}`);
  assert.match(book.workbook, /<sheet [^>]*name="Sheet1"/);
  const [header, ...rows] = book.rows.map((r) => r.map((c) => c.value));
  const column = (field) => {
    const i = header.indexOf(field);
    assert.ok(i >= 0, `a ${field} column in ${header}`);
    return i;
  };
  const idColumn = column('crm__customer_id');
  assert.deepEqual(rows.map((r) => r[idColumn]).sort(), result.changedKeys, 'one row per changed customer');
  const lastValues = new Map(); // a customer edited twice shows the later value
  for (const { customerId, values } of result.edited) lastValues.set(customerId, { ...lastValues.get(customerId), ...values });
  for (const [customerId, values] of lastValues) {
    const row = rows.find((r) => r[idColumn] === customerId);
    for (const [field, value] of Object.entries(values)) assert.equal(row[column(field)], value, `${customerId} ${field}`);
  }
  const idCells = book.rows.slice(1).map((r) => r[idColumn].type);
  assert.ok(idCells.every((t) => t === 'inlineStr' || t === 's'), `customer ids are text cells: ${idCells}`);
  assert.deepEqual(result.error, { isCubeError: true, isError: true, name: 'CubeError', code: 'unauthorized', status: 401, retries: 0 });
  assert.deepEqual(result.redirect, refusedRedirect(baseUrl));
  assert.deepEqual(await other.requests(), [], 'the redirect target got no request');
}

/** A runtime's binary from npm (node_modules/.bin): missing fails the test, never skips it. */
export function runtimeBinary(name) {
  const bin = path.join(BIN, name);
  if (!existsSync(bin)) {
    throw new Error(`${bin} is missing: \`cargo xtask setup\` installs it (npm ci of the dev dependencies)`);
  }
  return bin;
}

/**
 * A program for a runtime with a CLI (Deno, Bun): imports `specifier`, runs `smoke` against
 * the URL given as its argument and prints one JSON line: the result and the file the
 * runtime resolved the package to (the build it loads).
 */
export const smokeProgram = (specifier) => `import * as api from '${specifier}';
${SMOKE_SOURCE}
const baseUrl = globalThis.Deno ? Deno.args[0] : process.argv[2];
const result = await smoke(api, baseUrl);
result.resolved = import.meta.resolve('${specifier}');
console.log(JSON.stringify(result));
`;


/**
 * What every runtime also runs in-process (source text): `cube-integration/sandbox`'s
 * `createSandbox()` as the client's fetch — whoAmI, every customer of a 1,234-customer CRM at
 * 100 a page, an edit the sync finds, a 503 retried, and a refused option (the client's
 * CubeError class). `sandboxApi` is the module `cube-integration/sandbox`.
 */
export const SANDBOX_SMOKE_SOURCE = `
async function sandboxSmoke(api, sandboxApi) {
  const { CubeClient, CubeError } = api;
  const sandbox = await sandboxApi.createSandbox({ customers: 1234, pageSize: 100, faults: [{ kind: 'status', status: 503, times: 1, route: '/account/' }] });
  const retries = [];
  const cube = new CubeClient({
    baseUrl: sandbox.baseUrl,
    auth: { username: 'demo@example.com', password: 'demo' },
    fetch: sandbox.fetch,
    retryDelayMs: 1,
    onRetry: (e) => retries.push(e.status),
  });
  const crm = { dataOwnerId: 1, crmType: 'B2C' };
  const me = await cube.whoAmI();
  let records = 0;
  let pages = 0;
  let lastId = null;
  for await (const page of cube.customers(crm).pages()) {
    pages += 1;
    records += page.records.length;
    lastId = page.records.at(-1).crm__customer_id;
  }
  const first = await cube.customers(crm).sync(null);
  const edited = sandbox.edits({ count: 3, seed: 5, ...crm }).edited.map((e) => e.customerId);
  const second = await cube.customers(crm).sync(first.snapshot);
  const logged = sandbox.requests().length;
  sandbox.close();
  let refused = null;
  try {
    await sandboxApi.createSandbox({ pageSise: 5 });
  } catch (e) {
    refused = { isCubeError: e instanceof CubeError, code: e.code, param: e.param };
  }
  return {
    username: me.username,
    retries,
    records,
    pages,
    lastId,
    editedFound: JSON.stringify([...new Set(edited)].sort()) === JSON.stringify(second.changes.changed.map((c) => c.key).sort()) && edited.length > 0,
    logged: logged > pages,
    refused,
  };
}`;

/** Check what `sandboxSmoke` returned. */
export function checkSandboxSmoke(assert, result) {
  assert.deepEqual(result, {
    username: 'demo@example.com',
    retries: [503],
    records: 1234,
    pages: 13,
    lastId: '001234', // the last customer's id (the core's numbering for 1,234 customers)
    editedFound: true,
    logged: true,
    refused: { isCubeError: true, code: 'invalid_argument', param: 'pageSise' },
  });
}

/** A program (Deno, Bun) that runs `sandboxSmoke` and prints one JSON line. */
export const sandboxSmokeProgram = (specifier) => `import * as api from '${specifier}';
import * as sandboxApi from 'cube-integration/sandbox';
${SANDBOX_SMOKE_SOURCE}
const result = await sandboxSmoke(api, sandboxApi);
result.resolved = import.meta.resolve('cube-integration/sandbox');
console.log(JSON.stringify(result));
`;

/** The files of a throwaway project that runs the smoke program on each build, and the
 * in-process sandbox's. */
export const SMOKE_FILES = {
  'smoke-default.mjs': smokeProgram('cube-integration'),
  'smoke-web.mjs': smokeProgram('cube-integration/web'),
  'smoke-sandbox.mjs': sandboxSmokeProgram('cube-integration'),
};
