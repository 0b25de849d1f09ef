// The files a system administrator names, through the packed tarball's `cube` run as root:
// a device node (made with mknod) and a FIFO written through, symlinks whose target is
// replaced (the link stays), open files (/proc/self/fd/1), file modes under umask 022, the
// state replaced by rename (a hard link keeps the old bytes), temporary files of killed runs
// removed, and every local mistake found before the first request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync, existsSync, linkSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, statSync, symlinkSync, writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { startSandbox, DEMO } from '../support/sandbox.mjs';
import { readXlsx } from '../support/demo.mjs';
import { installCli, runCli, tempDir, cleanup } from './run.mjs';

const CUSTOMERS = 300;
const crm = ['--data-owner', '1', '--crm', 'B2C'];
let sb;
let bin;
let root;
let n = 0;

const env = () => ({ CUBE_BASE_URL: sb.url, CUBE_TOKEN: DEMO.token });
/** `cube ARGS` under umask 022, as cron runs it. */
const cube = (args, options = {}) => runCli('/bin/sh', ['-c', 'umask 022; exec "$0" "$@"', bin, ...args], { env: env(), ...options });
/** A fresh folder for one test. */
const folder = () => {
  const dir = path.join(root, `t${++n}`);
  mkdirSync(dir);
  return dir;
};
const mode = (file) => statSync(file).mode & 0o777;
const apiRequests = async () => (await sb.requests()).filter((r) => r.path.startsWith('/api/'));
const leftovers = (dir) => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

before(async () => {
  [sb, { bin }] = await Promise.all([startSandbox(['--customers', String(CUSTOMERS), '--page-size', '20']), installCli()]);
  root = tempDir('cli-files');
}, { timeout: 120_000 });
after(() => {
  sb?.stop();
  cleanup();
});

test('-o a character device (mknod): written through, still the device afterwards, no temporary file', { timeout: 60_000 }, async () => {
  const dir = folder();
  const dev = path.join(dir, 'null');
  const made = spawnSync('mknod', [dev, 'c', '1', '3']);
  assert.equal(made.status, 0, `mknod (this test runs as root, as CI does): ${made.stderr}`);
  const before = statSync(dev);
  const sync = await cube(['sync', ...crm, '--state', path.join(dir, 's.state'), '-o', dev, '-q']);
  assert.equal(sync.code, 10, sync.stderr);
  const list = await cube(['customers', ...crm, '--format', 'ndjson', '-o', dev]);
  assert.equal(list.code, 0, list.stderr);
  const now = statSync(dev);
  assert.ok(now.isCharacterDevice(), 'still a character device');
  assert.equal(now.rdev, before.rdev, 'the same device');
  assert.equal(now.ino, before.ino, 'the same node');
  assert.deepEqual(leftovers(dir), []);
});

test('-o a FIFO: its reader gets the output, page by page with nothing on stderr; the FIFO stays a FIFO', { timeout: 60_000 }, async () => {
  const dir = folder();
  const fifo = path.join(dir, 'out.fifo');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  const reader = spawn('cat', [fifo]);
  let got = '';
  reader.stdout.on('data', (d) => (got += d));
  const done = new Promise((resolve) => reader.on('close', resolve));
  const r = await cube(['customers', ...crm, '--format', 'ndjson', '-o', fifo, '-q']);
  assert.equal(r.code, 0, r.stderr);
  // 15 pages, each one write: no warning (a listener added per write once tripped Node's at 11).
  assert.equal(r.stderr, '');
  await done;
  assert.equal(got.trim().split('\n').length, CUSTOMERS);
  assert.ok(lstatSync(fifo).isFIFO());
  assert.deepEqual(leftovers(dir), []);
});

test('-o /proc/self/fd/1 (a symlink to the pipe of standard output) writes to standard output', { timeout: 60_000 }, async () => {
  const r = await cube(['customers', ...crm, '--format', 'ndjson', '-o', '/proc/self/fd/1', '-q']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.toString().trim().split('\n').length, CUSTOMERS);
});

test('-o and --state as symlinks: the targets are replaced, the links stay links; modes kept', { timeout: 60_000 }, async () => {
  const dir = folder();
  const real = path.join(dir, 'real');
  mkdirSync(real);
  const realState = path.join(real, 'crm.state');
  const realOut = path.join(real, 'changes.json');
  writeFileSync(realOut, 'old report\n', { mode: 0o640 });
  chmodSync(realOut, 0o640);
  symlinkSync(realOut, path.join(dir, 'changes.json'));
  symlinkSync(path.relative(dir, realState), path.join(dir, 'crm.state'));
  // The state link dangles before the first sync: its target is created.
  const first = await cube(['sync', ...crm, '--state', path.join(dir, 'crm.state'), '-o', path.join(dir, 'changes.json'), '-q']);
  assert.equal(first.code, 10, first.stderr);
  assert.ok(lstatSync(path.join(dir, 'crm.state')).isSymbolicLink(), '--state is still a link');
  assert.ok(lstatSync(path.join(dir, 'changes.json')).isSymbolicLink(), '-o is still a link');
  assert.equal(readlinkSync(path.join(dir, 'changes.json')), realOut);
  assert.ok(lstatSync(realState).isFile(), 'the state link\'s target was created');
  assert.equal(mode(realState), 0o600, 'a new state file is 0600');
  assert.equal(JSON.parse(readFileSync(realOut, 'utf8')).added.length > 0, true, 'the report went to the target');
  assert.equal(mode(realOut), 0o640, 'the existing output kept its mode');
  // The state written through the link is the state: syncing by its real name changes nothing.
  const again = await cube(['sync', ...crm, '--state', realState, '-q']);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(leftovers(dir), []);
  assert.deepEqual(leftovers(real), []);
});

test('modes under umask 022: a new state 0600, a new output 0644, existing files keep theirs', { timeout: 60_000 }, async () => {
  const dir = folder();
  const state = path.join(dir, 'crm.state');
  const out = path.join(dir, 'changes.xlsx');
  assert.equal((await cube(['sync', ...crm, '--state', state, '-o', out, '-q'])).code, 10);
  assert.equal(mode(state), 0o600);
  assert.equal(mode(out), 0o644);
  chmodSync(state, 0o640);
  chmodSync(out, 0o600);
  await sb.edits({ count: 2, dataOwnerId: 1, crmType: 'B2C', seed: 21 });
  assert.equal((await cube(['sync', ...crm, '--state', state, '-o', out, '-q'])).code, 10);
  assert.equal(mode(state), 0o640, 'the chosen mode of the state is kept');
  assert.equal(mode(out), 0o600, 'the chosen mode of the output is kept');
  chmodSync(state, 0o600);
  await sb.edits({ count: 2, dataOwnerId: 1, crmType: 'B2C', seed: 22 });
  assert.equal((await cube(['sync', ...crm, '--state', state, '-o', out, '-q'])).code, 10);
  assert.equal(mode(state), 0o600, 'a chmod 600 state stays 600');
});

test('the state and the output are replaced by rename, never written in place (a hard link keeps the old bytes)', { timeout: 60_000 }, async () => {
  const dir = folder();
  const state = path.join(dir, 'crm.state');
  const out = path.join(dir, 'changes.json');
  assert.equal((await cube(['sync', ...crm, '--state', state, '-o', out, '-q'])).code, 10);
  linkSync(state, path.join(dir, 'state.link'));
  linkSync(out, path.join(dir, 'out.link'));
  const oldState = readFileSync(state);
  const oldOut = readFileSync(out);
  await sb.edits({ count: 3, dataOwnerId: 1, crmType: 'B2C', seed: 31 });
  assert.equal((await cube(['sync', ...crm, '--state', state, '-o', out, '-q'])).code, 10);
  assert.notDeepEqual(readFileSync(state), oldState, 'the state changed');
  assert.deepEqual(readFileSync(path.join(dir, 'state.link')), oldState, 'the old state file was not written into');
  assert.notEqual(statSync(state).ino, statSync(path.join(dir, 'state.link')).ino, 'a new file took its name');
  assert.deepEqual(readFileSync(path.join(dir, 'out.link')), oldOut, 'the old output was not written into');
  assert.notEqual(statSync(out).ino, statSync(path.join(dir, 'out.link')).ino);
});

test('temporary files of killed runs are removed by the next run; a live run\'s are not', { timeout: 60_000 }, async () => {
  const dir = folder();
  const dead = spawnSync('true').pid; // a process that has ended
  const stale = [`.crm.state.${dead}.abc123.tmp`, `.changes.xlsx.${dead}.def456.tmp`, `.other.csv.${dead}.ghi789.tmp`];
  const live = `.crm.state.${process.pid}.jkl012.tmp`;
  for (const f of [...stale, live]) writeFileSync(path.join(dir, f), 'half a file');
  const r = await cube(['sync', ...crm, '--state', path.join(dir, 'crm.state'), '-o', path.join(dir, 'changes.xlsx'), '-q']);
  assert.equal(r.code, 10, r.stderr);
  assert.deepEqual(leftovers(dir).sort(), [`.other.csv.${dead}.ghi789.tmp`, live].sort(), 'only the state\'s and the output\'s leftovers of dead runs are removed');
});

test('local mistakes are found before any request: exit 2 or 30, nothing written', { timeout: 90_000 }, async () => {
  const dir = folder();
  const fifo = path.join(dir, 'state.fifo');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  writeFileSync(path.join(dir, 'a-file'), 'x');
  const state = path.join(dir, 'crm.state');
  const cases = [
    [['-o', ''], 2, /-o needs a file name/],
    [['-o', dir], 30, /is a folder/],
    [['-o', path.join(dir, 'missing', 'changes.xlsx')], 30, /does not exist/],
    [['--state', fifo], 30, /is a FIFO: the state must be a regular file/],
    [['--state', dir], 30, /is a folder: the state must be a regular file/],
    [['--state', path.join(dir, 'missing', 'crm.state')], 30, /does not exist/],
    [['--state', path.join(dir, 'a-file', 'crm.state')], 30, /a-file/],
    [['--state', ''], 2, /--state needs a file name/],
    [['-o', path.join(dir, 'c.xlsx'), '--sheet-name', 'a/b'], 2, /--sheet-name/],
    [['-o', path.join(dir, 'c.xlsx'), '--sheet-name', 'x'.repeat(32)], 2, /--sheet-name/],
    [['-o', path.join(dir, 'c.xlsx'), '--sheet-name', ''], 2, /--sheet-name/],
    [['-o', path.join(dir, 'c.csv'), '--sheet-name', 'Nightly'], 2, /--sheet-name is for xlsx output/],
    [['-o', path.join(dir, 'c.xlsx'), '--bom'], 2, /--bom is for csv output/],
    [['-o', state], 2, /-o and --state name the same file/],
  ];
  for (const [args, code, message] of cases) {
    await sb.clearRequests();
    const r = await cube(['sync', ...crm, '--state', state, ...args]);
    assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, 'one line');
    assert.deepEqual(await apiRequests(), [], `${args.join(' ')}: no request`);
  }
  // The FIFO was refused, not opened: the command did not wait for a writer.
  assert.ok(lstatSync(fifo).isFIFO());
  assert.deepEqual(readdirSync(dir).sort(), ['a-file', 'state.fifo'], 'nothing was written, no state, no temporary file');
  // The same checks for an export.
  for (const [args, code] of [[['-o', dir], 30], [['-o', ''], 2], [['-o', path.join(dir, 'c.xlsx'), '--sheet-name', '[x]'], 2]]) {
    await sb.clearRequests();
    const r = await cube(['customers', ...crm, ...args]);
    assert.equal(r.code, code, r.stderr);
    assert.deepEqual(await apiRequests(), []);
  }
});

test('sync --sheet-name names the changes sheet (Changes by default)', { timeout: 60_000 }, async () => {
  const dir = folder();
  const state = path.join(dir, 'crm.state');
  assert.equal((await cube(['sync', ...crm, '--state', state, '-o', path.join(dir, 'a.xlsx'), '-q'])).code, 10);
  assert.match((await readXlsx(readFileSync(path.join(dir, 'a.xlsx')))).workbook, /<sheet name="Changes"/);
  await sb.edits({ count: 1, dataOwnerId: 1, crmType: 'B2C', seed: 41 });
  const r = await cube(['sync', ...crm, '--state', state, '-o', path.join(dir, 'b.xlsx'), '--sheet-name', 'Nightly 7.12', '-q']);
  assert.equal(r.code, 10, r.stderr);
  assert.match((await readXlsx(readFileSync(path.join(dir, 'b.xlsx')))).workbook, /<sheet name="Nightly 7\.12"/);
  const help = await cube(['sync', '--help']);
  assert.match(help.stdout.toString(), /--sheet-name\s+NAME\s+xlsx: the sheet name \(default Changes\)/);
});

test('-o names a file in a folder that is a symlink: the file is written in the real folder', { timeout: 60_000 }, async () => {
  const dir = folder();
  mkdirSync(path.join(dir, 'real'));
  symlinkSync(path.join(dir, 'real'), path.join(dir, 'via'));
  const r = await cube(['customers', ...crm, '-o', path.join(dir, 'via', 'all.ndjson'), '-q']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(existsSync(path.join(dir, 'real', 'all.ndjson')));
  assert.deepEqual(leftovers(path.join(dir, 'real')), []);
});
