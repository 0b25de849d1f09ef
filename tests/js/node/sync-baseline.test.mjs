// The baseline run of the streaming sync (`pager.sync(previous, { baseline: true })`), against
// the sandbox: the same snapshot as a normal sync, counts instead of lists, a snapshot the next
// normal sync reads as a real state, `counts` beside the lists of every sync, and a bad
// `baseline` refused before any request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CubeClient, CubeError, sync } from '../../../pkg/node/index.mjs';
import { startSandbox, TOKEN } from '../support/sandbox.mjs';

const T = { timeout: 60_000 };
const CUSTOMERS = 4000;
const crm = { dataOwnerId: 1, crmType: 'B2C' };
const ROUTE = '/api/v1/data_owners/';
let sb;
let cube;

before(async () => {
  sb = await startSandbox(['--customers', String(CUSTOMERS), '--page-size', '500']);
  cube = new CubeClient({ baseUrl: sb.url, auth: TOKEN, retryDelayMs: 5 });
});
after(() => sb.stop());

const pagesRequested = async () => (await sb.requests()).filter((r) => r.path.startsWith(ROUTE)).length;
const EMPTY = { added: [], removed: [], changed: [], anonymized: [], duplicateKeys: [] };
const lists = (changes) => Object.fromEntries(Object.keys(EMPTY).map((k) => [k, changes[k]]));

test('a first baseline: the normal snapshot byte for byte, counts only, nothing listed', T, async () => {
  await sb.reset();
  const normal = await cube.customers(crm).sync(null);
  const base = await cube.customers(crm).sync(null, { baseline: true });
  assert.deepEqual(base.snapshot, normal.snapshot, 'the same snapshot bytes');
  assert.equal(base.changes.baseline, true);
  assert.deepEqual(lists(base.changes), EMPTY, 'no record is listed');
  const anonymized = normal.changes.anonymized.length;
  assert.ok(anonymized > 0, 'the sandbox has anonymized customers');
  assert.deepEqual(base.changes.counts, {
    added: CUSTOMERS - anonymized,
    removed: 0,
    changed: 0,
    unchanged: 0,
    anonymized,
    duplicateKeys: 0,
  });
  assert.equal(base.changes.unchanged, 0);
  assert.deepEqual([base.records, base.pages], [normal.records, normal.pages]);
  // Every sync counts: the normal run's counts are its lists' lengths; it is no baseline.
  assert.deepEqual(normal.changes.counts, base.changes.counts);
  assert.equal('baseline' in normal.changes, false);
});

test('a baseline snapshot is a real state: the next normal sync reports exactly the edits', T, async () => {
  await sb.reset();
  const base = await cube.customers(crm).sync(null, { baseline: true });
  const edited = await sb.edits({ count: 6, seed: 4, ...crm });
  const next = await cube.customers(crm).sync(base.snapshot);
  assert.deepEqual(
    next.changes.changed.map((c) => c.key).sort(),
    edited.edited.map((e) => e.customerId).sort(),
  );
  assert.equal(next.changes.added.length + next.changes.removed.length, 0);
  assert.deepEqual(next.changes.counts, {
    added: 0,
    removed: 0,
    changed: 6,
    unchanged: base.changes.counts.added - 6,
    anonymized: base.changes.counts.anonymized,
    duplicateKeys: 0,
  });
});

test('a re-baseline counts against the previous state and lists nothing', T, async () => {
  await sb.reset();
  const first = await cube.customers(crm).sync(null);
  await sb.edits({ count: 5, seed: 9, ...crm });
  const normal = await cube.customers(crm).sync(first.snapshot);
  const base = await cube.customers(crm).sync(first.snapshot, { baseline: true });
  assert.deepEqual(base.snapshot, normal.snapshot);
  assert.deepEqual(lists(base.changes), EMPTY);
  assert.equal(base.changes.counts.changed, 5);
  assert.deepEqual(base.changes.counts, normal.changes.counts);
});

test('the array sync counts too; baseline: false is a normal sync', T, async () => {
  await sb.reset();
  const records = await cube.customers(crm).toArray();
  const array = await sync(null, records);
  const normal = await cube.customers(crm).sync(null, { baseline: false });
  assert.deepEqual(normal.changes, array.changes);
  assert.equal(normal.changes.counts.added, normal.changes.added.length);
});

test('a bad baseline is an invalid_argument naming it, before any request', T, async () => {
  await sb.clearRequests();
  for (const bad of ['yes', 1, {}, [true]]) {
    await assert.rejects(cube.customers(crm).sync(null, { baseline: bad }), (e) => {
      assert.ok(e instanceof CubeError);
      assert.equal(e.code, 'invalid_argument', e.message);
      assert.equal(e.param, 'baseline', e.message);
      assert.match(e.message, /baseline must be true or false/);
      return true;
    });
  }
  // The array sync has every record in memory anyway: it takes no baseline.
  await assert.rejects(sync(null, [], { baseline: true }), (e) => e.param === 'baseline');
  assert.equal(await pagesRequested(), 0, 'no page was requested');
});
