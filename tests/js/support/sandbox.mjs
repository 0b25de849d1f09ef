// Start a Cube sandbox for a test file: its own process on a free port, stopped with the
// test process. Tests never share state through one sandbox.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const PKG = path.join(ROOT, 'pkg');
export const DEMO = { username: 'demo@example.com', password: 'demo', token: 'demo-token' };
export const BASIC = { username: DEMO.username, password: DEMO.password };
export const TOKEN = { token: DEMO.token };
export const PARTNER = { username: 'partner@example.com', password: 'partner', token: 'partner-token' };

const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Start a sandbox; resolves to { url, stop(), control(path, init) , requests() }.
 * `edge`: `native` (the `cube-sandbox` binary) or `node` (`npx cube-integration sandbox`, the
 * package's wasm core behind Node's http; needs pkg/).
 */
export async function startSandbox(args = [], { edge = 'native' } = {}) {
  const bin = process.env.CUBE_SANDBOX_BIN ?? path.join(ROOT, 'target/debug/cube-sandbox');
  const [command, first] = edge === 'node'
    ? [process.execPath, [path.join(PKG, 'bin/cube.mjs'), 'sandbox']]
    : [bin, []];
  const child = spawn(command, [...first, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  running.add(child);
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the sandbox did not start within 20 s')), 20_000);
    child.once('exit', (code) => reject(new Error(`the sandbox exited (${code}) before listening`)));
    lines.once('line', (line) => {
      clearTimeout(timer);
      const m = /^listening on (http:\/\/\S+)$/.exec(line);
      m ? resolve(m[1]) : reject(new Error(`unexpected first line: ${line}`));
    });
  });
  lines.on('line', () => {});
  const control = async (p, init = {}) => {
    const res = await fetch(url + p, {
      ...init,
      headers: { 'Content-Type': 'application/json', ...(init.headers ?? {}) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${p} → ${res.status}: ${text}`);
    return text ? JSON.parse(text) : null;
  };
  return {
    url,
    control,
    info: () => control('/_sandbox/info'),
    requests: () => control('/_sandbox/requests'),
    clearRequests: () => control('/_sandbox/requests', { method: 'DELETE' }),
    faults: (config) => control('/_sandbox/faults', { method: 'POST', body: config }),
    clearFaults: () => control('/_sandbox/faults', { method: 'DELETE' }),
    edits: (body) => control('/_sandbox/edits', { method: 'POST', body }),
    reset: () => control('/_sandbox/reset', { method: 'POST' }),
    stop() {
      running.delete(child);
      child.kill('SIGKILL');
    },
  };
}

/**
 * Polls `check` (sync or async) until it returns something truthy, and returns that. The
 * limit only bounds a failure: a passing check returns as soon as it holds, so the limit can
 * be generous for a busy machine without slowing a passing run.
 */
export async function eventually(check, { limitMs = 15_000, what = 'the condition' } = {}) {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - started > limitMs) throw new Error(`${what} did not hold within ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * A sandbox of `customers` (pages of 250), a client of the package on it (no retries), the
 * snapshot of a first sync of data owner 1's B2C customers, then `edits` Cube-user edits of
 * them drawn from `seed`: `{ sb, cube, previous }`, for the tests of a sync's outputs.
 */
export async function startEdited({ customers, edits, seed }) {
  const { CubeClient } = await import(path.join(PKG, 'node/index.mjs'));
  const sb = await startSandbox(['--customers', String(customers), '--page-size', '250']);
  const cube = new CubeClient({ baseUrl: sb.url, auth: TOKEN, maxRetries: 0 });
  const previous = (await cube.customers({ dataOwnerId: 1, crmType: 'B2C' }).sync(null)).snapshot;
  await sb.edits({ count: edits, dataOwnerId: 1, crmType: 'B2C', seed });
  return { sb, cube, previous };
}
