// The README's nightly cron job, pkg-template/docs/nightly-recipe.sh, run as cron runs it: the
// script's own commands (`npx --no-install cube sync …`) in the folder where the packed
// package is installed, against the sandbox. Only the lines a site edits are changed (the
// folder, the account) and the clock is set (a `date` on PATH that answers CUBE_TEST_NOW), so
// runs fall on the same day, or the same second, at will.
//
// A second run on the same day that finds nothing keeps the first one's report, byte for byte
// (also when both runs would name the same report); a run whose report name is taken fails
// with 30 and loses nothing; cube's error codes pass through the script.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, startSandbox, DEMO } from '../support/sandbox.mjs';
import { codeBlocks } from '../support/readme-blocks.mjs';
import { installCli, tempDir, cleanup } from './run.mjs';

const RECIPE = path.join(ROOT, 'pkg-template/docs/nightly-recipe.sh');
const SITE = '/srv/cube';
const OWNER = { dataOwnerId: 12, crmType: 'B2C' };

let sb;
let site; // the installed project: the recipe's /srv/cube
let script;
let clock; // the folder of the fake `date`

before(async () => {
  let installed;
  [sb, installed] = await Promise.all([
    // Data owner 12, as in the recipe.
    startSandbox(['--data-owners', '12', '--customers', '400', '--page-size', '100']),
    installCli(),
  ]);
  site = installed.dir;
  // The recipe with the site's own values: its folder and its Cube (the sandbox).
  const recipe = readFileSync(RECIPE, 'utf8');
  const account = /^export CUBE_ACCOUNT=acme\b.*$/m;
  assert.match(recipe, account, 'the recipe sets CUBE_ACCOUNT');
  assert.ok(recipe.split(SITE).length > 3, 'the recipe works in /srv/cube');
  const local = recipe.replace(account, `export CUBE_BASE_URL=${sb.url}`).replaceAll(SITE, site);
  // Nothing else differs: every other line runs as written.
  const a = recipe.split('\n');
  const b = local.split('\n');
  assert.equal(a.length, b.length);
  const edited = a.filter((line, i) => line !== b[i]);
  assert.ok(edited.every((line) => line.includes(SITE) || account.test(line)), edited.join('\n'));
  script = path.join(tempDir('recipe'), 'nightly.sh');
  writeFileSync(script, local, { mode: 0o755 });
  writeFileSync(path.join(site, 'token'), `${DEMO.token}\n`, { mode: 0o600 });
  // `date` at a set time (GNU or busybox date: -d).
  const realDate = spawnSync('sh', ['-c', 'command -v date'], { encoding: 'utf8' }).stdout.trim();
  clock = tempDir('clock');
  writeFileSync(path.join(clock, 'date'), `#!/bin/sh\nexec ${realDate} -u -d "$CUBE_TEST_NOW" "$@"\n`, { mode: 0o755 });
}, { timeout: 120_000 });
after(() => {
  sb?.stop();
  cleanup();
});

/** Run the recipe as cron would at `now` ('YYYY-MM-DD HH:MM:SS'): { code, stdout, stderr }. */
function nightly(now) {
  return new Promise((resolve, reject) => {
    const env = {
      PATH: `${clock}:${process.env.PATH}`,
      HOME: process.env.HOME,
      LANG: 'C.UTF-8',
      CUBE_TEST_NOW: now,
      npm_config_cache: path.join(site, '.npm-cache'),
      npm_config_update_notifier: 'false',
    };
    const child = spawn('sh', [script], { env, cwd: '/', stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the recipe did not finish within 90 s; stderr: ${stderr}`));
    }, 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const reports = () => (existsSync(path.join(site, 'changes')) ? readdirSync(path.join(site, 'changes')).sort() : []);
const report = (name) => readFileSync(path.join(site, 'changes', name));
const state = () => readFileSync(path.join(site, 'crm-12.state'));

test('two runs on one day, edits before the first only: the first run\'s report is intact after the second', { timeout: 180_000 }, async () => {
  // The first night reports every customer as added.
  const first = await nightly('2024-03-04 02:30:00');
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stdout, `changes in ${site}/changes/2024-03-04_023000.xlsx\n`);
  assert.equal(first.stderr, '');

  // Cube's users edit five customers; the night's run reports them.
  await sb.edits({ count: 5, ...OWNER, seed: 7 });
  const morning = await nightly('2024-03-05 02:30:00');
  assert.equal(morning.code, 0, morning.stderr);
  assert.equal(morning.stdout, `changes in ${site}/changes/2024-03-05_023000.xlsx\n`);
  const kept = report('2024-03-05_023000.xlsx');

  // A second run that day finds nothing: no report, none deleted, the morning's intact.
  const later = await nightly('2024-03-05 14:00:00');
  assert.equal(later.code, 0, later.stderr);
  assert.equal(later.stdout, '', 'nothing to mail');
  assert.equal(later.stderr, '');
  assert.deepEqual(reports(), ['2024-03-04_023000.xlsx', '2024-03-05_023000.xlsx']);
  assert.deepEqual(report('2024-03-05_023000.xlsx'), kept, 'the same bytes');

  // Even a run that falls on the same second, so names the same report, leaves it as it was.
  const same = await nightly('2024-03-05 02:30:00');
  assert.equal(same.code, 0, same.stderr);
  assert.equal(same.stdout, '');
  assert.deepEqual(reports(), ['2024-03-04_023000.xlsx', '2024-03-05_023000.xlsx']);
  assert.deepEqual(report('2024-03-05_023000.xlsx'), kept, 'the same bytes');

  // With changes to report under a name already taken: exit 30, the report and the state kept;
  // the next run reports those changes in a report of its own.
  await sb.edits({ count: 2, ...OWNER, seed: 8 });
  const before = state();
  const taken = await nightly('2024-03-05 02:30:00');
  assert.equal(taken.code, 30, taken.stderr);
  assert.equal(taken.stdout, '');
  assert.match(taken.stderr, /^cube: changes\/2024-03-05_023000\.xlsx exists, and --no-clobber keeps it\. Nothing was written and the state file crm-12\.state is unchanged: the next run with another -o reports these changes\.\n$/);
  assert.deepEqual(report('2024-03-05_023000.xlsx'), kept, 'the same bytes');
  assert.deepEqual(state(), before);
  const next = await nightly('2024-03-05 14:00:01');
  assert.equal(next.code, 0, next.stderr);
  assert.equal(next.stdout, `changes in ${site}/changes/2024-03-05_140001.xlsx\n`);
  assert.deepEqual(reports(), ['2024-03-04_023000.xlsx', '2024-03-05_023000.xlsx', '2024-03-05_140001.xlsx']);
  assert.deepEqual(report('2024-03-05_023000.xlsx'), kept, 'the same bytes');
  assert.deepEqual(readdirSync(path.join(site, 'changes')).filter((f) => f.endsWith('.tmp')), [], 'no temporary file');
});

test('cube\'s error codes pass through the recipe: 20 (credentials), 25 (retry later); no report, the state kept', { timeout: 120_000 }, async () => {
  // A state to keep (the first test may not have run).
  if (!existsSync(path.join(site, 'crm-12.state'))) assert.equal((await nightly('2024-03-06 02:30:00')).code, 0);
  await sb.edits({ count: 3, ...OWNER, seed: 9 });
  const before = state();
  const listed = reports();

  writeFileSync(path.join(site, 'token'), 'not-the-token\n');
  try {
    const refused = await nightly('2024-03-07 02:30:00');
    assert.equal(refused.code, 20, refused.stderr);
    assert.equal(refused.stdout, '');
    assert.match(refused.stderr, /^cube: unauthorized: .* What to do: check CUBE_TOKEN/);
    assert.equal(refused.stderr.trimEnd().split('\n').length, 1, 'one line');
  } finally {
    writeFileSync(path.join(site, 'token'), `${DEMO.token}\n`);
  }

  await sb.faults({ rules: [{ route: '/api/v1/data_owners/', kind: 'status', status: 503 }] });
  let failing;
  try {
    failing = await nightly('2024-03-07 02:35:00');
  } finally {
    await sb.clearFaults();
  }
  assert.equal(failing.code, 25, failing.stderr);
  assert.equal(failing.stdout, '');
  assert.match(failing.stderr, /^cube: server: .* What to do: Cube failed: try again later/);
  assert.deepEqual(reports(), listed, 'no report written');
  assert.deepEqual(state(), before, 'the state kept');

  // Tried again later: the changes are all there.
  const retried = await nightly('2024-03-07 03:30:00');
  assert.equal(retried.code, 0, retried.stderr);
  assert.equal(retried.stdout, `changes in ${site}/changes/2024-03-07_033000.xlsx\n`);
});

test('the recipe is a POSIX sh script that parses', () => {
  const r = spawnSync('sh', ['-n', RECIPE], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(readFileSync(RECIPE, 'utf8').startsWith('#!/bin/sh\n'));
});

// The READMEs show this file as their nightly cron job, word for word.
test('the READMEs\' nightly cron job is docs/nightly-recipe.sh, word for word', () => {
  const recipe = readFileSync(RECIPE, 'utf8');
  for (const readme of ['README.md', 'pkg-template/README.md']) {
    const block = codeBlocks(path.join(ROOT, readme)).find((b) => b.lang === 'sh' && b.code.includes('nightly.sh — crontab'));
    assert.ok(block, `${readme} shows the nightly cron job`);
    assert.equal(block.code, recipe, `${readme}:${block.line}`);
  }
});
