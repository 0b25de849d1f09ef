// `npx cube-integration sandbox`: the sandbox on a real port behind Node's http (the package's
// bin, `node pkg/bin/cube.mjs sandbox`). Over real HTTP: the first stdout line, the banner's
// credentials, CORS, the demo page and the package it serves, /openapi.json, a full client
// read equal to the in-process sandbox's, transport faults on the socket, --help (every flag
// of the core's table), a bad flag (exit 2, naming it) and Ctrl-C (exit 130). Once more from
// the packed tarball: `npx --no-install cube-integration sandbox` in a project that installed it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { CubeClient } from '../../../pkg/node/index.mjs';
import { createSandbox, loadSandboxCore } from '../../../pkg/sandbox/node.js';
import { PKG, ROOT, BASIC } from '../support/sandbox.mjs';
import { skipUnless } from '../support/available.mjs';
import { pack, project, cleanup } from '../packaging/tarball.mjs';

const skip = skipUnless({ web: true, sandbox: false });
const CLI = path.join(PKG, 'bin/cube.mjs');

// Each sandbox in its own process group, signalled as a group: what Ctrl-C in a terminal does
// (npx does not pass a signal sent to itself alone on to the command it runs).
const children = new Set();
const signalGroup = (child, signal) => {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
};
process.on('exit', () => children.forEach((c) => signalGroup(c, 'SIGKILL')));

/**
 * Spawn a sandbox on a port (`command args…`); resolves to { url, banner (its lines), child,
 * exited: Promise<{ code, signal }>, stop(signal) }.
 */
async function startPortSandbox(command, args, { cwd = ROOT } = {}) {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.add(child);
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => {
    children.delete(child);
    resolve({ code, signal, stderr });
  }));
  const lines = createInterface({ input: child.stdout });
  const banner = [];
  // The banner is written at once after the first line; its last line says so (waited for as
  // an event: the limit only bounds a failure).
  const complete = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "sandbox info:" line within 30 s: ${banner.join(' | ')} ${stderr}`)), 30_000);
    lines.on('line', (line) => {
      banner.push(line);
      if (line.startsWith('sandbox info:')) {
        clearTimeout(timer);
        resolve();
      }
    });
    exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`exited before the banner ended: ${banner.join(' | ')} ${stderr}`));
    });
  });
  complete.catch(() => {}); // awaited below; a rejection before that is not unhandled
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no first line within 30 s: ${stderr}`)), 30_000);
    exited.then(({ code }) => reject(new Error(`exited (${code}) before listening: ${stderr}`)));
    lines.once('line', (line) => {
      clearTimeout(timer);
      const m = /^listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line);
      m && m[2] !== '0' ? resolve(m[1]) : reject(new Error(`unexpected first line: ${JSON.stringify(line)}`));
    });
  });
  await complete;
  return { url, banner, child, exited, stop: (signal = 'SIGKILL') => signalGroup(child, signal) };
}

/** The pid of the `cube… sandbox` node process among the descendants of `pid` (Linux /proc). */
function commandOf(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      children.set(Number(entry), { ppid, argv });
    } catch {
      // gone meanwhile
    }
  }
  const below = [pid];
  for (let i = 0; i < below.length; i++) {
    for (const [p, c] of children) if (c.ppid === below[i]) below.push(p);
  }
  return below.slice(1).find((p) => {
    const { argv } = children.get(p);
    return /node$/.test(argv[0]) && argv.some((a) => /cube(-integration|\.mjs)$/.test(a)) && argv.includes('sandbox');
  });
}

/** Run to the end; resolves to { code, stdout, stderr } (never rejects on a non-zero exit). */
function runToEnd(command, args, timeoutMs = 30_000) {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: ROOT, timeout: timeoutMs, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, stdout, stderr });
    });
  });
}

const FLAGS = ['--customers', '1234', '--page-size', '100', '--today', '2026-06-01', '--username', 'ola@example.no', '--password', 'blåbær'];
const CREDS = { username: 'ola@example.no', password: 'blåbær' };
let sb;
before(async () => {
  if (skip) return;
  sb = await startPortSandbox(process.execPath, [CLI, 'sandbox', '--port', '0', ...FLAGS]);
}, { timeout: 40_000 });
after(() => sb?.stop());

test('first line, then the banner with the credentials given', { timeout: 10_000, skip }, () => {
  assert.match(sb.banner[0], /^listening on http:\/\/127\.0\.0\.1:\d+$/);
  const text = sb.banner.join('\n');
  assert.match(text, /demo user \(internal\): username ola@example\.no {2}password blåbær {2}token demo-token/);
  assert.match(text, /external user \(data owner 1 only\): username partner@example\.com {2}password partner {2}token partner-token/);
  assert.ok(text.includes(`curl -u 'ola@example.no:blåbær' ${sb.url}/account/who_am_i`), text);
  assert.ok(text.includes(`${sb.url}/openapi.json`), text);
});

test('CORS: a preflight is 204 with the headers a browser needs, and answers allow any origin', { timeout: 10_000, skip }, async () => {
  const pre = await fetch(`${sb.url}/api/v1/data_owners/1/crm/B2C/customers/`, {
    method: 'OPTIONS',
    headers: { origin: 'https://app.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
  });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get('access-control-allow-origin'), '*');
  assert.match(pre.headers.get('access-control-allow-methods'), /\bGET\b/);
  assert.match(pre.headers.get('access-control-allow-headers'), /\bAuthorization\b/i);
  const get = await fetch(`${sb.url}/account/who_am_i`, { headers: { origin: 'https://app.example' } });
  assert.equal(get.status, 401, 'no credentials');
  assert.equal(get.headers.get('access-control-allow-origin'), '*');
  assert.match(get.headers.get('access-control-expose-headers'), /Retry-After/);
});

test('the demo page at /, the package under /pkg/, /openapi.json', { timeout: 20_000, skip }, async () => {
  const page = await fetch(`${sb.url}/`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type'), /^text\/html/);
  assert.match(await page.text(), /<html|<!doctype html/i);
  const js = await fetch(`${sb.url}/pkg/web/index.js`);
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type'), /^(text|application)\/javascript/);
  assert.match(await js.text(), /export /);
  const wasm = await fetch(`${sb.url}/pkg/sandbox/cube_sandbox_bg.wasm`);
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  const bytes = new Uint8Array(await wasm.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 4)], [0x00, 0x61, 0x73, 0x6d]);
  assert.equal((await fetch(`${sb.url}/pkg/no-such-file.js`)).status, 404);
  const spec = await fetch(`${sb.url}/openapi.json`);
  assert.equal(spec.status, 200);
  assert.match(spec.headers.get('content-type'), /^application\/json/);
  const openapi = await spec.json();
  assert.match(openapi.openapi, /^3\./);
  assert.ok(Object.keys(openapi.paths).some((p) => p.includes('/customers/')), Object.keys(openapi.paths).join());
});

test('a CubeClient over HTTP reads every customer, the same as the in-process sandbox with the same options', { timeout: 60_000, skip }, async () => {
  const client = new CubeClient({ baseUrl: sb.url, auth: CREDS });
  assert.equal((await client.whoAmI()).username, 'ola@example.no');
  const pages = [];
  const records = [];
  for await (const page of client.customers({ dataOwnerId: 1, crmType: 'B2C' }).pages()) {
    pages.push(page.page);
    records.push(...page.records);
  }
  assert.equal(records.length, 1234);
  assert.equal(pages.length, 13);
  const local = await createSandbox({ customers: 1234, pageSize: 100, today: '2026-06-01', ...CREDS });
  try {
    const expected = await new CubeClient({ baseUrl: local.baseUrl, auth: CREDS, fetch: local.fetch }).customers({ dataOwnerId: 1, crmType: 'B2C' }).toArray();
    assert.deepEqual(records, expected);
  } finally {
    local.close();
  }
});

test('transport faults on the real socket: resets (before and after bytes) are retried and the read completes', { timeout: 60_000, skip }, async () => {
  const control = (p, init) => fetch(sb.url + p, init).then((r) => r.json());
  const route = '/api/v1/data_owners/';
  await control('/_sandbox/faults', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ rules: [{ route, kind: 'reset', keepBytes: 0, times: 2 }, { route, kind: 'reset', keepBytes: 100, times: 2 }, { route, kind: 'truncate', times: 1 }] }),
  });
  await fetch(`${sb.url}/_sandbox/requests`, { method: 'DELETE' });
  const retries = [];
  const client = new CubeClient({ baseUrl: sb.url, auth: CREDS, maxRetries: 8, retryDelayMs: 1, concurrency: 1, onRetry: (e) => retries.push(e.code) });
  const records = await client.customers({ dataOwnerId: 1, crmType: 'B2C' }).toArray();
  const log = await control('/_sandbox/requests');
  await fetch(`${sb.url}/_sandbox/faults`, { method: 'DELETE' });
  assert.deepEqual(records, await client.customers({ dataOwnerId: 1, crmType: 'B2C' }).toArray(), 'every record once, in order: a fault-free read\'s');
  assert.deepEqual(log.filter((r) => r.fault).map((r) => r.fault), ['reset', 'reset', 'reset', 'reset', 'truncate']);
  assert.ok(retries.filter((c) => c === 'network').length >= 4, retries.join());
  assert.ok(retries.includes('invalid_response'), retries.join());
});

test('--help lists every flag of the core\'s table (the native binary\'s too)', { timeout: 30_000, skip }, async () => {
  const { code, stdout } = await runToEnd(process.execPath, [CLI, 'sandbox', '--help']);
  assert.equal(code, 0);
  const table = JSON.parse(loadSandboxCore().sandboxFlags()).map((f) => f.name);
  assert.ok(table.length >= 20 && table.includes('page-size') && table.includes('fault'), table.join());
  const listed = (text) => [...text.matchAll(/^\s*--([a-z-]+)/gm)].map((m) => m[1]);
  assert.deepEqual([...new Set(listed(stdout))].filter((f) => f !== 'help' && f !== 'version'), table);
  assert.match(stdout, /npx cube-integration sandbox/);
  assert.match(stdout, /demo page at \//);
  const bin = process.env.CUBE_SANDBOX_BIN;
  if (bin) {
    const native = await runToEnd(bin, ['--help']);
    assert.deepEqual([...new Set(listed(native.stdout))].filter((f) => f !== 'help' && f !== 'version'), table, 'the native binary has the same flags');
  }
});

test('a bad flag or value: exit code 2 and a message naming the flag', { timeout: 30_000, skip }, async () => {
  // (A bad --fault rule is checked with the others after the flags; its message names the flag
  // and the rule: `--fault: rules[0] (status): status 999 is not between 200 and 599`.)
  for (const [args, named] of [[['--page-sise', '5'], '--page-sise'], [['--page-size', '0'], '--page-size'], [['--today', 'soon'], '--today'], [['--fault', 'status=999'], '--fault: rules[0] (status): status 999']]) {
    const { code, stdout, stderr } = await runToEnd(process.execPath, [CLI, 'sandbox', '--port', '0', ...args]);
    assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
    assert.ok(stderr.includes(named), `${args.join(' ')}: ${stderr}`);
    assert.doesNotMatch(stdout, /listening on/);
  }
});

test('Ctrl-C (SIGINT) stops it with exit code 130', { timeout: 30_000, skip }, async () => {
  const other = await startPortSandbox(process.execPath, [CLI, 'sandbox', '--port', '0']);
  // A connection kept open does not hold it up.
  const held = fetch(`${other.url}/account/who_am_i`, { headers: { authorization: 'Token demo-token' } }).then((r) => r.json());
  assert.equal((await held).username, 'demo@example.com');
  other.stop('SIGINT');
  const { code, signal } = await other.exited;
  assert.deepEqual({ code, signal }, { code: 130, signal: null });
});

test('from the packed tarball: npx --no-install cube-integration sandbox in a project', { timeout: 120_000, skip }, async () => {
  try {
    const { tarball } = await pack();
    const dir = await project('sandbox-bin', tarball);
    const npx = await startPortSandbox('npx', ['--no-install', 'cube-integration', 'sandbox', '--port', '0', '--customers', '250'], { cwd: dir });
    try {
      assert.match(npx.banner.join('\n'), /demo user \(internal\): username demo@example\.com {2}password demo/);
      const page = await fetch(`${npx.url}/`);
      assert.match(page.headers.get('content-type'), /^text\/html/);
      const js = await fetch(`${npx.url}/pkg/sandbox/index.js`);
      assert.equal(js.status, 200, 'the installed package is served under /pkg/');
      const client = new CubeClient({ baseUrl: npx.url, auth: BASIC });
      assert.equal((await client.customers({ dataOwnerId: 2, crmType: 'B2B' }).toArray()).length, 250);
    } finally {
      // SIGINT to the command npx runs, alone: the command takes it itself and exits 130,
      // and npx passes that code on. (Signalled as a group, npx itself dies of the signal
      // before the command's code could tell anything.)
      const command = commandOf(npx.child.pid);
      assert.ok(command, `the sandbox process under npx (${npx.child.pid})`);
      process.kill(command, 'SIGINT');
    }
    const { code, signal } = await npx.exited;
    assert.deepEqual({ code, signal }, { code: 130, signal: null }, `npx ended with ${code ?? signal}`);
    // The installed bin itself (what `npx` runs), exit code and all.
    const bin = await startPortSandbox(path.join(dir, 'node_modules/.bin/cube-integration'), ['sandbox', '--port', '0'], { cwd: dir });
    bin.stop('SIGINT');
    assert.equal((await bin.exited).code, 130);
  } finally {
    cleanup();
  }
});
