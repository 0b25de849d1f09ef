// pager.sync(previous, { snapshotTo }): the new snapshot written page by page to a
// WritableStream instead of returned whole — the same bytes as a sync that returns it, the
// stream closed once the sync is complete and aborted when it fails, and a snapshotTo that is
// not a WritableStream refused before any request. Against the sandbox over HTTP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CubeClient, CubeError } from '../../../pkg/node/index.mjs';
import { startSandbox, TOKEN } from '../support/sandbox.mjs';
import { collector } from '../support/streams.mjs';

const CUSTOMERS = 3000;
const crm = { dataOwnerId: 1, crmType: 'B2C' };
let sb;
let cube;

before(async () => {
  sb = await startSandbox(['--customers', String(CUSTOMERS), '--page-size', '250']);
  cube = new CubeClient({ baseUrl: sb.url, auth: TOKEN, maxRetries: 0 });
});
after(() => sb?.stop());

/** A WritableStream that keeps what it is given and how it ended. */

test('the pieces written to snapshotTo are the snapshot a sync returns, first night and steady night', { timeout: 60_000 }, async () => {
  await sb.reset();
  const whole = await cube.customers(crm).sync(null);
  const out = collector();
  const streamed = await cube.customers(crm).sync(null, { snapshotTo: out.stream });
  assert.equal(streamed.snapshot, null);
  assert.ok(out.seen.closed, 'closed once the sync is complete');
  assert.ok(out.chunks.filter((c) => c.length > 0).length > CUSTOMERS / 250, 'a piece per page at least');
  assert.deepEqual(out.bytes(), Buffer.from(whole.snapshot));
  assert.deepEqual(streamed.changes.counts, whole.changes.counts);

  await sb.edits({ count: 20, dataOwnerId: 1, crmType: 'B2C', seed: 3 });
  const steady = await cube.customers(crm).sync(whole.snapshot);
  const out2 = collector();
  const steadyStreamed = await cube.customers(crm).sync(out.bytes(), { snapshotTo: out2.stream, store: 'values' });
  assert.deepEqual(out2.bytes(), Buffer.from(steady.snapshot));
  assert.deepEqual(steadyStreamed.changes, steady.changes);
  // The streamed snapshot is a state: the next sync from it reports nothing.
  const after = await cube.customers(crm).sync(out2.bytes());
  assert.deepEqual(after.changes.counts, { ...after.changes.counts, added: 0, removed: 0, changed: 0 });
});

test('a sync that fails aborts snapshotTo with its error and never closes it', { timeout: 60_000 }, async () => {
  await sb.reset();
  await sb.faults({ rules: [{ route: '/api/v1/data_owners/', kind: 'status', status: 500, skip: 3 }] });
  const out = collector();
  try {
    await assert.rejects(cube.customers(crm).sync(null, { snapshotTo: out.stream }), (e) => e instanceof CubeError && e.code === 'server');
  } finally {
    await sb.clearFaults();
  }
  assert.equal(out.seen.closed, false);
  assert.ok(out.seen.aborted instanceof CubeError, 'aborted with the sync\'s error');
  assert.equal(out.seen.aborted.code, 'server');
});

test('a snapshotTo that is not a WritableStream is refused before any request', async () => {
  await sb.clearRequests();
  for (const bad of [{}, 'file.state', new Uint8Array(4), { write() {} }]) {
    await assert.rejects(cube.customers(crm).sync(null, { snapshotTo: bad }), (e) => e instanceof CubeError && e.code === 'invalid_argument' && e.param === 'snapshotTo');
  }
  assert.deepEqual((await sb.requests()).filter((r) => r.path.startsWith('/api/')), []);
});

test('sync(previous, { signal, onProgress }) takes both as the list call does; a bad one is refused by name', { timeout: 60_000 }, async () => {
  await sb.reset();
  const seen = [];
  const { pages } = await cube.customers(crm).sync(null, { onProgress: (p) => seen.push(p.page) });
  assert.deepEqual(seen, Array.from({ length: pages }, (_, i) => i + 1), 'told of every page, in order');
  const controller = new AbortController();
  controller.abort();
  await sb.clearRequests();
  await assert.rejects(cube.customers(crm).sync(null, { signal: controller.signal }), (e) => e instanceof CubeError && e.code === 'aborted');
  assert.deepEqual((await sb.requests()).filter((r) => r.path.startsWith('/api/')), [], 'an aborted signal sends nothing');
  for (const [options, param] of [[{ signal: 'stop' }, 'signal'], [{ onProgress: 5 }, 'onProgress']]) {
    await assert.rejects(cube.customers(crm).sync(null, options), (e) => e instanceof CubeError && e.code === 'invalid_argument' && e.param === param);
  }
  // `signal: undefined` is no signal (the exactOptionalPropertyTypes pattern).
  const plain = await cube.customers(crm).sync(null, { signal: undefined, onProgress: undefined });
  assert.equal(plain.pages, pages);
});

// The sync's own signal and onProgress (issue #24): given to sync() or syncChanges() rather
// than to the list call, they work the same way — onProgress gets the list's
// { loaded, total, page }, the signal stops the sync partway with `aborted`, and nothing of
// the previous state is lost: the same `previous` gives the full changes afterwards.
test('syncChanges() and sync() take their own signal and onProgress: an abort partway loses nothing of previous', { timeout: 60_000 }, async () => {
  await sb.reset();
  const first = await cube.customers(crm).sync(null);
  const { edited } = await sb.edits({ count: 15, dataOwnerId: 1, crmType: 'B2C', seed: 5 });
  const expected = new Set(edited.map((e) => e.customerId)).size;
  assert.ok(expected > 0);
  const previous = Uint8Array.from(first.snapshot);
  const serial = new CubeClient({ baseUrl: sb.url, auth: TOKEN, maxRetries: 0, concurrency: 1 });

  for (const how of ['syncChanges', 'sync']) {
    const listSeen = [];
    const ownSeen = [];
    const controller = new AbortController();
    const pager = serial.customers({ ...crm, onProgress: (p) => listSeen.push(p.page) });
    const options = {
      signal: controller.signal,
      onProgress: (p) => {
        ownSeen.push(p);
        if (p.page === 3) controller.abort();
      },
    };
    let run;
    const error = await (async () => {
      if (how === 'sync') return pager.sync(previous, options);
      run = pager.syncChanges(previous, options);
      for await (const batch of run) assert.ok(Array.isArray(batch.changed));
    })().then(() => null, (e) => e);
    assert.ok(error instanceof CubeError, `${how}: ${error}`);
    assert.equal(error.code, 'aborted', `${how}: ${error.message}`);
    assert.match(error.message, /the previous snapshot is still valid/);
    if (run) assert.equal(run.result, undefined, 'an aborted syncChanges has no result');
    assert.deepEqual(listSeen, [], `${how}: its own onProgress is used, not the list call's`);
    assert.deepEqual(ownSeen.slice(0, 3).map((p) => p.page), [1, 2, 3]);
    assert.deepEqual(ownSeen[0], { loaded: 250, total: CUSTOMERS, page: 1 }, 'the list read\'s progress shape');
    assert.ok(ownSeen.length < 12, `${how} stopped before the last page (${ownSeen.length} pages)`);
    assert.deepEqual(previous, Uint8Array.from(first.snapshot), 'previous is untouched');
  }

  // The same previous, synced to the end: every edit is there.
  const pages = [];
  const run = serial.customers(crm).syncChanges(previous, { signal: new AbortController().signal, onProgress: (p) => pages.push(p.page) });
  let changed = 0;
  for await (const batch of run) changed += batch.changed.length;
  assert.equal(changed, expected);
  assert.equal(run.result.counts.changed, expected);
  assert.deepEqual(pages, Array.from({ length: run.result.pages }, (_, i) => i + 1));
});
