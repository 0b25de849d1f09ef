// The streaming sync (`Pager.sync`): pages go from the wire into the records module; only the
// changes come back. Same changes as the array sync; exactly the edits under faults; an abort
// or a failure leaves the previous snapshot usable; bad snapshots are refused before any
// request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CubeClient, CubeError, sync } from '../../../pkg/node/index.mjs';
import { startSandbox, TOKEN } from '../support/sandbox.mjs';

// Per test: generous, so only a hang fails by time (CI is a busy 2-core machine).
const T = { timeout: 60_000 };

const crm = { dataOwnerId: 1, crmType: 'B2C' };
const ROUTE = '/api/v1/data_owners/';
let sb;
let cube;

before(async () => {
  sb = await startSandbox(['--customers', '6000', '--page-size', '500']);
  cube = new CubeClient({ baseUrl: sb.url, auth: TOKEN, retryDelayMs: 5 });
});
after(() => sb.stop());

const edit = (count, seed) => sb.edits({ count, seed, ...crm });
const text = (bytes) => new TextDecoder().decode(bytes);
const pagesRequested = async () => (await sb.requests()).filter((r) => r.path.startsWith(ROUTE)).length;

test('first run: every record added; the snapshot is bytes of format version 2', T, async () => {
  await sb.reset();
  const progress = [];
  const { changes, snapshot, records, pages } = await cube.customers({ ...crm, onProgress: (p) => progress.push(p) }).sync(null);
  assert.ok(snapshot instanceof Uint8Array);
  const stored = JSON.parse(text(snapshot));
  assert.equal(stored.version, 2);
  assert.equal(stored.source, 'GET /api/v1/data_owners/1/B2C/customers/');
  assert.equal(records, 6000);
  assert.equal(pages, 12);
  assert.equal(progress.length, 12);
  assert.deepEqual(progress.at(-1), { loaded: 6000, total: 6000, page: 12 });
  const anonymized = changes.anonymized.length;
  const duplicated = changes.duplicateKeys.reduce((n, d) => n + d.count, 0);
  assert.equal(changes.added.length + anonymized + duplicated, 6000);
  assert.equal(stored.count, 6000 - anonymized);
  assert.equal(changes.changed.length + changes.removed.length + changes.unchanged, 0);
});

test('the streaming sync reports the same changes as the array sync on the same data', T, async () => {
  await sb.reset();
  const first = await cube.customers(crm).sync(undefined);
  const firstArray = await sync(null, await cube.customers(crm).toArray());
  assert.deepEqual(first.changes, firstArray.changes);
  const edited = await edit(40, 3);
  const streamed = await cube.customers(crm).sync(first.snapshot);
  const records = await cube.customers(crm).toArray();
  // The array sync reads either snapshot: the stream's bytes or its own object.
  const fromBytes = await sync(first.snapshot, records);
  const fromObject = await sync(firstArray.snapshot, records);
  assert.deepEqual(streamed.changes, fromBytes.changes);
  assert.deepEqual(streamed.changes, fromObject.changes);
  assert.ok(streamed.changes.changed.length > 0);
  const editedIds = new Set(edited.edited.map((e) => e.customerId));
  for (const c of streamed.changes.changed) assert.ok(editedIds.has(c.key), `${c.key} was not edited`);
  for (const c of streamed.changes.changed) {
    assert.ok(c.fields.length > 0);
    for (const f of c.fields) {
      assert.deepEqual(c.before[f.field] ?? null, f.before);
      assert.deepEqual(c.after[f.field] ?? null, f.after);
    }
  }
  // Nothing changed since: the new snapshot is the state to compare with.
  const again = await cube.customers(crm).sync(streamed.snapshot);
  assert.equal(again.changes.changed.length + again.changes.added.length + again.changes.removed.length, 0);
  // A snapshot passed as ArrayBuffer or as its text works the same.
  const buffer = streamed.snapshot.buffer.slice(streamed.snapshot.byteOffset, streamed.snapshot.byteOffset + streamed.snapshot.byteLength);
  assert.equal((await cube.customers(crm).sync(buffer)).changes.unchanged, again.changes.unchanged);
  assert.equal((await cube.customers(crm).sync(text(streamed.snapshot))).changes.unchanged, again.changes.unchanged);
});

test('options: ignored fields, strict mode and fingerprints-only snapshots', T, async () => {
  await sb.reset();
  const ignoreFields = ['crm__change_log__updated', 'crm__change_log__updated_by', 'crm__change_log__update_method'];
  const first = await cube.customers(crm).sync(null, { ignoreFields, store: 'fingerprints' });
  const small = await cube.customers(crm).sync(null, { ignoreFields });
  assert.ok(first.snapshot.length * 3 < small.snapshot.length, `${first.snapshot.length} vs ${small.snapshot.length}`);
  await edit(10, 5);
  const next = await cube.customers(crm).sync(first.snapshot, { ignoreFields, store: 'fingerprints' });
  assert.ok(next.changes.changed.length > 0);
  assert.ok(next.changes.changed.every((c) => c.fields.length === 0), 'no field-level changes without values');
  const full = await cube.customers(crm).sync(small.snapshot, { ignoreFields });
  assert.deepEqual(full.changes.changed.map((c) => c.key), next.changes.changed.map((c) => c.key));
  for (const c of full.changes.changed) assert.ok(c.fields.every((f) => !ignoreFields.includes(f.field)));
  // A snapshot made with other options is refused, naming the option.
  await assert.rejects(cube.customers(crm).sync(small.snapshot), (e) => e instanceof CubeError && e.code === 'invalid_argument' && e.param === 'ignoreFields');
  await assert.rejects(cube.customers(crm).sync(small.snapshot, { ignoreFields, loose: false }), (e) => e.param === 'loose');
});

test('under 503s, 429s, resets and truncated pages the sync reports exactly the edits', T, async () => {
  await sb.reset();
  const first = await cube.customers(crm).sync(null);
  await edit(30, 9);
  const clean = await cube.customers(crm).sync(first.snapshot);
  await sb.faults({
    seed: 4,
    rules: [
      { route: ROUTE, kind: 'status', status: 503, rate: 0.15 },
      { route: ROUTE, kind: 'status', status: 429, retryAfter: 0, rate: 0.05 },
      { route: ROUTE, kind: 'reset', rate: 0.05 },
      { route: ROUTE, kind: 'truncate', rate: 0.05 },
    ],
  });
  await sb.clearRequests();
  const retries = [];
  const client = new CubeClient({ baseUrl: sb.url, auth: TOKEN, retryDelayMs: 1, maxRetries: 8, onRetry: (e) => retries.push(e) });
  const faulty = await client.customers(crm).sync(first.snapshot);
  await sb.clearFaults();
  const log = await sb.requests();
  assert.ok(log.some((r) => r.fault), 'faults were injected');
  assert.ok(retries.length > 0, 'and retried');
  assert.deepEqual(faulty.changes, clean.changes);
  assert.equal(text(faulty.snapshot), text(clean.snapshot));
});

test('an abort mid-sync rejects with aborted, returns no snapshot, and the previous one stays usable', T, async () => {
  await sb.reset();
  const first = await cube.customers(crm).sync(null);
  await edit(12, 21);
  const controller = new AbortController();
  await assert.rejects(
    cube.customers({ ...crm, signal: controller.signal, onProgress: (p) => { if (p.page === 3) controller.abort(); } }).sync(first.snapshot),
    (e) => e instanceof CubeError && e.code === 'aborted' && /previous snapshot is still valid/.test(e.message) && e.resumePage === undefined,
  );
  await sb.clearRequests();
  // Nothing more is requested once the abort is seen.
  await new Promise((r) => setTimeout(r, 50));
  const late = await pagesRequested();
  const rerun = await cube.customers(crm).sync(first.snapshot);
  const expected = await sync(first.snapshot, await cube.customers(crm).toArray());
  assert.deepEqual(rerun.changes, expected.changes);
  assert.ok(rerun.changes.changed.length > 0);
  assert.ok(late <= 12, `${late}`);
});

test('a failure after the retries says where it stopped and that previous is still valid', T, async () => {
  await sb.reset();
  const first = await cube.customers(crm).sync(null);
  await sb.faults({ rules: [{ route: ROUTE, kind: 'status', status: 500, skip: 4 }] });
  const client = new CubeClient({ baseUrl: sb.url, auth: TOKEN, maxRetries: 1, retryDelayMs: 1 });
  await assert.rejects(client.customers(crm).sync(first.snapshot), (e) =>
    e instanceof CubeError && e.code === 'server' && /the sync stopped at page \d+ and returned no snapshot/.test(e.message));
  await sb.clearFaults();
  const after = await cube.customers(crm).sync(first.snapshot);
  assert.equal(after.changes.changed.length, 0);
});

test('damaged, cut, foreign and other-version snapshots are refused as previous, before any request', T, async () => {
  await sb.reset();
  const { snapshot } = await cube.customers(crm).sync(null);
  const good = text(snapshot);
  const flipped = good.replace(/"(\+47 [0-9])/, (m, p) => `"${p.slice(0, -1)}${(Number(p.at(-1)) + 1) % 10}`);
  assert.notEqual(flipped, good);
  const cases = [
    ['a changed byte', flipped, /checksum/],
    ['cut short', good.slice(0, good.length / 2), /ends too early/],
    ['another version', good.replace('{"version":2', '{"version":7'), /unsupported snapshot version 7/],
    ['a list of customers', JSON.stringify([{ crm__customer_id: '1' }]), /not a sync snapshot|snapshot/],
    ['not JSON', 'id;name\n1;Kari\n', /not JSON/],
    ['not UTF-8', new Uint8Array([0xff, 0xfe, 0x41]), /UTF-8/],
  ];
  await sb.clearRequests();
  for (const [what, previous, message] of cases) {
    const bytes = typeof previous === 'string' ? new TextEncoder().encode(previous) : previous;
    await assert.rejects(cube.customers(crm).sync(bytes), (e) => {
      assert.ok(e instanceof CubeError, what);
      assert.equal(e.code, 'invalid_argument', what);
      assert.equal(e.param, 'previous', what);
      assert.match(e.message, message, what);
      return true;
    });
  }
  // The snapshot of another list.
  await assert.rejects(cube.customers({ dataOwnerId: 1, crmType: 'B2B' }).sync(snapshot), (e) =>
    e.param === 'previous' && /another list/.test(e.message) && /B2C/.test(e.message) && /B2B/.test(e.message));
  assert.equal(await pagesRequested(), 0, 'no page was requested');
});

test('bad input is an invalid_argument naming it, before any request', T, async () => {
  await sb.clearRequests();
  const cases = [
    ['previous', () => cube.customers(crm).sync(42)],
    ['previous', () => cube.customers(crm).sync([1, 2])],
    ['options', () => cube.customers(crm).sync(null, 'values')],
    ['stores', () => cube.customers(crm).sync(null, { stores: 'values' })], // an unknown option is named
    ['store', () => cube.customers(crm).sync(null, { store: 'everything' })],
    ['key', () => cube.customers(crm).sync(null, { key: '' })],
    ['key', () => cube.customers(crm).sync(null, { key: 7 })],
    ['loose', () => cube.customers(crm).sync(null, { loose: 'yes' })],
    ['ignoreFields', () => cube.customers(crm).sync(null, { ignoreFields: 'crm__change_log__updated' })],
    ['page', () => cube.customers({ ...crm, page: 3 }).sync(null)],
    ['crmType', async () => cube.customers({ dataOwnerId: 1, crmType: 'B2X' }).sync(null)],
  ];
  for (const [param, call] of cases) {
    await assert.rejects(call(), (e) => {
      assert.ok(e instanceof CubeError, param);
      assert.equal(e.code, 'invalid_argument', `${param}: ${e.message}`);
      assert.equal(e.param, param, e.message);
      return true;
    });
  }
  assert.equal(await pagesRequested(), 0);
});

test('every list endpoint syncs: callflow customers, legacy customers (own key), call outcomes', T, async () => {
  await sb.reset();
  const info = await sb.info();
  const campaign = info.campaigns[0].id;
  const lists = [
    [() => cube.callflowCustomers({ campaignId: campaign }), undefined],
    [() => cube.legacyCustomers({ assignmentId: campaign }), { key: 'customer_id' }],
    [() => cube.callOutcomes({ campaignId: campaign }), { key: 'crm__customer_id' }],
  ];
  for (const [pager, options] of lists) {
    const first = await pager().sync(null, options);
    const records = await pager().toArray();
    assert.ok(first.changes.added.length > 0, 'records were matched by key');
    assert.deepEqual(first.changes, (await sync(null, records, options)).changes);
    const next = await pager().sync(first.snapshot, options);
    assert.equal(next.changes.unchanged, first.changes.added.length);
    assert.equal(next.changes.changed.length + next.changes.added.length + next.changes.removed.length, 0);
  }
});
