// `cube sync --mapping M --updates FILE`, from the packed package against the sandbox: the
// CRM's update file holds exactly the customers Cube's users edited, in the CRM's columns;
// customers added in Cube go to FILE-created beside it; a file with no rows is not written;
// -o is written beside it or left out; --crm-records splits names by the CRM's first names;
// --no-clobber refuses before anything is committed; a FIFO and a symlink are treated as -o
// treats them; every mistake is refused before any request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readCsv } from '../../../pkg/node/index.mjs';
import { cliAgainstSandbox } from './run.mjs';

const crm = ['--data-owner', '1', '--crm', 'B2C'];
const { sandbox, cube, file } = cliAgainstSandbox(['--customers', '600', '--page-size', '100'], 'cli-sync-updates');
const rows = async (name) => (await readCsv(readFileSync(file(name)), { delimiter: ',' })).records;

/** A fresh sandbox and a baseline state; resolves to the state file's path. */
async function baseline(name) {
  await sandbox().reset();
  const state = file(`${name}.state`);
  const run = await cube(['sync', ...crm, '--state', state, '--baseline', '-q']);
  assert.equal(run.code, 0, run.stderr);
  return state;
}

const listRequests = async () => (await sandbox().requests()).filter((r) => r.path.includes('/customers'));

test('--updates: a row per edited customer in the CRM\'s columns, no report, exit 10; the next run writes nothing', { timeout: 90_000 }, async () => {
  const state = await baseline('plain');
  const { edited } = await sandbox().edits({ count: 6, dataOwnerId: 1, crmType: 'B2C', seed: 4 });
  const run = await cube(['sync', ...crm, '--state', state, '--mapping', 'salesforce', '--updates', file('plain.csv')]);
  assert.equal(run.code, 10, run.stderr);
  assert.equal(run.stdout.length, 0, 'no report on standard output');
  const got = await rows('plain.csv');
  assert.deepEqual(got.map((r) => r.Id).sort(), edited.map((e) => e.customerId).sort());
  const column = { crm__standard_info__phone_1: 'Phone', crm__standard_info__email: 'Email' };
  for (const e of edited) {
    const row = got.find((r) => r.Id === e.customerId);
    for (const f of e.fields.filter((f) => column[f])) {
      const value = e.values[f];
      const expected = f === 'crm__standard_info__email' ? value.toLowerCase() : `+47${value.replace(/\D/g, '').replace(/^47(?=\d{8}$)/, '')}`;
      assert.equal(row[column[f]], expected, `${e.customerId} ${f}`);
    }
  }
  assert.ok(!existsSync(file('plain-created.csv')) && !existsSync(file('plain-removed.csv')), 'no rows: not written');
  assert.match(run.stderr, /updates 6 → .*plain\.csv, created 0 \(not written\), removed 0 \(not written\); state saved/);

  const before = readFileSync(file('plain.csv'));
  const again = await cube(['sync', ...crm, '--state', state, '--mapping', 'salesforce', '--updates', file('plain.csv')]);
  assert.equal(again.code, 0, again.stderr);
  assert.ok(readFileSync(file('plain.csv')).equals(before), 'an update file with no rows is not put over the last one');
  assert.match(again.stderr, /updates 0 \(not written\)/);
});

test('customers added in Cube go to FILE-created beside it, with -o written too', { timeout: 90_000 }, async () => {
  const state = await baseline('added');
  const sheet = 'Customer ID,Name,Phone 1\nCRM-900,Åse Ødegård,912 34 567\n';
  const res = await fetch(`${sandbox().url}/_sandbox/import?dataOwnerId=1&crmType=B2C`, { method: 'POST', body: sheet });
  assert.equal(res.status, 200, await res.text());
  const run = await cube(['sync', ...crm, '--state', state, '--mapping', 'hubspot', '--updates', file('added.csv'), '-o', file('added-report.xlsx')]);
  assert.equal(run.code, 10, run.stderr);
  const created = await rows('added-created.csv');
  assert.deepEqual(created.map((r) => [r['Record ID'], r.firstname, r.lastname, r.phone]), [['CRM-900', 'Åse', 'Ødegård', '+4791234567']]);
  assert.ok(existsSync(file('added-report.xlsx')), 'the report beside the update files');
  assert.ok(!existsSync(file('added.csv')), 'no customer changed: no updates file');
});

test('--crm-records: the CRM\'s own first name keeps a two-word first name whole', { timeout: 90_000 }, async () => {
  await sandbox().reset();
  const sheet = 'Customer ID,Name\nC-1,Anne Marie Ås Øvre\n';
  await fetch(`${sandbox().url}/_sandbox/import?dataOwnerId=1&crmType=B2C`, { method: 'POST', body: sheet });
  const state = file('names.state');
  assert.equal((await cube(['sync', ...crm, '--state', state, '--baseline', '-q'])).code, 0);
  // The import updates the name as a Cube user would: the last name changed.
  const update = 'Customer ID,Name\nC-1,Anne Marie Ås Hansen\n';
  await fetch(`${sandbox().url}/_sandbox/import?dataOwnerId=1&crmType=B2C`, { method: 'POST', body: update });
  writeFileSync(file('export.csv'), 'Id,FirstName,LastName\nC-1,Anne Marie,Ås Øvre\n');
  const run = await cube(['sync', ...crm, '--state', state, '--mapping', 'salesforce', '--updates', file('names.csv'), '--crm-records', file('export.csv')]);
  assert.equal(run.code, 10, run.stderr);
  const [row] = await rows('names.csv');
  assert.equal(row.Id, 'C-1');
  assert.equal(row.LastName, 'Ås Hansen', 'split after the CRM\'s first name');
  assert.equal(row.FirstName, '', 'the first name unchanged');
});

test('--no-clobber: an update file already there keeps everything as it was, exit 30', { timeout: 90_000 }, async () => {
  const state = await baseline('kept');
  await sandbox().edits({ count: 3, dataOwnerId: 1, crmType: 'B2C', seed: 8 });
  writeFileSync(file('kept.csv'), 'yesterday\n');
  const stateBefore = readFileSync(state);
  const run = await cube(['sync', ...crm, '--state', state, '--mapping', 'salesforce', '--updates', file('kept.csv'), '-o', file('kept.xlsx'), '--no-clobber']);
  assert.equal(run.code, 30, run.stderr);
  assert.match(run.stderr, /kept\.csv.* exists, and --no-clobber keeps it/);
  assert.equal(readFileSync(file('kept.csv'), 'utf8'), 'yesterday\n');
  assert.ok(!existsSync(file('kept.xlsx')), 'nothing committed, the report neither');
  assert.ok(readFileSync(state).equals(stateBefore), 'the state kept: the next run reports the changes');
});

test('a symlink\'s target is replaced and the link stays; a FIFO is written into', { timeout: 90_000 }, async () => {
  const state = await baseline('links');
  const { edited } = await sandbox().edits({ count: 2, dataOwnerId: 1, crmType: 'B2C', seed: 9 });
  writeFileSync(file('real.csv'), 'old\n', { mode: 0o640 });
  symlinkSync(file('real.csv'), file('link.csv'));
  const fifo = file('created.fifo');
  execFileSync('mkfifo', [fifo]);
  const reading = new Promise((resolve) => {
    const chunks = [];
    import('node:fs').then(({ createReadStream }) => createReadStream(fifo).on('data', (c) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks).toString('utf8'))));
  });
  const run = await cube(['sync', ...crm, '--state', state, '--mapping', 'salesforce', '--updates', file('link.csv'), '--created', fifo]);
  assert.equal(run.code, 10, run.stderr);
  assert.ok(lstatSync(file('link.csv')).isSymbolicLink(), 'the link stays a link');
  assert.equal(readlinkSync(file('link.csv')), file('real.csv'));
  assert.equal((statSync(file('real.csv')).mode & 0o777).toString(8), '640', 'the file keeps its mode');
  assert.equal((await rows('real.csv')).length, edited.length);
  assert.match(await reading, /^Id,FirstName,LastName,Phone/, 'the FIFO got the created file (its header: no customer added)');
  assert.ok(!existsSync(file('link-removed.csv')), 'no customer removed: not written');
});

test('mistakes are refused before any request: exit 2, a file that cannot be read 30', { timeout: 90_000 }, async () => {
  await sandbox().reset();
  const state = file('refused.state');
  execFileSync('mkfifo', [file('out.fifo')]);
  const cases = [
    [['--updates', file('u.csv')], /--updates needs --mapping M/],
    [['--mapping', 'salesforce'], /--mapping needs --updates FILE/],
    [['--created', file('c.csv')], /--created needs --updates FILE/],
    [['--mapping', 'pipedrive', '--updates', file('u.csv')], /"pipedrive" is not a preset/],
    [['--mapping', file('nope.json'), '--updates', file('u.csv')], /cannot read the mapping/, 30],
    [['--mapping', 'salesforce', '--updates', state], /--updates and --state name the same file/],
    [['--mapping', 'salesforce', '--updates', file('out.fifo')], /not a regular file, so --created has no default/],
    [['--mapping', 'salesforce', '--updates', file('u.csv'), '--created', file('u.csv')], /--created and --updates name the same file/],
    [['--mapping', 'salesforce', '--updates', file('u.csv'), '--list', 'legacy-customers', '--assignment', '1'], /--updates is for --list customers, not legacy-customers/],
    [['--mapping', 'salesforce', '--updates', file('u.csv'), '--baseline'], /--baseline writes no report: leave out --mapping, --updates/],
    [['--mapping', 'salesforce', '--updates', file('u.csv'), '-o', file('r.json')], /--updates takes an -o report in xlsx, csv or ndjson/],
  ];
  await sandbox().clearRequests();
  for (const [args, message, code = 2] of cases) {
    // The legacy lists take no CRM parameters.
    const run = await cube(['sync', ...(args.includes('--list') ? [] : crm), '--state', state, ...args]);
    assert.equal(run.code, code, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, message, args.join(' '));
  }
  assert.deepEqual(await listRequests(), [], 'no list request');
  assert.ok(!existsSync(state) && !existsSync(file('u.csv')));
});
