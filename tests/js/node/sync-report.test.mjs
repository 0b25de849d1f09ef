// pager.sync(previous, { report }): the changes report written by the sync as it finds the
// changes — the same rows and cells as changeSheet / changeRows on the whole `changes` (the
// streamed report lists rows as records are read, removed last; the whole one by kind), the
// previous snapshot as a Blob, syncChanges() batches that add up to the whole changes, and
// report options refused before any request. Against the sandbox over HTTP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CubeError, changeRows, changeSheet } from '../../../pkg/node/index.mjs';
import { startEdited } from '../support/sandbox.mjs';
import { collector } from '../support/streams.mjs';
import { assertRefusedBeforeAnyRequest } from '../support/refusals.mjs';
import { parseCsv, readXlsx } from '../support/demo.mjs';

const crm = { dataOwnerId: 1, crmType: 'B2C' };
let sb;
let cube;
let previous;

before(async () => {
  ({ sb, cube, previous } = await startEdited({ customers: 3000, edits: 150, seed: 11 }));
});
after(() => sb?.stop());


const sorted = (rows) => rows.map((r) => JSON.stringify(r)).sort();

test('the streamed report has the rows and cells of the whole one, in csv, ndjson and xlsx', { timeout: 120_000 }, async () => {
  const whole = await cube.customers(crm).sync(previous);
  assert.ok(whole.changes.changed.length > 50, 'the edits are found');
  const customFields = await cube.customFields(crm);
  for (const format of ['csv', 'ndjson', 'xlsx']) {
    const out = collector();
    const streamed = await cube.customers(crm).sync(previous, { report: { to: out.stream, format, customFields } });
    assert.ok(out.seen.closed, `${format}: the report stream is closed`);
    assert.deepEqual(streamed.changes.counts, whole.changes.counts, `${format}: counts`);
    assert.equal(streamed.changes.changed, undefined, 'with a report the changes are not gathered');
    assert.ok(Buffer.compare(Buffer.from(streamed.snapshot), Buffer.from(whole.snapshot)) === 0, 'the same snapshot');
    if (format === 'ndjson') {
      const lines = out.bytes().toString('utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
      const rows = await changeRows(whole.changes, { customFields });
      assert.equal(lines.length, rows.length);
      assert.deepEqual(sorted(lines), sorted(rows));
      continue;
    }
    const reference = await changeSheet(whole.changes, { format, customFields });
    const [mine, theirs] = format === 'csv'
      ? [parseCsv(out.bytes().toString('utf8').replace(/^\uFEFF/, '')), parseCsv(Buffer.from(reference).toString('utf8').replace(/^\uFEFF/, ''))]
      : [(await readXlsx(out.bytes())).rows, (await readXlsx(reference)).rows];
    assert.deepEqual(mine[0], theirs[0], `${format}: the header`);
    assert.equal(mine.length, theirs.length, `${format}: rows`);
    assert.deepEqual(sorted(mine.slice(1)), sorted(theirs.slice(1)), `${format}: the same rows and cells`);
  }
});

test('a previous snapshot given as a Blob gives the same changes as its bytes', { timeout: 60_000 }, async () => {
  const fromBytes = await cube.customers(crm).sync(previous);
  const fromBlob = await cube.customers(crm).sync(new Blob([previous]));
  assert.deepEqual(fromBlob.changes, fromBytes.changes);
});

test('syncChanges hands out batches that add up to the whole changes; leaving early makes no snapshot', { timeout: 60_000 }, async () => {
  const whole = await cube.customers(crm).sync(previous);
  const run = cube.customers(crm).syncChanges(previous);
  const got = { added: [], removed: [], changed: [], anonymized: [] };
  let batches = 0;
  for await (const batch of run) {
    batches += 1;
    for (const k of Object.keys(got)) got[k].push(...batch[k]);
  }
  assert.ok(batches > 1, 'more than one batch');
  for (const k of Object.keys(got)) assert.deepEqual(got[k], whole.changes[k], k);
  assert.deepEqual(run.result.counts, whole.changes.counts);
  assert.ok(run.result.snapshot instanceof Uint8Array);

  const out = collector();
  const early = cube.customers(crm).syncChanges(previous, { snapshotTo: out.stream });
  for await (const _batch of early) break;
  assert.equal(early.result, undefined);
  assert.ok(out.seen.aborted, 'the snapshot stream is aborted');
  assert.equal(out.seen.closed, false);
});

test('bad report options are refused before any request', { timeout: 60_000 }, async () => {
  const to = () => collector().stream;
  const cases = [
    [{ report: { format: 'xlsx' } }, 'report'],
    [{ report: 'changes.xlsx' }, 'report'],
    [{ report: { to: to(), format: 'pdf' } }, 'format'],
    [{ report: { to: to(), format: 'xlsx', sheetName: 'a/b' } }, 'sheetName'],
    [{ report: { to: to(), format: 'csv', delimiter: 'x' } }, 'delimiter'],
    [{ report: { to: to(), onWarning: 'yes' } }, 'onWarning'],
    [{ report: { to: to() }, baseline: true }, 'report'],
  ];
  await assertRefusedBeforeAnyRequest(sb, cases, (options) => cube.customers(crm).sync(previous, options), {
    CubeError,
    label: (options) => JSON.stringify(Object.keys(options.report ?? {})),
  });
});
