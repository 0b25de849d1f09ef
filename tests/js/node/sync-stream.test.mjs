// The streaming sync (`Pager.sync`): pages go from the wire into the records module; only the
// changes come back. Same changes as the array sync; exactly the edits under faults; an abort
// or a failure leaves the previous snapshot usable; bad snapshots are refused before any
// request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
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
const pageOf = (r) => Number(new URLSearchParams(r.query).get('page') ?? 1);

/**
 * What a sync must report, computed from plain reads of the list (never from a sync):
 * `before` is the state the snapshot holds (null: none), `after` what the list reads now.
 * A record with an empty key is anonymized (reported, never matched). A key read twice: the
 * first record with it is matched, reported and kept in the snapshot, the later ones only
 * counted in `duplicateKeys` (`side: 'after'`, `count`: the records with that key), in the
 * order they are found (docs/round-trip.md, "Duplicate keys"); a snapshot keeps one record a
 * key, so there is no 'before' side here.
 */
function expectedChanges(before, after, key = 'crm__customer_id') {
  const keyed = (r) => r[key] !== '' && r[key] != null;
  const firsts = (records) => {
    const first = new Map();
    const count = new Map();
    const found = [];
    for (const r of records.filter(keyed)) {
      const k = String(r[key]);
      count.set(k, (count.get(k) ?? 0) + 1);
      if (count.get(k) === 1) first.set(k, r);
      if (count.get(k) === 2) found.push(k);
    }
    return { first, duplicates: found.map((k) => ({ key: k, side: 'after', count: count.get(k) })) };
  };
  const was = firsts(before ?? []).first;
  const { first: now, duplicates } = firsts(after);
  const changed = [];
  let unchanged = 0;
  for (const [k, a] of now) {
    const b = was.get(k);
    if (!b) continue;
    const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])]
      .filter((f) => !isDeepStrictEqual(b[f] ?? null, a[f] ?? null))
      .map((f) => ({ field: f, before: b[f] ?? null, after: a[f] ?? null }));
    if (fields.length) changed.push({ key: k, before: b, after: a, fields });
    else unchanged += 1;
  }
  const added = [...now].filter(([k]) => !was.has(k)).map(([, r]) => r);
  const removed = [...was].filter(([k]) => !now.has(k)).map(([, r]) => r);
  const anonymized = after.map((record, index) => ({ side: 'after', index, record })).filter((x) => !keyed(x.record));
  return { added, removed, changed, anonymized, duplicateKeys: duplicates, unchanged };
}

/**
 * A version-1 snapshot (what 0.1.0's `sync()` wrote), built here from plain records by the
 * format in records/README.md ("Snapshot format, version 1") and records/src/snapshot.rs:
 * `{ version: 1, key, loose, ignoreFields, fields, records: [[key, fingerprint, values?]] }`,
 * values in `fields` order with trailing nulls cut, the fingerprint the wrapping sum over the
 * compared fields of a 64-bit hash of (field name, 0 byte, the value's loose text), as
 * records/src/value.rs computes it (`Fnv`, `field_hash`), ported to BigInt. Loose mode, and
 * only the value types the sandbox's customers have (strings and integers).
 */
function v1Snapshot(records, { key = 'crm__customer_id', ignoreFields = [], values = true } = {}) {
  const M = (1n << 64n) - 1n;
  const hasher = () => {
    let s = 0xcbf29ce484222325n;
    const h = {
      bytes(b) {
        const whole = b.length - (b.length % 8);
        for (let i = 0; i < whole; i += 8) {
          let w = 0n;
          for (let j = 7; j >= 0; j--) w = (w << 8n) | BigInt(b[i + j]);
          s = ((((s << 5n) | (s >> 59n)) & M ^ w) * 0x517cc1b727220a95n) & M;
        }
        for (let i = whole; i < b.length; i++) s = ((s ^ BigInt(b[i])) * 0x100000001b3n) & M;
        return h;
      },
      finish() {
        let z = s;
        z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M;
        z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M;
        return z ^ (z >> 31n);
      },
    };
    return h;
  };
  const utf8 = (t) => new TextEncoder().encode(t);
  const fingerprint = (r) => {
    let sum = 0n;
    for (const [f, v] of Object.entries(r)) {
      if (ignoreFields.includes(f) || v === null || v === '') continue;
      assert.ok(typeof v === 'string' || Number.isInteger(v), `${f}: ${JSON.stringify(v)} (only strings and integers here)`);
      sum = (sum + hasher().bytes(utf8(f)).bytes([0]).bytes(utf8(String(v))).finish()) & M;
    }
    return sum.toString(16).padStart(16, '0');
  };
  const keyed = records.filter((r) => r[key] !== '' && r[key] != null);
  const fields = [...new Set(keyed.flatMap((r) => Object.keys(r)))].filter((f) => !ignoreFields.includes(f));
  const row = (r) => {
    const v = fields.map((f) => r[f] ?? null);
    while (v.length > 0 && v.at(-1) === null) v.pop();
    return values ? [String(r[key]), fingerprint(r), v] : [String(r[key]), fingerprint(r)];
  };
  return { version: 1, key, loose: true, ignoreFields, fields, records: keyed.map(row) };
}

/** A report made comparable: changed sorted by key, each one's fields by name. */
const comparable = (changes) => ({
  ...changes,
  changed: [...changes.changed]
    .map((c) => ({ ...c, fields: [...c.fields].sort((x, y) => x.field.localeCompare(y.field)) }))
    .sort((x, y) => x.key.localeCompare(y.key)),
});
/** `expectedChanges` with the counts a sync adds. */
const withCounts = (e) => ({
  ...e,
  counts: {
    added: e.added.length, removed: e.removed.length, changed: e.changed.length,
    unchanged: e.unchanged, anonymized: e.anonymized.length, duplicateKeys: e.duplicateKeys.length,
  },
});

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

test('the streaming sync reports the same changes as the array sync, and exactly the edits a plain read shows', T, async () => {
  await sb.reset();
  const first = await cube.customers(crm).sync(undefined);
  const initial = await cube.customers(crm).toArray();
  const firstArray = await sync(null, initial);
  assert.deepEqual(first.changes, firstArray.changes);
  // Independently of either sync: every keyed record of a plain read added, the rest anonymized.
  assert.deepEqual(first.changes, withCounts(expectedChanges(null, initial)));
  const { edited } = await edit(40, 3);
  const streamed = await cube.customers(crm).sync(first.snapshot);
  const records = await cube.customers(crm).toArray();
  // The array sync reads either snapshot: the stream's bytes or its own object.
  const fromBytes = await sync(first.snapshot, records);
  const fromObject = await sync(firstArray.snapshot, records);
  assert.deepEqual(streamed.changes, fromBytes.changes);
  assert.deepEqual(streamed.changes, fromObject.changes);
  // The oracle is the sandbox's own word (which customers it edited, and how) and two plain
  // reads of the list, not a sync: exactly the edited customers changed, each with exactly
  // the fields that differ between the reads, and those include every field the edit names.
  const editedIds = [...new Set(edited.map((e) => e.customerId))].sort();
  assert.ok(editedIds.length > 0);
  const now = new Map(records.map((r) => [r.crm__customer_id, r]));
  for (const e of edited) {
    for (const [field, value] of Object.entries(e.values)) assert.deepEqual(now.get(e.customerId)[field], value, `${e.customerId} ${field}: the plain read shows the edit`);
  }
  const expected = withCounts(expectedChanges(initial, records));
  assert.deepEqual(expected.changed.map((c) => c.key).sort(), editedIds, 'the plain reads differ exactly in the edited customers');
  assert.deepEqual(comparable(streamed.changes), comparable(expected));
  for (const e of edited) {
    const fields = streamed.changes.changed.find((c) => c.key === e.customerId).fields.map((f) => f.field);
    for (const f of e.fields) assert.ok(fields.includes(f), `${e.customerId}: ${f} was edited, reported ${fields}`);
  }
  // Nothing changed since: the new snapshot is the state to compare with; the whole report
  // says so, whichever form the snapshot is passed in (bytes, ArrayBuffer, text).
  const none = withCounts(expectedChanges(records, records));
  assert.equal(none.unchanged, records.filter((r) => r.crm__customer_id !== '').length, 'every keyed record unchanged');
  const again = await cube.customers(crm).sync(streamed.snapshot);
  assert.deepEqual(again.changes, none);
  const buffer = streamed.snapshot.buffer.slice(streamed.snapshot.byteOffset, streamed.snapshot.byteOffset + streamed.snapshot.byteLength);
  assert.deepEqual((await cube.customers(crm).sync(buffer)).changes, none, 'an ArrayBuffer');
  assert.deepEqual((await cube.customers(crm).sync(text(streamed.snapshot))).changes, none, 'its text');
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

test('an abort mid-sync rejects with aborted, reads no page after the abort, returns no snapshot, and the previous one stays usable', T, async () => {
  await sb.reset();
  const first = await cube.customers(crm).sync(null);
  const initial = await cube.customers(crm).toArray();
  const { edited } = await edit(12, 21);
  await sb.clearRequests();
  // A client of its own: one page in flight (so at most 2 pages are fetched ahead of the
  // records module, and 12 pages leave room to see more), each request marked in the
  // sandbox's log and noted here with whether the signal had fired when it was made.
  const controller = new AbortController();
  const made = [];
  const marked = (url, init) => {
    made.push({ page: Number(new URL(url).searchParams.get('page') ?? 1), afterAbort: controller.signal.aborted });
    return fetch(url, { ...init, headers: { ...init.headers, 'x-test-run': 'aborted-sync' } });
  };
  const aborting = new CubeClient({ baseUrl: sb.url, auth: TOKEN, retryDelayMs: 5, concurrency: 1, fetch: marked });
  await assert.rejects(
    aborting.customers({ ...crm, signal: controller.signal, onProgress: (p) => { if (p.page === 3) controller.abort(); } }).sync(first.snapshot),
    (e) => {
      assert.ok(e instanceof CubeError, String(e));
      assert.equal(e.code, 'aborted');
      assert.match(e.message, / \(the sync stopped at page \d+ and returned no snapshot: the previous snapshot is still valid, run the sync again\)$/);
      assert.equal(e.resumePage, undefined);
      return true;
    },
  );
  // The previous snapshot still works; this rerun (unmarked) is also the later point in the
  // server's log that no request of the aborted sync may come after.
  const rerun = await cube.customers(crm).sync(first.snapshot);
  // Exactly what two plain reads show (not another sync): the state of the first snapshot,
  // and the list now.
  const now = await cube.customers(crm).toArray();
  assert.deepEqual(comparable(rerun.changes), comparable(withCounts(expectedChanges(initial, now))));
  assert.deepEqual(rerun.changes.changed.map((c) => c.key).sort(), [...new Set(edited.map((e) => e.customerId))].sort(), 'the edited customers');

  assert.deepEqual(made.filter((m) => m.afterAbort), [], `no page was requested once the signal fired: ${JSON.stringify(made)}`);
  // Page 3 was delivered when the signal fired; with one page in flight, at most pages 4
  // and 5 were fetched ahead: nothing past page 5, each page once, in order.
  const madePages = made.map((m) => m.page);
  assert.ok(madePages.length >= 3 && madePages.length <= 5, `pages the aborted sync asked for: ${madePages}`);
  assert.deepEqual(madePages, Array.from({ length: madePages.length }, (_, i) => i + 1));
  const log = (await sb.requests()).filter((r) => r.path.startsWith(ROUTE));
  const aborted = log.filter((r) => r.headers['x-test-run'] === 'aborted-sync');
  const later = log.filter((r) => r.headers['x-test-run'] === undefined);
  // The server saw the pages asked for, in order, but perhaps not the last: with one request
  // in flight, the one the abort closed may have been closed before it arrived.
  assert.deepEqual(aborted.map(pageOf), madePages.slice(0, aborted.length), `the log has only requests the aborted sync made: ${aborted.map(pageOf)} of ${madePages}`);
  assert.ok(aborted.length >= Math.max(3, madePages.length - 1), `pages 1–3 and all but the last asked for reached the server: ${aborted.map(pageOf)} of ${madePages}`);
  assert.equal(later.length, 24, 'the rerun and the plain read: 12 pages each');
  const rerunStarted = Math.min(...later.map((r) => r.seq));
  // Only the request in flight at the abort (sent before it, closed by it) may reach the
  // server late, after the rerun began; any other would be a page read after the abort.
  const late = aborted.filter((r) => r.seq > rerunStarted).map(pageOf);
  assert.ok(late.length === 0 || (late.length === 1 && late[0] === madePages.at(-1)), `requests of the aborted sync that arrived after the rerun began: ${late}`);
});

test('a failure after the retries says where it stopped and that previous is still valid', T, async () => {
  await sb.reset();
  const first = await cube.customers(crm).sync(null);
  const { edited } = await edit(8, 13);
  // Pages 1–4 are answered, then every request fails. One request at a time, so the 5th
  // request is page 5 and the sync fails there, after its one retry.
  await sb.faults({ rules: [{ route: ROUTE, kind: 'status', status: 500, skip: 4 }] });
  await sb.clearRequests();
  const client = new CubeClient({ baseUrl: sb.url, auth: TOKEN, maxRetries: 1, retryDelayMs: 1, concurrency: 1 });
  await assert.rejects(client.customers(crm).sync(first.snapshot), (e) => {
    assert.ok(e instanceof CubeError, String(e));
    assert.equal(e.code, 'server');
    assert.equal(e.status, 500);
    assert.equal(e.retries, 1);
    assert.equal(e.resumePage, undefined, 'a sync has no resumePage');
    assert.match(e.message, /\?page=5: /, 'the request that failed');
    assert.match(e.message, / \(the sync stopped at page 5 and returned no snapshot: the previous snapshot is still valid, run the sync again\)$/);
    return true;
  });
  const log = (await sb.requests()).filter((r) => r.path.startsWith(ROUTE));
  assert.deepEqual(log.map((r) => [pageOf(r), r.status]), [[1, 200], [2, 200], [3, 200], [4, 200], [5, 500], [5, 500]], 'nothing read after the failure');
  await sb.clearFaults();
  // The previous snapshot still gives the whole report: exactly what a plain read shows
  // against the state it holds (read here from the sandbox's start, before the edits).
  const after = await cube.customers(crm).sync(first.snapshot);
  const now = await cube.customers(crm).toArray();
  await sb.reset();
  const initial = await cube.customers(crm).toArray();
  assert.deepEqual(comparable(after.changes), comparable(withCounts(expectedChanges(initial, now))));
  assert.deepEqual(after.changes.changed.map((c) => c.key).sort(), [...new Set(edited.map((e) => e.customerId))].sort());
});

test('the sync keeps the list read\'s timeout and envelope rules: a bad page fails it as it fails a plain read', { timeout: 120_000 }, async () => {
  await sb.reset();
  const first = await cube.customers(crm).sync(null);
  // Page 1 is answered, page 2 (the 2nd request: one at a time, no retries) meets the fault.
  // The plain read and the sync fail with the code given here, the same status and retries,
  // and the same message but for its end: a sync says that previous is still valid; a plain
  // read says where to resume only after a failure worth resuming (a transient one: a
  // timeout, a cut body, a 5xx), not after an answer that is not Cube's.
  const slow = { timeoutMs: 2000 };
  const cases = [
    ['a body slower than timeoutMs', { kind: 'dribble', chunkBytes: 256, chunkDelayMs: 100 }, slow, 'timeout', /timed out after 2000 ms \(while reading the body\)/],
    ['an answer later than timeoutMs', { kind: 'delay', latencyMs: 60_000 }, slow, 'timeout', /timed out after 2000 ms \(no response\)/],
    ['cut JSON', { kind: 'truncate' }, {}, 'invalid_response', /ends too early/],
    ['an HTML page', { kind: 'html' }, {}, 'invalid_response', /HTML page instead of JSON/],
    ['`results` an object', { kind: 'bad_envelope', variant: 'object' }, {}, 'invalid_response', /expected `results` to be a list/],
    ['no `results`', { kind: 'bad_envelope', variant: 'missing' }, {}, 'invalid_response', /has no `results` list/],
    ['a bare list after an envelope', { kind: 'bad_envelope', variant: 'array' }, {}, 'invalid_response', /page 2 is a bare list/],
    ['invalid UTF-8', { kind: 'invalid_utf8' }, {}, 'invalid_response', /not valid UTF-8/],
    ['a page over maxResponseBytes', { kind: 'huge_record', bytes: 3_000_000 }, { maxResponseBytes: 2_000_000 }, 'invalid_response', /larger than maxResponseBytes \(2000000 bytes\)/],
    ['`next` looping', { kind: 'next_loop' }, {}, 'invalid_response', /points back to page 2/],
    ['a redirect', { kind: 'redirect', status: 302 }, {}, 'invalid_response', /redirect, which is never followed/],
    ['a 503', { kind: 'status', status: 503 }, {}, 'server', /HTTP 503/],
  ];
  const resume = ' (page 1 was delivered; resume with `page: 2`)';
  const stopped = ' (the sync stopped at page 2 and returned no snapshot: the previous snapshot is still valid, run the sync again)';
  for (const [what, rule, options, code, message] of cases) {
    const failures = {};
    for (const how of ['read', 'sync']) {
      await sb.faults({ rules: [{ route: ROUTE, skip: 1, times: 1, ...rule }] });
      await sb.clearRequests();
      const client = new CubeClient({ baseUrl: sb.url, auth: TOKEN, maxRetries: 0, concurrency: 1, ...options });
      const run = how === 'read' ? client.customers(crm).toArray() : client.customers(crm).sync(first.snapshot);
      failures[how] = await run.then(() => assert.fail(`${what}: the ${how} succeeded`), (e) => e);
      assert.ok(failures[how] instanceof CubeError, `${what}, ${how}: ${failures[how]}`);
      assert.deepEqual((await sb.requests()).filter((r) => r.path.startsWith(ROUTE)).map(pageOf), [1, 2], `${what}, ${how}: page 1, then page 2 once`);
    }
    const { read, sync: synced } = failures;
    assert.equal(read.code, code, `${what}: ${read.message}`);
    assert.equal(synced.code, code, `${what}: ${synced.message}`);
    assert.match(read.message, message, what);
    assert.equal(read.resumePage, 2, what);
    assert.equal(synced.resumePage, undefined, what);
    assert.deepEqual([synced.status, synced.retries], [read.status, read.retries], what);
    const hinted = read.message.endsWith(resume);
    assert.equal(hinted, code !== 'invalid_response' || rule.kind === 'truncate', `${what}: the resume hint only after a transient failure: ${read.message}`);
    assert.equal(synced.message, (hinted ? read.message.slice(0, -resume.length) : read.message) + stopped, what);
  }
  await sb.clearFaults();
});

test('the sync keeps the list read\'s envelope rules where a read goes on: a lying count, a foreign next link', T, async () => {
  await sb.reset();
  const first = await cube.customers(crm).sync(null);
  await edit(15, 17);
  const clean = await cube.customers(crm).sync(first.snapshot);
  const other = await startSandbox();
  try {
    const rules = [
      { kind: 'lying_count', factor: 3 },
      { kind: 'lying_count', factor: 0.3 },
      { kind: 'foreign_next', origin: other.url },
    ];
    for (const rule of rules) {
      await sb.faults({ rules: [{ route: ROUTE, ...rule }] });
      await sb.clearRequests();
      const client = new CubeClient({ baseUrl: sb.url, auth: TOKEN, concurrency: 2 });
      const synced = await client.customers(crm).sync(first.snapshot);
      assert.deepEqual(synced.changes, clean.changes, rule.kind);
      assert.equal(text(synced.snapshot), text(clean.snapshot), rule.kind);
      // Each of the 12 pages read once (past an inflated count, only 404s of the window).
      const pages = (await sb.requests()).filter((r) => r.path.startsWith(ROUTE) && r.status === 200).map(pageOf).sort((a, b) => a - b);
      assert.deepEqual(pages, Array.from({ length: 12 }, (_, i) => i + 1), `${rule.kind}: each page once`);
    }
    assert.deepEqual(await other.requests(), [], 'the foreign origin got no request');
  } finally {
    other.stop();
    await sb.clearFaults();
  }
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
    ['a list of customers', JSON.stringify([{ crm__customer_id: '1' }]), /: invalid snapshot: it is not a sync snapshot: invalid type: sequence, expected a snapshot object/],
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
      assert.match(e.message, /^sync\(\): previous is not usable: .*; pass the snapshot the last sync of this same list returned, or null to start over$/, what);
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
    // A sync must see every page to know what was removed: `limit` is refused too, as a sync
    // option and as a list parameter, and so by syncChanges.
    ['limit', () => cube.customers(crm).sync(null, { limit: 100 })],
    ['limit', () => cube.customers(crm).sync(null, { key: 'crm__customer_id', limit: 1 })],
    ['limit', async () => cube.customers({ ...crm, limit: 100 }).sync(null)],
    ['limit', async () => { for await (const _ of cube.customers(crm).syncChanges(null, { limit: 100 })); }],
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

test('every list endpoint syncs: callflow customers, legacy customers (their own default key), call outcomes', T, async () => {
  await sb.reset();
  const info = await sb.info();
  const campaign = info.campaigns[0].id;
  // [list, options, the key the records are matched by]: legacy customers have no
  // crm__customer_id, and with no `key` given their sync matches by customer_id.
  const lists = [
    [() => cube.callflowCustomers({ campaignId: campaign }), undefined, 'crm__customer_id'],
    [() => cube.legacyCustomers({ assignmentId: campaign }), undefined, 'customer_id'],
    [() => cube.legacyCustomers({ assignmentId: campaign }), { key: 'customer_id' }, 'customer_id'],
    [() => cube.callOutcomes({ campaignId: campaign }), { key: 'crm__customer_id' }, 'crm__customer_id'],
  ];
  for (const [pager, options, key] of lists) {
    const first = await pager().sync(null, options);
    const records = await pager().toArray();
    assert.ok(first.changes.added.length > 0, 'records were matched by key');
    assert.deepEqual(first.changes, (await sync(null, records, { ...options, key })).changes);
    // From a plain read, not a sync: each keyed record added, in order; the others anonymized.
    assert.deepEqual(first.changes, withCounts(expectedChanges(null, records, key)));
    const next = await pager().sync(first.snapshot, options);
    assert.deepEqual(next.changes, withCounts(expectedChanges(records, records, key)));
    assert.equal(next.changes.unchanged, first.changes.added.length);
  }
});

test('productRegistrations and legacyResponses sync: the default key (or customer_id), duplicate keys as documented, exactly the edits', T, async () => {
  await sb.reset();
  const { today, dataOwners } = await sb.info();
  const campaignId = dataOwners[0].campaignIds[0];
  const from = new Date(Date.parse(today) - 59 * 86_400_000).toISOString().slice(0, 10);
  const lists = [
    ['product registrations of a CRM', () => cube.productRegistrations({ ...crm, from, to: today }), undefined, 'crm__customer_id'],
    ['product registrations of a campaign', () => cube.productRegistrations({ campaignId, from, to: today }), undefined, 'crm__customer_id'],
    ['legacy responses', () => cube.legacyResponses({ campaignId, from, to: today }), undefined, 'customer_id'], // its default key
  ];
  const firsts = [];
  for (const [what, pager, options, key] of lists) {
    const first = await pager().sync(null, options);
    const before = await pager().toArray();
    const expected = withCounts(expectedChanges(null, before, key));
    assert.ok(expected.added.length > 20, `${what}: ${before.length} records, ${expected.added.length} keyed`);
    assert.deepEqual(first.changes, expected, what);
    assert.equal(JSON.parse(text(first.snapshot).split('\n')[0].replace(/"records":\[$/, '"records":[]}')).key, key, `${what}: the snapshot's key`);
    firsts.push({ first, before, expected });
  }
  // The data has keys read more than once (a customer registered twice, a second response).
  assert.ok(firsts.some((f) => f.expected.duplicateKeys.length > 0), 'duplicate keys were read');
  assert.ok(firsts.every((f) => f.expected.duplicateKeys.every((d) => d.count >= 2)));

  // Cube's users edit a tenth of the CRM's customers: their names and phones in these lists
  // change too. The next sync reports exactly what two plain reads show.
  const { edited } = await edit(600, 29);
  const editedIds = new Set(edited.map((e) => e.customerId));
  let reported = 0;
  for (const [i, [what, pager, options, key]] of lists.entries()) {
    const next = await pager().sync(firsts[i].first.snapshot, options);
    const after = await pager().toArray();
    const expected = withCounts(expectedChanges(firsts[i].before, after, key));
    assert.deepEqual(comparable(next.changes), comparable(expected), what);
    assert.ok(next.changes.changed.every((c) => editedIds.has(c.key)), `${what}: only edited customers changed`);
    reported += next.changes.changed.length;
  }
  assert.ok(reported > 0, 'the edits reached these lists');
});

test('a version-1 snapshot (0.1.0\'s, built here by its format) is read as previous: text, bytes or object, with values or fingerprints only', T, async () => {
  await sb.reset();
  const read = await cube.customers(crm).toArray();
  // The state the snapshot holds: the list read, less one customer (so it is added now) and
  // with one the list does not have (so it is removed now).
  const gone = { ...read.find((r) => r.crm__customer_id !== ''), crm__customer_id: '999999', crm__standard_info__name: 'Gone Customer' };
  const dropped = read.filter((r) => r.crm__customer_id !== '')[7];
  const before = [...read.filter((r) => r !== dropped), gone];
  const { edited } = await edit(25, 31);
  const after = await cube.customers(crm).toArray();
  const expected = withCounts(expectedChanges(before, after));
  assert.deepEqual(expected.added.map((r) => r.crm__customer_id), [dropped.crm__customer_id]);
  assert.deepEqual(expected.removed.map((r) => r.crm__customer_id), ['999999']);
  assert.deepEqual(expected.changed.map((c) => c.key).sort(), [...new Set(edited.map((e) => e.customerId))].sort());

  const v1 = v1Snapshot(before);
  for (const [form, previous] of [['text', JSON.stringify(v1)], ['bytes', new TextEncoder().encode(JSON.stringify(v1))], ['object', v1]]) {
    const { changes, snapshot } = await cube.customers(crm).sync(previous);
    assert.deepEqual(comparable(changes), comparable(expected), form);
    assert.equal(JSON.parse(text(snapshot)).version, 2, `${form}: the new snapshot is version 2`);
    // The version-2 snapshot it wrote holds the list as read now.
    assert.deepEqual((await cube.customers(crm).sync(snapshot)).changes, withCounts(expectedChanges(after, after)), `${form}: a rerun from the new snapshot`);
  }

  // Fingerprints only: changes per record, `before` (of changed and removed) only the key.
  const { changes } = await cube.customers(crm).sync(JSON.stringify(v1Snapshot(before, { values: false })));
  assert.deepEqual(comparable(changes), comparable({
    ...expected,
    removed: expected.removed.map((r) => ({ crm__customer_id: r.crm__customer_id })),
    changed: expected.changed.map((c) => ({ ...c, before: { crm__customer_id: c.key }, fields: [] })),
  }));

  // Made with ignored fields: compared without them; with other options: refused by name.
  const ignoreFields = ['crm__change_log__updated', 'crm__change_log__updated_by', 'crm__change_log__update_method'];
  const ignoring = JSON.stringify(v1Snapshot(before, { ignoreFields }));
  const quiet = await cube.customers(crm).sync(ignoring, { ignoreFields });
  assert.deepEqual(quiet.changes.changed.map((c) => c.key).sort(), expected.changed.map((c) => c.key).sort());
  for (const c of quiet.changes.changed) {
    const want = expected.changed.find((e) => e.key === c.key).fields.filter((f) => !ignoreFields.includes(f.field));
    assert.deepEqual(c.fields, want, c.key);
  }
  await sb.clearRequests();
  for (const [param, options] of [['ignoreFields', undefined], ['loose', { ignoreFields, loose: false }], ['key', { ignoreFields, key: 'crm__standard_info__email' }]]) {
    await assert.rejects(cube.customers(crm).sync(ignoring, options), (e) => e instanceof CubeError && e.code === 'invalid_argument' && e.param === param, param);
  }
  assert.equal(await pagesRequested(), 0, 'refused before any request');
});
