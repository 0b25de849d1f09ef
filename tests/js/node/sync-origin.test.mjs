// The origin a sync state records: a snapshot made against one Cube (here a sandbox on one
// port) and passed to a client of another (the same data on another port) is refused before
// any request, naming both origins, unless `allowOtherOrigin: true` says it is the same Cube;
// a snapshot written before the member existed is accepted against any origin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CubeClient, CubeError } from '../../../pkg/node/index.mjs';
import { ROOT, startSandbox, TOKEN } from '../support/sandbox.mjs';

const T = { timeout: 60_000 };

const crm = { dataOwnerId: 1, crmType: 'B2C' };
// Written by the records crate before the `origin` member existed (see records/tests/stream_origin.rs).
const BEFORE_ORIGIN = readFileSync(path.join(ROOT, 'records/tests/fixtures/v2-without-origin.json'));
let a;
let b;

before(async () => {
  // The same tenant (same seed) twice: one Cube as far as the data goes, two origins.
  [a, b] = await Promise.all([0, 1].map(() => startSandbox(['--customers', '600', '--page-size', '200'])));
});
after(() => {
  a?.stop();
  b?.stop();
});

const client = (sb) => new CubeClient({ baseUrl: sb.url, auth: TOKEN, retryDelayMs: 5 });
const origin = (sb) => new URL(sb.url).origin;
const stored = (snapshot) => JSON.parse(new TextDecoder().decode(snapshot));
const apiRequests = async (sb) => (await sb.requests()).filter((r) => !r.path.startsWith('/_sandbox'));

test('the snapshot names the origin it was made against, right after the list read', T, async () => {
  const { snapshot } = await client(a).customers(crm).sync(null);
  const text = new TextDecoder().decode(snapshot);
  assert.ok(text.includes(`"source":"GET /api/v1/data_owners/1/B2C/customers/","origin":"${origin(a)}","records":[`), text.slice(0, 300));
});

test('a snapshot of another origin is refused before any request, naming both and the fix', T, async () => {
  const { snapshot } = await client(a).customers(crm).sync(null);
  const copy = snapshot.slice();
  await b.clearRequests();
  await assert.rejects(client(b).customers(crm).sync(snapshot), (e) => {
    assert.ok(e instanceof CubeError);
    assert.equal(e.code, 'invalid_argument');
    assert.equal(e.param, 'previous');
    assert.ok(e.message.includes(`made against ${origin(a)};`), e.message);
    assert.ok(e.message.includes(`this client talks to ${origin(b)}.`), e.message);
    assert.match(e.message, /\{ allowOtherOrigin: true \}/);
    assert.match(e.message, /pass null to start over/);
    return true;
  });
  assert.deepEqual(await apiRequests(b), [], 'nothing was requested from the other origin');
  assert.deepEqual(snapshot, copy, 'previous is unchanged');
  // An option of the wrong type is named.
  await assert.rejects(client(b).customers(crm).sync(snapshot, { allowOtherOrigin: 'yes' }), (e) =>
    e instanceof CubeError && e.code === 'invalid_argument' && e.param === 'allowOtherOrigin');
  assert.deepEqual(await apiRequests(b), []);
});

test('allowOtherOrigin: the same Cube under another origin syncs, and the new snapshot names it', T, async () => {
  const first = await client(a).customers(crm).sync(null);
  const moved = await client(b).customers(crm).sync(first.snapshot, { allowOtherOrigin: true });
  assert.equal(moved.changes.unchanged, stored(first.snapshot).count, 'the same tenant: nothing changed');
  assert.equal(moved.changes.added.length + moved.changes.removed.length + moved.changes.changed.length, 0);
  assert.equal(stored(moved.snapshot).origin, origin(b));
  // From now on the state belongs to the new origin.
  const next = await client(b).customers(crm).sync(moved.snapshot);
  assert.equal(next.changes.unchanged, moved.changes.unchanged);
  await assert.rejects(client(a).customers(crm).sync(moved.snapshot), (e) => e.param === 'previous' && e.message.includes(origin(b)));
  // The flag is harmless when the origin is the same.
  const same = await client(b).customers(crm).sync(moved.snapshot, { allowOtherOrigin: true });
  assert.equal(same.changes.unchanged, moved.changes.unchanged);
});

test('a snapshot written before the origin member is accepted against any origin and then records it', T, async () => {
  assert.ok(!BEFORE_ORIGIN.toString().includes('origin'));
  for (const sb of [a, b]) {
    const { changes, snapshot } = await client(sb).customers(crm).sync(BEFORE_ORIGIN);
    assert.deepEqual(changes.removed.map((r) => r.crm__customer_id), ['old-0001', 'old-0002']);
    assert.ok(changes.added.length > 0);
    assert.equal(stored(snapshot).origin, origin(sb));
  }
  // Removing a known origin by hand is damage (the checksum covers it), not a way around.
  const { snapshot } = await client(a).customers(crm).sync(null);
  const stripped = new TextDecoder().decode(snapshot).replace(`,"origin":"${origin(a)}"`, '');
  await assert.rejects(client(b).customers(crm).sync(stripped), (e) => e.param === 'previous' && /checksum/.test(e.message));
});
