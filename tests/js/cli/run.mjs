// Shared setup of the command-line tests: the `cube` bin of the packed package, installed
// into a throwaway project as users get it (`npm pack pkg/`, `npm install` of the tarball),
// and a runner that spawns it with only the environment a test gives it.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, after } from 'node:test';
import { pack, project, tempDir, cleanup } from '../packaging/tarball.mjs';
import { startSandbox, DEMO } from '../support/sandbox.mjs';

export { tempDir, cleanup };

/** Every stdout and stderr of the runs in this file (checked for secrets at the end). */
export const transcripts = [];

/** Pack and install the package; resolves to the path of node_modules/.bin/cube. */
export async function installCli() {
  const packed = await pack();
  const dir = await project('cli', packed.tarball);
  return { bin: path.join(dir, 'node_modules/.bin/cube'), dir };
}

/** Only what a child needs from our environment: PATH and HOME, never CUBE_*. */
export function baseEnv(extra = {}) {
  return { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', ...extra };
}

/**
 * Run `cube ARGS`: resolves to { code, signal, stdout (Buffer), stderr (string) }. `input` is
 * written to its stdin; `onStderr(text, child)` sees stderr as it arrives.
 */
export function runCli(bin, args, { env = {}, input, timeoutMs = 60_000, cwd, onStderr } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env: baseEnv(env), cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [];
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`cube ${args.join(' ')} did not finish within ${timeoutMs} ms; stderr: ${err}`));
    }, timeoutMs);
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => {
      err += d;
      onStderr?.(err, child);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out);
      transcripts.push({ args, stdout: stdout.toString('utf8'), stderr: err });
      resolve({ code, signal, stdout, stderr: err });
    });
    child.stdin.on('error', () => {});
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

/**
 * A module for `node --import` that points the README's host, https://acme.headshed.com, at
 * the sandbox at `sandboxUrl` and fails a fetch to any other host: a run that reaches anything
 * else is seen. Written into `dir`; its path is returned.
 */
export function writeSandboxPreload(dir, sandboxUrl) {
  const preload = path.join(dir, 'to-sandbox.mjs');
  writeFileSync(preload, `const real = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = String(input);
  if (!url.startsWith('https://acme.headshed.com/')) return Promise.reject(new TypeError('fetch failed: ' + url));
  return real(url.replace('https://acme.headshed.com', ${JSON.stringify(sandboxUrl)}), init);
};\n`);
  return preload;
}

/**
 * The setup most command-line test files share: a sandbox started with `sandboxArgs` and the
 * installed `cube` (before the file's tests), a work folder named after `folder`, both gone
 * after them. Returns `sandbox()`, `cube(args, options)` (run with the sandbox's URL and the
 * demo token in its environment) and `file(name)` (a path in the work folder).
 */
export function cliAgainstSandbox(sandboxArgs, folder) {
  const ctx = {};
  before(async () => {
    [ctx.sb, { bin: ctx.bin }] = await Promise.all([startSandbox(sandboxArgs), installCli()]);
    ctx.work = tempDir(folder);
  }, { timeout: 120_000 });
  after(() => {
    ctx.sb?.stop();
    cleanup();
  });
  const env = () => ({ CUBE_BASE_URL: ctx.sb.url, CUBE_TOKEN: DEMO.token });
  return {
    sandbox: () => ctx.sb,
    cube: (args, options = {}) => runCli(ctx.bin, args, { env: env(), ...options }),
    file: (name) => path.join(ctx.work, name),
  };
}
