// One source of truth for the API surface: the engine's endpoint table, error codes and client
// options (apiSurface(), from Rust) against what the JS layer exposes, what index.d.ts declares
// and what the README's error table lists. A row, method or code that disagrees fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { CubeClient, CubeError, ERROR_CODES, Pager } from '../../../pkg/node/index.mjs';
import { PKG, ROOT } from '../support/sandbox.mjs';

const engine = createRequire(import.meta.url)(path.join(PKG, 'node/cube_integration.js'));
const surface = JSON.parse(engine.apiSurface());
const dts = readFileSync(path.join(PKG, 'index.d.ts'), 'utf8');
const sorted = (xs) => [...xs].sort();

/** The members of `export declare class NAME { … }` or `interface NAME { … }`. */
function body(kind, name) {
  const m = new RegExp(`^(?:export )?(?:declare )?${kind} ${name}\\b[^{]*\\{([\\s\\S]*?)^\\}`, 'm').exec(dts);
  assert.ok(m, `index.d.ts declares ${kind} ${name}`);
  return m[1];
}

test('the table has every endpoint once', () => {
  const names = surface.endpoints.map((e) => e.method);
  assert.equal(new Set(names).size, names.length);
  assert.ok(names.length >= 12);
});

test('CubeClient has a method per row, returning a Pager exactly for lists, and no other public method', async () => {
  // A fetch that fails at once: nothing here reaches a network.
  const offline = () => Promise.reject(new TypeError('offline'));
  const cube = new CubeClient({ baseUrl: 'http://127.0.0.1:9', auth: { token: 't' }, fetch: offline, maxRetries: 0 });
  for (const row of surface.endpoints) {
    assert.equal(typeof cube[row.method], 'function', `${row.method} is a method`);
    // A list's Pager checks its parameters at once (throws); a single call returns a Promise.
    let result;
    try {
      result = cube[row.method]();
    } catch (e) {
      assert.ok(e instanceof CubeError && e.code === 'invalid_argument', `${row.method}: ${e}`);
      result = 'pager-check';
    }
    if ((row.shape === 'pages')) {
      assert.ok(result === 'pager-check' || result instanceof Pager, `${row.method} returns a Pager`);
    } else {
      assert.ok(result instanceof Promise, `${row.method} returns a Promise`);
      await result.then(
        () => assert.fail(`${row.method} resolved offline`),
        (e) => assert.ok(['invalid_argument', 'network'].includes(e.code), `${row.method}: ${e.message}`),
      );
    }
  }
  // Every public method along the prototype chain (the exported class binds the engine).
  const own = [];
  for (let proto = CubeClient.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const n of Object.getOwnPropertyNames(proto)) {
      if (n !== 'constructor' && !n.startsWith('_') && typeof Object.getOwnPropertyDescriptor(proto, n).value === 'function') own.push(n);
    }
  }
  const scopes = ['crm', 'campaign'];
  assert.deepEqual(sorted(own), sorted([...surface.endpoints.map((e) => e.method), ...scopes]));
});

test('index.d.ts declares every method with the right kind', () => {
  const methods = new Map();
  for (const m of body('class', 'CubeClient').matchAll(/^ {2}(\w+)\([^\n]*\): (Pager|Promise)</gm)) {
    const kinds = methods.get(m[1]) ?? new Set();
    kinds.add(m[2]);
    methods.set(m[1], kinds);
  }
  for (const row of surface.endpoints) {
    assert.deepEqual([...(methods.get(row.method) ?? [])], [(row.shape === 'pages') ? 'Pager' : 'Promise'], `${row.method} in index.d.ts`);
    methods.delete(row.method);
  }
  assert.deepEqual([...methods.keys()], [], 'index.d.ts declares no method the table lacks');
});

test('every error code: Rust, ERROR_CODES, the CubeErrorCode type and the README table agree', () => {
  assert.deepEqual([...ERROR_CODES], surface.errorCodes);
  const union = /export type CubeErrorCode =([^;]*);/.exec(dts)[1];
  assert.deepEqual(sorted([...union.matchAll(/'(\w+)'/g)].map((m) => m[1])), sorted(surface.errorCodes));
  for (const readme of ['pkg-template/README.md', 'README.md']) {
    const text = readFileSync(path.join(ROOT, readme), 'utf8');
    const table = /^\| `code` \| when \| retried \|\n\|[-|]+\|\n((?:\|.*\|\n)+)/m.exec(text);
    assert.ok(table, `${readme} has the error table`);
    const rows = table[1].split('\n').filter(Boolean)
      .flatMap((row) => [...row.split('|')[1].matchAll(/`(\w+)`/g)].map((m) => m[1]));
    assert.deepEqual(sorted(rows), sorted(surface.errorCodes), `${readme}'s error table`);
  }
});

test('every client option: the engine and ClientOptions agree', () => {
  const base = [...body('interface', 'ClientOptionsBase').matchAll(/^ {2}(\w+)\??:/gm)].map((m) => m[1]);
  const union = /export type ClientOptions =([\s\S]*?);\n\n/.exec(dts)[1];
  const target = [...union.matchAll(/^ {6}(\w+)\??:/gm)].map((m) => m[1]);
  assert.deepEqual(sorted(new Set([...base, ...target])), sorted(surface.clientOptions));
});

test('the engine refuses an option the table of options lacks, naming it', () => {
  assert.throws(
    () => new CubeClient({ baseUrl: 'http://127.0.0.1:9', auth: { token: 't' }, timeOutMs: 5 }),
    (e) => e instanceof CubeError && e.param === 'timeOutMs',
  );
});

// cube-integration/sandbox: its options are the core's flag table (camelCase, each `--fault` an
// entry of `faults`, no port or served folders), and its object has the methods it declares.
test('the sandbox: SandboxOptions is the core\'s flag table; Sandbox declares the object\'s members', async () => {
  const { createSandbox, loadSandboxCore } = await import('../../../pkg/sandbox/node.js');
  const sandboxDts = readFileSync(path.join(PKG, 'sandbox/index.d.ts'), 'utf8');
  const members = (name) => {
    const m = new RegExp(`^export interface ${name}\\b[^{]*\\{([\\s\\S]*?)^\\}`, 'm').exec(sandboxDts);
    assert.ok(m, `sandbox/index.d.ts declares ${name}`);
    return [...m[1].matchAll(/^ {2}(?:readonly )?(\w+)\??[:(]/gm)].map((x) => x[1]);
  };
  const camel = (flag) => flag.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
  const serverOnly = ['host', 'port', 'static-dir', 'pkg-dir'];
  const flags = JSON.parse(loadSandboxCore().sandboxFlags()).map((f) => f.name);
  const options = flags.filter((f) => !serverOnly.includes(f)).map((f) => (f === 'fault' ? 'faults' : camel(f)));
  assert.deepEqual(sorted(members('SandboxOptions')), sorted(options));
  const sandbox = await createSandbox();
  try {
    assert.deepEqual(sorted(members('Sandbox')), sorted(Object.keys(sandbox)));
  } finally {
    sandbox.close();
  }
});
