// pager.sync(previous, { updates }): the CRM's update files written by the sync as it finds
// the changes — byte for byte the files updateFile() writes for the same changes with
// `keepUnchangedColumns` (the streamed file has every mapped column), the same summary, in
// CSV and .xlsx; customers added in Cube in the created file; the streams closed at the end
// and aborted when the sync fails; options refused before any request. Against the sandbox
// over HTTP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CubeError, mappingPreset, updateFile } from '../../../pkg/node/index.mjs';
import { startEdited } from '../support/sandbox.mjs';
import { collector } from '../support/streams.mjs';
import { assertRefusedBeforeAnyRequest } from '../support/refusals.mjs';

const crm = { dataOwnerId: 1, crmType: 'B2C' };
let sb;
let cube;
let previous;
let customFields;

before(async () => {
  ({ sb, cube, previous } = await startEdited({ customers: 2000, edits: 120, seed: 7 }));
  // Two customers added in Cube (an import of new ones).
  const sheet = 'Customer ID,Name,Phone 1\nNEW-1,Åse Ødegård,+4791234567\nNEW-2,Bjørn Æsøy,912 34 567\n';
  const res = await fetch(`${sb.url}/_sandbox/import?dataOwnerId=1&crmType=B2C`, { method: 'POST', body: sheet });
  assert.equal(res.status, 200, await res.clone().text());
  customFields = await cube.customFields(crm);
}, { timeout: 120_000 });
after(() => sb?.stop());


const collectors = () => ({ to: collector(), createdTo: collector(), removedTo: collector() });
const streams = (c) => ({ to: c.to.stream, createdTo: c.createdTo.stream, removedTo: c.removedTo.stream });

test('the streamed update files are the whole ones (every column kept), in csv and xlsx, for each preset', { timeout: 180_000 }, async () => {
  const whole = await cube.customers(crm).sync(previous);
  assert.ok(whole.changes.changed.length > 100, 'the edits are found');
  assert.equal(whole.changes.added.length, 2, 'the imported customers are added');
  for (const preset of ['salesforce', 'dynamics365', 'hubspot']) {
    const mapping = await mappingPreset(preset);
    mapping.file.keepUnchangedColumns = true;
    for (const format of ['csv', 'xlsx']) {
      const out = collectors();
      const streamed = await cube.customers(crm).sync(previous, {
        updates: { ...streams(out), mapping: preset, format, customFields },
      });
      const reference = await updateFile(whole.changes, { mapping, format, customFields });
      const what = `${preset} ${format}`;
      for (const [file, c] of [['updates', out.to], ['created', out.createdTo], ['removed', out.removedTo]]) {
        assert.ok(c.seen.closed, `${what}: the ${file} stream is closed`);
        assert.ok(Buffer.from(reference[file]).equals(c.bytes()), `${what}: the ${file} file is the whole one's`);
      }
      assert.deepEqual(streamed.updates, reference.summary, `${what}: the summary`);
      assert.equal(streamed.updates.created, 2, `${what}: the two added customers`);
      assert.ok(streamed.updates.updates > 50, `${what}: rows`);
      assert.equal(streamed.changes.changed, undefined, 'with updates the changes are not gathered');
      assert.deepEqual(streamed.changes.counts, whole.changes.counts, `${what}: counts`);
      assert.ok(Buffer.from(streamed.snapshot).equals(Buffer.from(whole.snapshot)), `${what}: the same snapshot`);
    }
  }
});

test('the updates file is handed out as the pages are read, not at the end', { timeout: 60_000 }, async () => {
  const out = collectors();
  await cube.customers(crm).sync(previous, { updates: { ...streams(out), mapping: 'salesforce', customFields } });
  // 2,000 customers in 8 pages, edits spread over them: the rows arrive in several writes.
  assert.ok(out.to.seen.writes >= 3, `written in ${out.to.seen.writes} writes`);
});

test('syncChanges with updates: batches still handed out, the summary in result.updates', { timeout: 60_000 }, async () => {
  const out = collectors();
  const run = cube.customers(crm).syncChanges(previous, { updates: { ...streams(out), mapping: 'hubspot', customFields } });
  let changed = 0;
  for await (const batch of run) changed += batch.changed.length;
  assert.ok(changed > 100);
  assert.equal(run.result.updates.crm, (await mappingPreset('hubspot')).title);
  assert.ok(out.to.seen.closed);
});

test('a sync that fails part way aborts the update files\' streams: nothing half-written is committed', { timeout: 60_000 }, async () => {
  // Pages 1–3 come through, the fourth is a 500 (no retries in this client).
  await sb.faults({ rules: [{ kind: 'status', route: '/api/v1/', skip: 3, status: 500 }] });
  try {
    const out = collectors();
    await assert.rejects(
      cube.customers(crm).sync(previous, { updates: { ...streams(out), mapping: 'salesforce', customFields } }),
      (e) => e instanceof CubeError && e.code !== 'invalid_argument',
    );
    for (const c of Object.values(out)) {
      assert.ok(c.seen.aborted, 'aborted');
      assert.equal(c.seen.closed, false, 'never closed (a partial file is not committed)');
    }
  } finally {
    await sb.clearFaults();
  }
});

test('bad updates options are refused before any request', { timeout: 60_000 }, async () => {
  const s = () => streams(collectors());
  const { createdTo: _, ...noCreated } = s();
  const cases = [
    [{ updates: 'updates.csv' }, 'updates'],
    [{ updates: { ...noCreated, mapping: 'salesforce' } }, 'updates'],
    [{ updates: { ...s() } }, 'mapping'],
    [{ updates: { ...s(), mapping: 'pipedrive' } }, 'mapping'],
    [{ updates: { ...s(), mapping: { version: 1, key: { crm: 'Id' }, fields: [{ crm: 'Phone', cube: 'crm__nope' }] } } }, 'mapping.fields[0].cube'],
    [{ updates: { ...s(), mapping: 'salesforce', format: 'pdf' } }, 'format'],
    [{ updates: { ...s(), mapping: 'salesforce', extra: 1 } }, 'extra'],
    [{ updates: { ...s(), mapping: 'salesforce' }, baseline: true }, 'updates'],
  ];
  await assertRefusedBeforeAnyRequest(sb, cases, (options) => cube.customers(crm).sync(previous, options), { CubeError });
  await assert.rejects(cube.callOutcomes({ campaignId: 1 }).sync(null, { updates: { ...s(), mapping: 'salesforce' } }),
    (e) => e instanceof CubeError && e.param === 'updates' && /customers list/.test(e.message));
  const sent = (await sb.requests()).filter((r) => r.path.startsWith('/api/'));
  assert.deepEqual(sent, [], 'no request');
});
