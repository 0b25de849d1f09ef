// The packed tarball through the two package linters the npm ecosystem uses: publint (what
// package.json promises: exports, files, formats, bin) and Are the Types Wrong (`attw`: the
// types every entry point resolves to under each of TypeScript's module resolutions). Each
// finding fails, unless it is in ALLOWED below with the reason it cannot be fixed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { pack, cleanup, BIN, PKG, ROOT } from './tarball.mjs';

let packed;
before(async () => {
  packed = await pack();
}, { timeout: 60_000 });
after(() => cleanup());

/**
 * attw's findings that are the package's design, not mistakes: `problem kind` →
 * { entry point: [resolution kinds] }.
 */
const ALLOWED_ATTW = {
  // `require()` of an ES module. `cube-integration/web`, `/bundler` and `/workerd` are the ESM
  // builds for browsers, bundlers and workerd by nature (`import.meta.url`, the bundler's
  // `.wasm` imports, workerd's wasm modules), and `cube-integration/sandbox` is ESM in every
  // runtime. CommonJS has its own build: `require('cube-integration')` or
  // `require('cube-integration/node')` (attw passes both). From CommonJS, the sandbox is
  // `await import('cube-integration/sandbox')` (or `require()` on Node ≥ 20.19 / 22.12, which
  // load ES modules; Node 18 cannot).
  CJSResolvesToESM: {
    './web': ['node16-cjs'],
    './bundler': ['node16-cjs'],
    './workerd': ['node16-cjs'],
    './sandbox': ['node16-cjs'],
  },
};

/** publint's findings that are allowed: `code` → reason. None today. */
const ALLOWED_PUBLINT = {};

const RESOLUTIONS = ['node10', 'node16-cjs', 'node16-esm', 'bundler'];

/** Runs a command; resolves to { code, stdout, stderr } whatever its exit code. */
function run(cmd, args, { cwd, timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(Object.assign(error, { message: `${cmd}: ${error.message}\n${stderr}` }));
      else resolve({ code: error ? error.code : 0, stdout, stderr });
    });
  });
}

test('publint: no error, warning or suggestion for the packed tarball', { timeout: 60_000 }, async () => {
  // publint's API over the tarball's bytes (its CLI prints text only); the same checks as
  // `publint run <tarball>`, at every level.
  const bytes = readFileSync(packed.tarball);
  const { messages, pkg } = await publint({
    pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
    level: 'suggestion',
  });
  assert.equal(pkg.name, 'cube-integration', 'publint read the packed package.json');
  const findings = messages
    .filter((m) => !(m.code in ALLOWED_PUBLINT))
    .map((m) => `${m.type} ${m.code} at ${m.path.join(' › ')}: ${formatMessage(m, pkg, { color: false }) ?? ''}`);
  assert.deepEqual(findings, [], `publint:\n${findings.join('\n')}`);
});

test('attw: every entry point has types under node10, node16 (CJS and ESM) and bundler resolution', { timeout: 180_000 }, async () => {
  // --no-definitely-typed: the package's own types only, no @types lookup in the registry.
  const { code, stdout, stderr } = await run(
    path.join(BIN, 'attw'),
    [packed.tarball, '--format', 'json', '--no-definitely-typed', '--no-emoji', '--no-color'],
    { cwd: ROOT },
  );
  let report;
  try {
    report = JSON.parse(stdout);
  } catch {
    assert.fail(`attw (exit ${code}) printed no JSON:\n${stdout}\n${stderr}`);
  }
  const { analysis, problems } = report;
  assert.equal(analysis.packageName, 'cube-integration');
  assert.equal(analysis.types?.kind, 'included', 'the package ships its own types');

  // Every subpath of `exports` is an entry point attw checked, under every resolution.
  const pkg = JSON.parse(readFileSync(path.join(PKG, 'package.json'), 'utf8'));
  assert.deepEqual(Object.keys(analysis.entrypoints).sort(), Object.keys(pkg.exports).sort(), 'attw checked each subpath of exports');
  for (const [entry, { resolutions }] of Object.entries(analysis.entrypoints)) {
    assert.deepEqual(Object.keys(resolutions).sort(), [...RESOLUTIONS].sort(), `${entry}: every resolution kind`);
  }

  const all = Array.isArray(problems) ? problems : Object.values(problems ?? {}).flat();
  const allowed = (p) => ALLOWED_ATTW[p.kind]?.[p.entrypoint]?.includes(p.resolutionKind) ?? false;
  const unexpected = all.filter((p) => !allowed(p)).map((p) => `${p.kind} ${p.entrypoint ?? ''} ${p.resolutionKind ?? ''}`.trim());
  assert.deepEqual(unexpected, [], `attw found:\n${unexpected.join('\n')}\n(run: node_modules/.bin/attw --pack pkg)`);
  // An allowance that no longer fires is dropped, so the list says only what is true.
  const fired = new Set(all.filter(allowed).map((p) => `${p.kind} ${p.entrypoint} ${p.resolutionKind}`));
  const stale = Object.entries(ALLOWED_ATTW).flatMap(([kind, entries]) =>
    Object.entries(entries).flatMap(([entry, kinds]) => kinds.map((k) => `${kind} ${entry} ${k}`)),
  ).filter((a) => !fired.has(a));
  assert.deepEqual(stale, [], 'allowed findings that attw no longer reports: remove them from ALLOWED_ATTW');
  // attw exits non-zero exactly when it found something (the allowed ones included).
  assert.equal(code, all.length > 0 ? 1 : 0, stderr);
});
