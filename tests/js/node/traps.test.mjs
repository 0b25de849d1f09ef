// A trap inside the records module (memory exhausted, forced by the test hook that caps the
// memory its real allocator may grow to): a CubeError `out_of_memory` with the trap as its
// cause, the caller's snapshot untouched, and the next call on a fresh instance.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CubeClient, CubeError, toXlsx } from '../../../pkg/node/index.mjs';
import { startSandbox, TOKEN } from '../support/sandbox.mjs';

const T = { timeout: 90_000 };
const crm = { dataOwnerId: 1, crmType: 'B2C' };
// Beyond the records module's memory when the cap is set: far less than the syncs below need.
const HEADROOM = 2 * 1024 * 1024;

let sb;
let cube;

before(async () => {
  sb = await startSandbox(['--customers', '6000', '--page-size', '500']);
  cube = new CubeClient({ baseUrl: sb.url, auth: TOKEN, retryDelayMs: 5 });
});
after(() => sb.stop());

// Cap the records module's memory a little beyond what it holds now.
async function capMemory() {
  const rt = cube._runtime();
  const used = await rt._testSetAllocationLimit(0);
  await rt._testSetAllocationLimit(used + HEADROOM);
}

// A trap: the engine's RuntimeError is the cause.
function assertOutOfMemory(e) {
  assert.ok(e instanceof CubeError, `a CubeError, not ${e?.stack ?? e}`);
  assert.equal(e.code, 'out_of_memory');
  assert.ok(e.cause instanceof WebAssembly.RuntimeError, `the trap is the cause: ${e.cause}`);
  assert.match(e.message, /ran out of memory/);
  return true;
}

// Part way through a sync, memory may run out in the sync (a trap) or while a page body is
// read (no trap: the read fails with out_of_memory, nothing to replace).
function assertOutOfMemoryAnywhere(e) {
  assert.ok(e instanceof CubeError, `a CubeError, not ${e?.stack ?? e}`);
  assert.equal(e.code, 'out_of_memory', e.message);
  if (e.cause !== undefined) assertOutOfMemory(e);
  return true;
}

test('pager.sync out of memory: out_of_memory, the previous snapshot untouched, the next sync on a fresh instance', T, async () => {
  await sb.reset();
  const first = await cube.customers(crm).sync(null);
  const before = Uint8Array.from(first.snapshot);
  const edited = await sb.edits({ count: 25, seed: 5, ...crm });
  await capMemory();
  await assert.rejects(cube.customers(crm).sync(first.snapshot), assertOutOfMemory);
  assert.deepEqual(first.snapshot, before, 'the snapshot given is unchanged');
  // The same client, a fresh instance (no cap): the changes since the first sync.
  const next = await cube.customers(crm).sync(first.snapshot);
  assert.equal(next.records, 6000);
  const ids = new Set(edited.edited.map((e) => e.customerId));
  assert.ok(next.changes.changed.length > 0);
  for (const c of next.changes.changed) assert.ok(ids.has(c.key), `${c.key} was not edited`);
  assert.equal(next.changes.added.length + next.changes.removed.length, 0);
});

test('pager.sync out of memory part way through the pages: out_of_memory, not a cleanup error; the next sync works', T, async () => {
  await sb.reset();
  await capMemory();
  const pages = [];
  // No snapshot to copy in: the sync starts, and the pages fill the capped memory.
  await assert.rejects(cube.customers({ ...crm, onProgress: (p) => pages.push(p.page) }).sync(null), assertOutOfMemoryAnywhere);
  assert.ok(pages.length > 0, 'the sync had read pages when memory ran out');
  // Without a trap the instance is kept, with its cap: lift it (a fresh instance has none).
  await cube._runtime()._testSetAllocationLimit(0);
  const next = await cube.customers(crm).sync(null);
  assert.equal(next.records, 6000);
});

test('a helper out of memory (toXlsx): out_of_memory; the next call works', T, async () => {
  await sb.reset();
  const records = await cube.customers(crm).toArray();
  await capMemory();
  await assert.rejects(toXlsx(records), assertOutOfMemory);
  const bytes = await toXlsx(records);
  assert.equal(String.fromCharCode(bytes[0], bytes[1]), 'PK');
});
