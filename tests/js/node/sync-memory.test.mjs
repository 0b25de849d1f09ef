// The streaming sync holds what matching needs, not the list: the records module's peak use
// during a sync of 200,000 customers exceeds that of 20,000 by no more than the documented
// cost per record (64 bytes, README "Memory") × the 180,000 more, plus a constant — a bound
// that a design holding the list (the previous snapshot, the changes, the new snapshot) whole
// cannot meet: the snapshot alone grows by more than that. Two nights: a first night with
// every change handed out, and a night where every record changed (the previous snapshot
// made against a sandbox of the same customers half a year earlier: every change-log date
// differs). Peaks are
// read with a test hook of the records module's allocator (bytes in use, not pages), over
// real HTTP against the sandbox.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CubeClient } from '../../../pkg/node/index.mjs';
import { startSandbox, TOKEN } from '../support/sandbox.mjs';

const crm = { dataOwnerId: 1, crmType: 'B2C' };
const PER_RECORD = 64;
const SLACK = 6 << 20;
const SIZES = [20_000, 200_000];
const sandboxes = {};
const earlier = {};

before(async () => {
  for (const n of SIZES) {
    const args = ['--customers', String(n), '--page-size', '1000'];
    sandboxes[n] = await startSandbox(args);
    earlier[n] = await startSandbox([...args, '--today', '2025-06-01']);
  }
});
after(() => [...Object.values(sandboxes), ...Object.values(earlier)].forEach((sb) => sb.stop()));

/** A WritableStream that counts the bytes (and keeps them when asked). */
function counter(keep = false) {
  const seen = { bytes: 0, chunks: [] };
  const stream = new WritableStream({
    write: (c) => {
      seen.bytes += c.length;
      if (keep) seen.chunks.push(Uint8Array.from(c));
    },
  });
  return { seen, stream };
}

/** The snapshot of a sync against the sandbox of half a year earlier. */
async function earlierSnapshot(n) {
  const cube = new CubeClient({ baseUrl: earlier[n].url, auth: TOKEN, maxRetries: 0 });
  const out = counter(true);
  for await (const _ of cube.customers(crm).syncChanges(null, { snapshotTo: out.stream, baseline: true }));
  return Buffer.concat(out.seen.chunks);
}

/** One sync's batches consumed as they come; the records module's peak meanwhile. */
async function peakOf(cube, previous, expect) {
  const rt = cube._runtime();
  await rt._testTakePeakBytes();
  const snapshot = counter();
  const run = cube.customers(crm).syncChanges(previous, { snapshotTo: snapshot.stream, allowOtherOrigin: true });
  let reported = 0;
  for await (const batch of run) reported += batch.added.length + batch.changed.length + batch.removed.length;
  const peak = await rt._testTakePeakBytes();
  expect(run.result.counts, reported);
  return { peak, snapshotBytes: snapshot.seen.bytes };
}

async function nights(n) {
  const cube = new CubeClient({ baseUrl: sandboxes[n].url, auth: TOKEN, maxRetries: 0 });
  const first = await peakOf(cube, null, (counts, reported) => {
    assert.equal(counts.added + counts.anonymized, n);
    assert.equal(reported, counts.added, 'every added record is handed out');
  });
  const previous = await earlierSnapshot(n);
  const everyChanged = await peakOf(cube, previous, (counts, reported) => {
    assert.equal(counts.added, 0);
    assert.ok(counts.changed >= 0.95 * (n - counts.anonymized), `${counts.changed} of ${n} changed`);
    assert.equal(reported, counts.changed);
  });
  return { first, everyChanged };
}

test('what a sync holds grows by the cost per record, not by the list', { timeout: 600_000 }, async () => {
  const small = await nights(SIZES[0]);
  const large = await nights(SIZES[1]);
  const more = SIZES[1] - SIZES[0];
  const bound = more * PER_RECORD + SLACK;
  for (const night of ['first', 'everyChanged']) {
    const growth = large[night].peak - small[night].peak;
    const MB = (b) => `${(b / 2 ** 20).toFixed(1)} MB`;
    assert.ok(growth <= bound, `${night}: the peak grew by ${MB(growth)} for ${more} more customers; at most ${MB(bound)}`);
    // The bound tells the designs apart: holding the new snapshot alone would exceed it.
    const whole = large[night].snapshotBytes - small[night].snapshotBytes;
    assert.ok(whole > bound, `${night}: the snapshot grew by ${MB(whole)}, not more than the bound ${MB(bound)}`);
  }
});
