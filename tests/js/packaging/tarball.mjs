// Shared setup of the packaging tests: they test what users install — the tarball of
// `npm pack pkg/` — never the source tree. Each test file packs once, installs the tarball
// into throwaway projects under os.tmpdir(), and removes everything it made in `after`.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../support/sandbox.mjs';

/** The built package to pack: pkg/ (from `cargo xtask build`), or CUBE_PKG_DIR. */
export const PKG = path.resolve(process.env.CUBE_PKG_DIR ?? path.join(ROOT, 'pkg'));
export { ROOT };
export const BIN = path.join(ROOT, 'node_modules/.bin');

const made = new Set();
process.on('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp dir, removed by `cleanup()` (or when the process exits). */
export function tempDir(prefix) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `cube-pkgtest-${prefix}-`));
  made.add(dir);
  return dir;
}

export function cleanup() {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
  made.clear();
}

/**
 * Run a command; resolves to { stdout, stderr }, rejects (with both outputs) on a non-zero
 * exit or after `timeoutMs` (the process is killed).
 */
export function sh(cmd, args, { cwd, timeoutMs = 60_000, env } = {}) {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      { cwd, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 32 << 20, env: { ...process.env, ...env } },
      (error, stdout, stderr) => {
        if (error) {
          error.message = `${cmd} ${args.join(' ')} (in ${cwd ?? process.cwd()}) failed: ${error.message}\n${stdout}\n${stderr}`;
          reject(error);
        } else resolve({ stdout, stderr });
      },
    );
  });
}

// npm with its cache inside our temp dirs: no state shared with other runs, nothing fetched.
const npmEnv = (cache) => ({ npm_config_cache: cache, npm_config_update_notifier: 'false' });

/**
 * `npm pack pkg/` into a temp dir. Resolves to { tarball, files: [paths], manifest (npm's
 * JSON), dir }.
 */
export async function pack() {
  if (!existsSync(path.join(PKG, 'package.json'))) {
    throw new Error(`${PKG} holds no built package: run \`cargo xtask build\` first`);
  }
  const dir = tempDir('pack');
  const { stdout } = await sh('npm', ['pack', PKG, '--json', '--pack-destination', dir], {
    cwd: dir,
    env: npmEnv(path.join(dir, '.npm-cache')),
  });
  const [manifest] = JSON.parse(stdout);
  return {
    dir,
    manifest,
    tarball: path.join(dir, manifest.filename),
    files: manifest.files.map((f) => f.path).sort(),
  };
}

/**
 * A throwaway project with the tarball installed (`npm install --offline` of the file; the
 * package has no dependencies). `files` maps relative paths to contents (objects are
 * written as JSON). Resolves to the project's dir.
 */
export async function project(name, tarball, { type = 'module', files = {} } = {}) {
  const dir = tempDir(name);
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: `cube-pkgtest-${name}`, version: '0.0.0', private: true, type }, null, 2),
  );
  await sh('npm', ['install', '--no-audit', '--no-fund', '--offline', '--no-package-lock', tarball], {
    cwd: dir,
    env: npmEnv(path.join(dir, '.npm-cache')),
  });
  rmSync(path.join(dir, '.npm-cache'), { recursive: true, force: true });
  writeFiles(dir, files);
  return dir;
}

export function writeFiles(dir, files) {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
}

export const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** Run `node FILE` in `cwd`; resolves to the JSON its last stdout line prints. */
export async function nodeJson(cwd, file, args = [], timeoutMs = 30_000) {
  const { stdout } = await sh(process.execPath, [file, ...args], { cwd, timeoutMs });
  const last = stdout.trim().split('\n').at(-1);
  return JSON.parse(last);
}

/**
 * What every environment runs against the sandbox, as source text (it is pasted into Node
 * scripts, a Vite app, a worker and an extension): whoAmI with Basic auth, campaigns and a
 * two-page customer read with Token auth, the campaigns as CSV (the records module), and a
 * rejected token (a CubeError).
 */
export const PROBE_SOURCE = `
async function probe({ CubeClient, CubeError, ERROR_CODES, ready, toCsv }, baseUrl) {
  await ready();
  const basic = new CubeClient({ baseUrl, auth: { username: 'demo@example.com', password: 'demo' } });
  const token = new CubeClient({ baseUrl, auth: { token: 'demo-token' } });
  const me = await basic.whoAmI();
  const campaigns = await token.campaigns();
  const customers = await token.customers({ dataOwnerId: 1, crmType: 'B2C' }).toArray({ limit: 600 });
  // A round-trip helper: the second wasm module (cube_records), loaded on first use.
  const csv = new TextDecoder().decode(await toCsv(campaigns, { columns: [{ field: 'campaign__id', header: 'id' }] }));
  let error = null;
  try {
    await new CubeClient({ baseUrl, auth: { token: 'wrong-token' }, maxRetries: 0 }).whoAmI();
  } catch (e) {
    error = { isCubeError: e instanceof CubeError, isError: e instanceof Error, name: e.name, code: e.code, status: e.status };
  }
  return {
    username: me.username,
    name: me.name,
    campaigns: campaigns.length,
    campaignIds: campaigns.map((c) => c.campaign__id),
    customers: customers.length,
    csv,
    errorCodes: ERROR_CODES.length,
    error,
  };
}`;

/** The sandbox flags of every packaging test (a non-default campaign count). */
export const SANDBOX_ARGS = ['--campaigns', '5'];

/** Check what `probe` returned against the sandbox's own `/_sandbox/info`. */
export function checkProbe(assert, result, info) {
  assert.equal(result.username, 'demo@example.com');
  assert.equal(result.name, 'Demo Caller');
  assert.equal(result.campaigns, info.counts.campaigns);
  assert.deepEqual(result.campaignIds, info.campaigns.map((c) => c.id));
  assert.equal(result.customers, 600);
  assert.equal(result.csv, ['id', ...info.campaigns.map((c) => c.id)].map((l) => `${l}\r\n`).join(''));
  assert.equal(result.errorCodes, 14); // the README's table: 11 codes and out_of_memory, internal, wasm_blocked
  assert.deepEqual(result.error, { isCubeError: true, isError: true, name: 'CubeError', code: 'unauthorized', status: 401 });
}
