// The examples/sync-crm.mjs script, run twice against a sandbox with Cube users' edits between.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { unzipSync, strFromU8 } from 'fflate';
import { startSandbox, ROOT } from '../support/sandbox.mjs';

// Per test: generous, so only a hang fails by time (CI is a busy 2-core machine).
const T = { timeout: 60_000 };

const run = promisify(execFile);
let sb;
let state;
before(async () => {
  sb = await startSandbox(['--customers', '700']);
  state = mkdtempSync(path.join(tmpdir(), 'cube-example-'));
});
after(() => {
  sb.stop();
  rmSync(state, { recursive: true, force: true });
});

test('first run stores a snapshot; the next prints the changes and writes them to .xlsx', T, async () => {
  const script = path.join(ROOT, 'examples/sync-crm.mjs');
  const args = [script, '--base-url', sb.url, '--token', 'demo-token', '--data-owner', '2', '--crm-type', 'B2B', '--state', state];
  const first = await run('node', args);
  assert.match(first.stdout, /first sync: 700 customers/);
  const edited = await sb.edits({ count: 4, dataOwnerId: 2, crmType: 'B2B' });
  const second = await run('node', args);
  const m = /changed: 4, added: 0, removed: 0, unchanged: (\d+), anonymized \(not matched\): (\d+)/.exec(second.stdout);
  assert.ok(m, second.stdout);
  assert.equal(Number(m[1]) + 4 + Number(m[2]), 700, 'every customer accounted for');
  for (const e of edited.edited) assert.ok(second.stdout.includes(e.customerId), `${e.customerId} listed`);
  const xlsx = readdirSync(state).find((f) => f.endsWith('.xlsx'));
  assert.ok(xlsx, 'an .xlsx was written');
  const sheet = strFromU8(unzipSync(readFileSync(path.join(state, xlsx)))['xl/worksheets/sheet1.xml']);
  const fieldsEdited = edited.edited.reduce((n, e) => n + e.fields.length, 0);
  assert.equal((sheet.match(/<row /g) ?? []).length, 1 + fieldsEdited, 'header + one row per edited field');
  for (const e of edited.edited) {
    for (const f of e.fields) assert.ok(sheet.includes(`>${e.values[f]}<`), `${e.customerId} ${f} → ${e.values[f]}`);
  }

  // A run that fails mid-sync leaves the stored snapshot as it was, and no temporary file.
  const snapshotFile = path.join(state, readdirSync(state).find((f) => f.startsWith('snapshot-')));
  const kept = readFileSync(snapshotFile);
  await sb.faults({ rules: [{ route: '/api/v1/data_owners/', kind: 'status', status: 500, skip: 1 }] });
  const failed = await run('node', args).then(() => null, (e) => e);
  await sb.clearFaults();
  assert.ok(failed, 'the run failed');
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /Cube sync failed \(server\).*previous snapshot is still valid/);
  assert.deepEqual(readFileSync(snapshotFile), kept, 'the snapshot is untouched');
  assert.deepEqual(readdirSync(state).filter((f) => f.endsWith('.tmp')), []);
  const third = await run('node', args);
  assert.match(third.stdout, /changed: 0, added: 0, removed: 0/);
});
