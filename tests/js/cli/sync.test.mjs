// `cube sync` and Ctrl-C, from the packed package against the sandbox: exit codes 10/0, the
// changes read back from .xlsx, the same changes under the fault mix, a failed or interrupted
// sync leaving the state file and the output untouched (and saying how to resume), the
// progress bar on a terminal (under `script`), plain lines elsewhere, nothing with --quiet, and
// --baseline (the state with no report; -o refused).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startSandbox, DEMO } from '../support/sandbox.mjs';
import { readXlsx } from '../support/demo.mjs';
import { installCli, runCli, tempDir, cleanup, baseEnv } from './run.mjs';

const CUSTOMERS = 3000;
const crm = ['--data-owner', '1', '--crm', 'B2C'];
const ROUTE = '/api/v1/data_owners/';
let sb;
let bin;
let work;

const env = () => ({ CUBE_BASE_URL: sb.url, CUBE_TOKEN: DEMO.token });
const cube = (args, options = {}) => runCli(bin, args, { env: env(), ...options });
const file = (name) => path.join(work, name);
const temporaryFiles = () => readdirSync(work).filter((f) => f.endsWith('.tmp'));

before(async () => {
  [sb, { bin }] = await Promise.all([startSandbox(['--customers', String(CUSTOMERS), '--page-size', '250']), installCli()]);
  work = tempDir('cli-sync');
}, { timeout: 120_000 });
after(() => {
  sb?.stop();
  cleanup();
});

async function changedRows(xlsxFile) {
  const { rows } = await readXlsx(readFileSync(xlsxFile));
  const header = rows[0].map((c) => c.value);
  return { header, rows: rows.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]?.value ?? '']))) };
}

test('sync: exit 10 when something changed, 0 when nothing did; the changes in .xlsx; the state replaced', { timeout: 90_000 }, async () => {
  await sb.reset();
  const state = file('crm.state');
  const first = await cube(['sync', ...crm, '--state', state, '-o', file('first.xlsx')]);
  assert.equal(first.code, 10, first.stderr);
  assert.match(first.stderr, /sync customers: 3000 records, 12 pages; changed 0, added \d+, removed 0, unchanged 0, anonymized \d+ .*first sync/);
  assert.ok(existsSync(state));
  const again = await cube(['sync', ...crm, '--state', state, '-o', file('none.xlsx')]);
  assert.equal(again.code, 0, again.stderr);
  assert.ok(!existsSync(file('none.xlsx')), 'nothing changed: no report file');
  assert.match(again.stderr, /changed 0, added 0, removed 0, .*; nothing to report, .*none\.xlsx not written; state saved to/);
  // To standard output, the empty report is written all the same: an empty sheet.
  const empty = await cube(['sync', ...crm, '--state', state, '--format', 'xlsx', '-q']);
  assert.equal(empty.code, 0, empty.stderr);
  const sheet = await readXlsx(empty.stdout);
  assert.equal(sheet.rows.length, 1, 'the header only');
  assert.deepEqual(sheet.rows[0].map((c) => c.value).slice(0, 6), ['Change', 'Customer ID', 'Name', 'Field', 'Before', 'After']);

  const edited = await sb.edits({ count: 5, dataOwnerId: 1, crmType: 'B2C', seed: 11 });
  const before = readFileSync(state);
  const changed = await cube(['sync', ...crm, '--state', state, '-o', file('changes.xlsx')]);
  assert.equal(changed.code, 10, changed.stderr);
  assert.match(changed.stderr, /changed 5, added 0, removed 0/);
  assert.notDeepEqual(readFileSync(state), before, 'the state was replaced');
  // The changes report: one row per edited field, with the new value and who changed it.
  const { rows } = await changedRows(file('changes.xlsx'));
  assert.equal(rows.length, edited.edited.reduce((n, e) => n + e.fields.length, 0));
  for (const e of edited.edited) {
    for (const field of e.fields) {
      const row = rows.find((r) => r['Customer ID'] === e.customerId && r['Field key'] === field);
      assert.ok(row, `${e.customerId} ${field} has a row`);
      assert.equal(row.Change, 'changed');
      assert.equal(row.After, e.values[field], `${field} has the new value`);
      assert.equal(row['Updated by'], e.values.crm__change_log__updated_by);
    }
  }
  // json gives the whole report; nothing changed since.
  const report = await cube(['sync', ...crm, '--state', state, '--format', 'json', '-q']);
  assert.equal(report.code, 0);
  assert.equal(report.stderr, '');
  const changes = JSON.parse(report.stdout);
  assert.deepEqual([changes.changed.length, changes.added.length, changes.removed.length], [0, 0, 0]);
  assert.equal(changes.unchanged + changes.anonymized.length, CUSTOMERS);
  assert.deepEqual(temporaryFiles(), []);
});

test('a run that finds no change leaves the last report as it was; --no-clobber never replaces one (exit 30, the state kept)', { timeout: 90_000 }, async () => {
  await sb.reset();
  const state = file('kept-report.state');
  const report = file('kept-report.xlsx');
  const marker = file('.kept-report.state.pending');
  assert.equal((await cube(['sync', ...crm, '--state', state, '-o', report, '-q'])).code, 10);
  const first = readFileSync(report);
  const inode = statSync(report).ino;
  // Nothing changed: the report is neither replaced nor touched, whatever the format; none is created.
  for (const out of [report, file('kept-report.json'), file('kept-report.csv')]) {
    const r = await cube(['sync', ...crm, '--state', state, '-o', out, '-q']);
    assert.equal(r.code, 0, r.stderr);
  }
  assert.deepEqual(readFileSync(report), first, 'the same bytes');
  assert.equal(statSync(report).ino, inode, 'the same file');
  assert.ok(!existsSync(file('kept-report.json')) && !existsSync(file('kept-report.csv')), 'no empty report created');

  // Changes, and the report is there: --no-clobber keeps it, writes nothing, keeps the state.
  const { edited } = await sb.edits({ count: 3, dataOwnerId: 1, crmType: 'B2C', seed: 13 });
  const saved = readFileSync(state);
  const kept = await cube(['sync', ...crm, '--state', state, '-o', report, '--no-clobber', '-q']);
  assert.equal(kept.code, 30, kept.stderr);
  assert.match(kept.stderr, /^cube: .*kept-report\.xlsx exists, and --no-clobber keeps it\. Nothing was written and the state file .*kept-report\.state is unchanged: the next run with another -o reports these changes\.\n$/);
  assert.deepEqual(readFileSync(report), first);
  assert.deepEqual(readFileSync(state), saved);
  assert.ok(!existsSync(marker), 'nothing was delivered: no pending marker');
  assert.deepEqual(temporaryFiles(), []);
  // The next run, to another file, reports them.
  const next = await cube(['sync', ...crm, '--state', state, '-o', file('kept-report-2.xlsx'), '--no-clobber', '-q']);
  assert.equal(next.code, 10, next.stderr);
  const { rows } = await changedRows(file('kept-report-2.xlsx'));
  assert.deepEqual([...new Set(rows.map((r) => r['Customer ID']))].sort(), edited.map((e) => e.customerId).sort());
  // --no-clobber names a file: refused without one, before any request.
  await sb.clearRequests();
  const refused = await cube(['sync', ...crm, '--state', state, '--no-clobber', '-q']);
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /--no-clobber is for -o FILE/);
  assert.equal((await sb.requests()).length, 0);
});

test('sync under the fault mix (503, 429, resets, truncated bodies) reports exactly the edits', { timeout: 120_000 }, async () => {
  await sb.reset();
  const clean = file('clean.state');
  const faulty = file('faulty.state');
  assert.equal((await cube(['sync', ...crm, '--state', clean, '-q'])).code, 10);
  writeFileSync(faulty, readFileSync(clean));
  await sb.edits({ count: 7, dataOwnerId: 1, crmType: 'B2C', seed: 5 });
  const expected = await cube(['sync', ...crm, '--state', clean, '--format', 'json', '-q']);
  assert.equal(expected.code, 10);
  await sb.faults({
    seed: 3,
    rules: [
      { route: ROUTE, kind: 'status', status: 503, rate: 0.1 },
      { route: ROUTE, kind: 'status', status: 429, retryAfter: 0, rate: 0.05 },
      { route: ROUTE, kind: 'reset', rate: 0.05 },
      { route: ROUTE, kind: 'truncate', rate: 0.05 },
    ],
  });
  await sb.clearRequests();
  const got = await cube(['sync', ...crm, '--state', faulty, '--format', 'json', '-q', '--max-retries', '12', '--retry-delay-ms', '5']);
  const log = await sb.requests();
  await sb.clearFaults();
  assert.ok(log.some((r) => r.fault), 'faults were injected');
  assert.equal(got.code, 10, got.stderr);
  assert.deepEqual(JSON.parse(got.stdout), JSON.parse(expected.stdout));
  assert.deepEqual(readFileSync(faulty), readFileSync(clean), 'the same state');
});

test('a sync that fails after its retries writes nothing and keeps the state; the next run completes', { timeout: 60_000 }, async () => {
  await sb.reset();
  const state = file('kept.state');
  assert.equal((await cube(['sync', ...crm, '--state', state, '-q'])).code, 10);
  const kept = readFileSync(state);
  await sb.faults({ rules: [{ route: ROUTE, kind: 'status', status: 500, skip: 4 }] });
  const r = await cube(['sync', ...crm, '--state', state, '-o', file('failed.xlsx'), '--max-retries', '1', '--retry-delay-ms', '1']);
  await sb.clearFaults();
  assert.equal(r.code, 25, r.stderr);
  const last = r.stderr.trimEnd().split('\n').at(-1);
  assert.match(last, /^cube: server: .*What to do: .*Nothing was written to .*failed\.xlsx and the state file .*kept\.state is unchanged: run the same command again/);
  assert.ok(!existsSync(file('failed.xlsx')));
  assert.deepEqual(readFileSync(state), kept);
  assert.deepEqual(temporaryFiles(), []);
  assert.equal((await cube(['sync', ...crm, '--state', state, '-q'])).code, 0);
  // A damaged state file is refused before any request, naming --state.
  writeFileSync(file('bad.state'), readFileSync(state).subarray(0, 100));
  await sb.clearRequests();
  const bad = await cube(['sync', ...crm, '--state', file('bad.state'), '-q']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /invalid_argument \(--state\)/);
  assert.equal((await sb.requests()).length, 0);
});

/** Start `cube ARGS`, send SIGINT once the first progress line is out; resolves to the run. */
function interruptAfterFirstPage(args) {
  let sent = false;
  return runCli(bin, args, {
    env: env(),
    onStderr: (text, child) => {
      if (!sent && /records, page \d+/.test(text)) {
        sent = true;
        child.kill('SIGINT');
      }
    },
  });
}

test('Ctrl-C (SIGINT) mid-sync: exit 130, no output file, the state unchanged, how to resume', { timeout: 60_000 }, async () => {
  await sb.reset();
  const state = file('ctrl-c.state');
  assert.equal((await cube(['sync', ...crm, '--state', state, '-q'])).code, 10);
  const kept = readFileSync(state);
  const { edited } = await sb.edits({ count: 3, dataOwnerId: 1, crmType: 'B2C' });
  // Slow pages, so the run is surely mid-sync when the signal arrives.
  await sb.faults({ latencyMs: 400, rules: [] });
  const r = await interruptAfterFirstPage(['sync', ...crm, '--state', state, '-o', file('ctrl-c.xlsx'), '--concurrency', '1']);
  await sb.clearFaults();
  assert.equal(r.code, 130, r.stderr);
  assert.match(r.stderr.trimEnd().split('\n').at(-1), /^cube: interrupted\. Nothing was written to .*ctrl-c\.xlsx and the state file .*ctrl-c\.state is unchanged: run the same command again/);
  assert.ok(!existsSync(file('ctrl-c.xlsx')));
  assert.deepEqual(readFileSync(state), kept);
  assert.deepEqual(temporaryFiles(), []);
  // Resuming is running it again: the edits are still reported.
  const resumed = await cube(['sync', ...crm, '--state', state, '-o', file('ctrl-c.xlsx'), '-q']);
  assert.equal(resumed.code, 10);
  assert.equal((await changedRows(file('ctrl-c.xlsx'))).rows.length, edited.reduce((n, e) => n + e.fields.length, 0), 'a row per edited field');
});

test('Ctrl-C during an export to a file: exit 130 and no file; to stdout: the page to resume from', { timeout: 60_000 }, async () => {
  await sb.faults({ latencyMs: 300, rules: [] });
  const toFile = await interruptAfterFirstPage(['customers', ...crm, '-o', file('ctrl-c.ndjson'), '--concurrency', '1']);
  assert.equal(toFile.code, 130, toFile.stderr);
  assert.match(toFile.stderr, /cube: interrupted\. Nothing was written to .*ctrl-c\.ndjson: run the same command again\./);
  assert.ok(!existsSync(file('ctrl-c.ndjson')));
  const toStdout = await interruptAfterFirstPage(['customers', ...crm, '--format', 'ndjson', '--concurrency', '1']);
  await sb.clearFaults();
  assert.equal(toStdout.code, 130);
  const m = /Pages 1–(\d+) were written; to continue, run the same command with --page (\d+)\./.exec(toStdout.stderr);
  assert.ok(m, toStdout.stderr);
  assert.equal(Number(m[2]), Number(m[1]) + 1);
  assert.equal(toStdout.stdout.toString().split('\n').filter(Boolean).length, Number(m[1]) * 250, 'exactly the pages it names');
  assert.deepEqual(temporaryFiles(), []);
});

test('progress: a bar on a terminal (script -qc), plain lines otherwise, nothing with --quiet', { timeout: 60_000 }, async () => {
  const out = file('progress.ndjson');
  const command = [bin, 'customers', ...crm, '-o', out, '--concurrency', '1'].map((a) => `'${a}'`).join(' ');
  // `script` gives the command a pseudo-terminal; what it wrote comes out on script's stdout.
  const tty = await new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: baseEnv(env()), stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.stderr.on('data', (d) => (text += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, text }));
  });
  assert.equal(tty.code, 0, tty.text);
  assert.match(tty.text, /\r\x1b\[2Kcustomers \[#+\.*\] [\d,]+\/3,000 records {2}[\d.]+ pages\/s {2}ETA \d+:\d\d/);
  assert.match(tty.text, /\[#{24}\] 3,000\/3,000 records/, 'the bar ends full');
  assert.match(tty.text, /customers: 3000 records, 12 pages → /);
  const plain = await cube(['customers', ...crm, '-o', out]);
  assert.equal(plain.code, 0);
  assert.doesNotMatch(plain.stderr, /[\r\x1b]/, 'no carriage returns or escapes in a log');
  const logLines = plain.stderr.trimEnd().split('\n');
  assert.match(logLines[0], /^customers: 250\/3000 records, page 1, [\d.]+ pages\/s$/);
  assert.match(logLines.at(-1), /^customers: 3000 records, 12 pages → .*progress\.ndjson \([\d.]+ s\)$/);
  const quiet = await cube(['customers', ...crm, '-o', out, '--quiet']);
  assert.equal(quiet.code, 0);
  assert.equal(quiet.stderr, '');
});

test('a state made against another origin: exit 2 naming both origins and --allow-other-origin, the state unchanged; with the flag it syncs', { timeout: 60_000 }, async () => {
  await sb.reset();
  const state = file('origin.state');
  const here = new URL(sb.url).origin; // http://127.0.0.1:PORT
  const other = `http://localhost:${new URL(sb.url).port}`; // the same sandbox under another name
  assert.equal((await cube(['sync', ...crm, '--state', state, '-q'])).code, 10);
  const kept = readFileSync(state);
  assert.equal(JSON.parse(kept.toString()).origin, here);
  const elsewhere = (args) => runCli(bin, args, { env: { ...env(), CUBE_BASE_URL: other } });
  await sb.clearRequests();
  const refused = await elsewhere(['sync', ...crm, '--state', state, '-q']);
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /^cube: invalid_argument \(--state\): /);
  assert.ok(refused.stderr.includes(`made against ${here};`) && refused.stderr.includes(`talks to ${other}.`), refused.stderr);
  assert.match(refused.stderr, /add --allow-other-origin/);
  assert.doesNotMatch(refused.stderr, /allowOtherOrigin/, 'the flag, not the JS option');
  assert.deepEqual(readFileSync(state), kept, 'the state file is unchanged');
  assert.equal((await sb.requests()).length, 0, 'nothing was requested');
  const moved = await elsewhere(['sync', ...crm, '--state', state, '-q', '--allow-other-origin']);
  assert.ok([0, 10].includes(moved.code), moved.stderr);
  assert.equal(JSON.parse(readFileSync(state, 'utf8')).origin, other, 'the new state names the new origin');
  assert.equal((await elsewhere(['sync', ...crm, '--state', state, '-q'])).code, 0);
  assert.deepEqual(temporaryFiles(), []);
});

test('--baseline: the state (0600, the normal run\'s bytes), no report, exit 0, the counts; the next run reports exactly the edits', { timeout: 90_000 }, async () => {
  await sb.reset();
  const state = file('baseline.state');
  const marker = file('.baseline.state.pending');
  const base = await cube(['sync', ...crm, '--state', state, '--baseline']);
  assert.equal(base.code, 0, base.stderr);
  assert.equal(base.stdout.length, 0, 'no report');
  const m = /^sync customers: baseline of 3000 records, 12 pages; changed 0, added (\d+), removed 0, unchanged 0, anonymized (\d+) \(not matched\) \(not reported\); state saved to .*baseline\.state \([\d.]+ s\)$/m.exec(base.stderr);
  assert.ok(m, base.stderr);
  assert.equal(Number(m[1]) + Number(m[2]), CUSTOMERS);
  assert.equal(statSync(state).mode & 0o777, 0o600, 'a new state is 0600');
  assert.ok(!existsSync(marker), 'no pending marker: nothing was delivered');
  // The same state a normal first run saves.
  assert.equal((await cube(['sync', ...crm, '--state', file('normal.state'), '-q'])).code, 10);
  assert.deepEqual(readFileSync(state), readFileSync(file('normal.state')));

  const { edited } = await sb.edits({ count: 4, dataOwnerId: 1, crmType: 'B2C', seed: 21 });
  const next = await cube(['sync', ...crm, '--state', state, '--format', 'json', '-q']);
  assert.equal(next.code, 10, next.stderr);
  const changes = JSON.parse(next.stdout);
  assert.deepEqual(changes.changed.map((c) => c.key).sort(), edited.map((e) => e.customerId).sort());
  assert.deepEqual([changes.added.length, changes.removed.length], [0, 0]);
  assert.deepEqual([changes.counts.changed, changes.counts.unchanged], [4, Number(m[1]) - 4]);

  // A re-baseline over an existing state: counted against it, not reported; its mode kept;
  // a marker left by an interrupted run is cleared (the saved state repeats nothing).
  await sb.edits({ count: 3, dataOwnerId: 1, crmType: 'B2C', seed: 22 });
  chmodSync(state, 0o640);
  writeFileSync(marker, `${JSON.stringify({ at: '2026-01-01T00:00:00.000Z', output: 'x.xlsx' })}\n`);
  const again = await cube(['sync', ...crm, '--state', state, '--baseline']);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stdout.length, 0);
  assert.match(again.stderr, /baseline of 3000 records, 12 pages; changed 3, added 0, removed 0, .*\(against the last state; not reported\); state saved to/);
  assert.equal(statSync(state).mode & 0o777, 0o640, 'an existing state keeps its mode');
  assert.ok(!existsSync(marker), 'the marker is cleared once the state is saved');
  assert.equal((await cube(['sync', ...crm, '--state', state, '-q'])).code, 0, 'nothing changed since the re-baseline');
  assert.deepEqual(temporaryFiles(), []);
});

test('--baseline with -o or another output flag: exit 2 before any request, nothing written', { timeout: 60_000 }, async () => {
  const state = file('refused.state');
  await sb.clearRequests();
  for (const [flags, named] of [[['-o', file('x.xlsx')], '-o'], [['--format', 'json'], '--format'], [['--sheet-name', 'S'], '--sheet-name'], [['--no-clobber'], '--no-clobber']]) {
    const r = await cube(['sync', ...crm, '--state', state, '--baseline', ...flags]);
    assert.equal(r.code, 2, r.stderr);
    assert.ok(r.stderr.includes(`--baseline writes no report: leave out ${named}`), r.stderr);
    assert.equal(r.stdout.length, 0);
  }
  assert.equal((await sb.requests()).length, 0, 'nothing was requested');
  assert.ok(!existsSync(state) && !existsSync(file('x.xlsx')));
  const help = await cube(['sync', '--help']);
  assert.match(help.stdout.toString(), /--baseline: the run saves the state and writes no report/);
  assert.match(help.stdout.toString(), /0 nothing changed \(no -o file written; and every --baseline run\)/);
});
