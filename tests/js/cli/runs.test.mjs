// Runs as cron makes them, through the packed tarball's `cube`: two syncs on one state (the
// second stops at once with exit 31, before any request, naming the first), a `kill -9` that
// leaves no lock behind, a run killed between delivering its changes and saving the state
// (the next run warns that it may repeat them), SIGTERM (143), the target from --account /
// CUBE_ACCOUNT, and an unexpected error (exit 1).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startSandbox, eventually, DEMO } from '../support/sandbox.mjs';
import { installCli, runCli, tempDir, cleanup, writeSandboxPreload } from './run.mjs';

const CUSTOMERS = 600;
const crm = ['--data-owner', '1', '--crm', 'B2C'];
let sb;
let other;
let bin;
let installed;
let root;
let n = 0;

const envFor = (sandbox) => ({ CUBE_BASE_URL: sandbox.url, CUBE_TOKEN: DEMO.token });
const cube = (args, options = {}) => runCli(bin, args, { env: envFor(sb), ...options });
const folder = () => {
  const dir = path.join(root, `t${++n}`);
  mkdirSync(dir);
  return dir;
};
const apiRequests = async (sandbox) => (await sandbox.requests()).filter((r) => r.path.startsWith('/api/'));

/** Start `cube ARGS` and hand back the child and a promise of its run (code, signal, stderr). */
function startCube(args, env) {
  const child = spawn(bin, args, { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stdout.resume();
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })));
  return { child, done };
}

/**
 * A second sync of a fresh state in `dir`, slowed by the sandbox's latency, sent `signal` once
 * its first request is in: resolves to { state, kept (the state's bytes before), run }.
 */
async function signalMidSync(dir, signal) {
  const state = path.join(dir, 'crm.state');
  assert.equal((await cube(['sync', ...crm, '--state', state, '-q'])).code, 10);
  const kept = readFileSync(state);
  await sb.clearRequests();
  await sb.faults({ latencyMs: 250, rules: [] });
  const run = startCube(['sync', ...crm, '--state', state, '-o', path.join(dir, 'changes.xlsx'), '--concurrency', '1'], envFor(sb));
  try {
    await eventually(async () => (await apiRequests(sb)).length > 0, { what: 'a request of the run' });
    run.child.kill(signal);
    return { state, kept, run: await run.done };
  } finally {
    await sb.clearFaults();
  }
}

before(async () => {
  [sb, other, { bin, dir: installed }] = await Promise.all([
    startSandbox(['--customers', String(CUSTOMERS), '--page-size', '100']),
    startSandbox(['--customers', '50']),
    installCli(),
  ]);
  root = tempDir('cli-runs');
}, { timeout: 120_000 });
after(() => {
  sb?.stop();
  other?.stop();
  cleanup();
});

test('two syncs on one state: the second stops at once with exit 31, naming the first, before any request', { timeout: 90_000 }, async () => {
  const dir = folder();
  const state = path.join(dir, 'crm.state');
  symlinkSync(state, path.join(dir, 'link.state'));
  await sb.clearRequests();
  await sb.faults({ latencyMs: 250, rules: [] });
  const first = startCube(['sync', ...crm, '--state', state, '--concurrency', '1', '-q'], envFor(sb));
  try {
    await eventually(async () => (await apiRequests(sb)).length > 0, { what: 'the first run\'s first request' });
    await other.clearRequests();
    for (const name of [state, path.join(dir, 'link.state')]) {
      // Against another sandbox, so that any request of the second run would show in its log.
      const second = await runCli(bin, ['sync', ...crm, '--state', name, '-q'], { env: envFor(other) });
      assert.equal(second.code, 31, second.stderr);
      assert.match(second.stderr, new RegExp(`^cube: the state file .* is in use by another cube \\(PID ${first.child.pid}, running since .*\\)\\. Two syncs must not share a state`));
      assert.equal(second.stderr.trim().split('\n').length, 1);
      assert.deepEqual(await apiRequests(other), [], 'the second run sent nothing');
    }
    // Another state in the same folder is not locked.
    const free = await runCli(bin, ['sync', ...crm, '--state', path.join(dir, 'other.state'), '-q'], { env: envFor(other) });
    assert.equal(free.code, 10, free.stderr);
  } finally {
    await sb.clearFaults();
  }
  const r = await first.done;
  assert.equal(r.code, 10, r.stderr);
  // Once the first has finished, the state is free again.
  assert.equal((await cube(['sync', ...crm, '--state', state, '-q'])).code, 0);
});

test('kill -9 mid-sync leaves no lock and no temporary file: the next run goes ahead', { timeout: 90_000 }, async () => {
  const dir = folder();
  const { state, kept, run } = await signalMidSync(dir, 'SIGKILL');
  assert.equal(run.signal, 'SIGKILL');
  assert.deepEqual(readFileSync(state), kept, 'the state is as it was');
  const next = await cube(['sync', ...crm, '--state', state, '-o', path.join(dir, 'changes.xlsx'), '-q']);
  assert.equal(next.code, 0, next.stderr);
  assert.deepEqual(readdirSync(dir).sort(), ['crm.state'], 'no lock, no temporary file (and no report: nothing changed)');
});

test('a run killed after delivering its changes but before saving the state: the next run says it may repeat them', { timeout: 90_000 }, async () => {
  const dir = folder();
  const state = path.join(dir, 'crm.state');
  const fifo = path.join(dir, 'changes.fifo');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  // A reader that opens the FIFO and never reads: the run delivers the first 64 KiB of its
  // report (the first night's: every customer added), then waits with its state unsaved.
  const holder = spawn('sh', ['-c', 'exec 3<"$0"; sleep 60', fifo], { stdio: 'ignore' });
  const run = startCube(['sync', ...crm, '--state', state, '-o', fifo, '-q'], envFor(sb));
  try {
    await eventually(() => existsSync(path.join(dir, '.crm.state.pending')), { what: 'the run to start delivering', limitMs: 60_000 });
    run.child.kill('SIGKILL');
    await run.done;
  } finally {
    holder.kill('SIGKILL');
  }
  assert.ok(!existsSync(state), 'the state was never saved');
  const marker = JSON.parse(readFileSync(path.join(dir, '.crm.state.pending'), 'utf8'));
  assert.equal(marker.output, fifo);
  const next = await cube(['sync', ...crm, '--state', state, '--format', 'json', '-q']);
  assert.equal(next.code, 10, next.stderr);
  assert.match(next.stderr, new RegExp(`^cube: warning: the run of .* UTC delivered its changes to "${fifo.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" but stopped before saving the state ".*crm\\.state": the changes this run reports may repeat some of those\\.\\n$`));
  assert.equal(JSON.parse(next.stdout).added.length + JSON.parse(next.stdout).anonymized.length, CUSTOMERS, 'the first night again, in full');
  assert.ok(!existsSync(path.join(dir, '.crm.state.pending')), 'the marker is gone once the state is saved');
  const quiet = await cube(['sync', ...crm, '--state', state, '-q']);
  assert.equal(quiet.code, 0);
  assert.equal(quiet.stderr, '', 'no warning once a state was saved');
});

test('SIGTERM mid-sync: exit 143, the state unchanged, how to resume', { timeout: 90_000 }, async () => {
  const dir = folder();
  const { state, kept, run: r } = await signalMidSync(dir, 'SIGTERM');
  assert.equal(r.code, 143, r.stderr);
  assert.equal(r.signal, null, 'it exited by itself');
  assert.match(r.stderr.trimEnd().split('\n').at(-1), /^cube: interrupted\. Nothing was written to .*changes\.xlsx and the state file .*crm\.state is unchanged: run the same command again/);
  assert.deepEqual(readFileSync(state), kept);
  assert.deepEqual(readdirSync(dir), ['crm.state']);
});

test('SIGTERM while the output FIFO has no reader: exit 143, nothing saved', { timeout: 90_000 }, async () => {
  const dir = folder();
  const state = path.join(dir, 'crm.state');
  const fifo = path.join(dir, 'out.fifo');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  const run = startCube(['sync', ...crm, '--state', state, '-o', fifo, '-q'], envFor(sb));
  // The marker is written just before the output is opened, which waits for a reader.
  await eventually(() => existsSync(path.join(dir, '.crm.state.pending')), { what: 'the run to reach its output', limitMs: 60_000 });
  run.child.kill('SIGTERM');
  const r = await run.done;
  assert.equal(r.code, 143, r.stderr);
  assert.ok(!existsSync(state));
  assert.ok(!existsSync(path.join(dir, '.crm.state.pending')), 'nothing reached a reader: no marker');
});

test('the target from --account and CUBE_ACCOUNT: https://NAME.headshed.com', { timeout: 60_000 }, async () => {
  const dir = folder();
  // Pointed at the sandbox by a preload, as the README's examples are: only that host is mapped.
  const preload = writeSandboxPreload(dir, sb.url);
  const env = { NODE_OPTIONS: `--import ${preload}`, CUBE_TOKEN: DEMO.token };
  const byEnv = await runCli(bin, ['whoami'], { env: { ...env, CUBE_ACCOUNT: 'acme' } });
  assert.equal(byEnv.code, 0, byEnv.stderr);
  assert.equal(JSON.parse(byEnv.stdout).username, DEMO.username);
  const byFlag = await runCli(bin, ['whoami', '--account', 'acme'], { env });
  assert.equal(byFlag.code, 0, byFlag.stderr);
  const elsewhere = await runCli(bin, ['whoami', '--account', 'acme', '--domain', 'cube4sales.com', '--max-retries', '0'], { env });
  assert.equal(elsewhere.code, 27, elsewhere.stderr);
  assert.match(elsewhere.stderr, /acme\.cube4sales\.com/);
  const both = await runCli(bin, ['whoami', '--account', 'acme', '--base-url', sb.url], { env });
  assert.equal(both.code, 2);
});

test('an unexpected error is exit 1 with "This is a bug", and no secret', { timeout: 60_000 }, async () => {
  // A copy of the installed package whose progress module throws a plain Error.
  const dir = folder();
  cpSync(installed, path.join(dir, 'project'), { recursive: true, verbatimSymlinks: true });
  const cli = path.join(dir, 'project/node_modules/cube-integration/cli/progress.mjs');
  writeFileSync(cli, `${readFileSync(cli, 'utf8')}\nexport function createProgress() { throw new Error('progress broke'); }\n`.replace('export function createProgress(', 'function unusedCreateProgress('));
  const r = await runCli(path.join(dir, 'project/node_modules/cube-integration/bin/cube.mjs'), ['customers', ...crm, '--format', 'ndjson'], { env: envFor(sb) });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /^cube: unexpected error: progress broke\. This is a bug in cube-integration; please report it\.\n$/);
  assert.doesNotMatch(r.stderr, new RegExp(DEMO.token));
});

test('the lock module: one holder per state on Linux and with the lock-file fallback; a dead holder\'s lock file is taken over', { timeout: 30_000 }, async () => {
  const { lockState } = await import(path.join(installed, 'node_modules/cube-integration/cli/state-lock.mjs'));
  const dir = folder();
  const state = path.join(dir, 'crm.state');
  for (const platform of ['linux', 'darwin']) {
    const held = await lockState(state, 'crm.state', { platform });
    await assert.rejects(lockState(state, 'crm.state', { platform }), (e) => e.name === 'LockError' && new RegExp(`PID ${process.pid}`).test(e.message));
    held.release();
    const again = await lockState(state, 'crm.state', { platform });
    again.release();
  }
  assert.deepEqual(readdirSync(dir), [], 'no lock file left once released');
  // A lock file whose process is gone (the fallback after kill -9) is taken over.
  const dead = spawnSync('true').pid;
  writeFileSync(path.join(dir, '.crm.state.lock'), JSON.stringify({ pid: dead, since: new Date().toISOString() }));
  const taken = await lockState(state, 'crm.state', { platform: 'darwin' });
  assert.equal(JSON.parse(readFileSync(path.join(dir, '.crm.state.lock'), 'utf8')).pid, process.pid);
  taken.release();
});
