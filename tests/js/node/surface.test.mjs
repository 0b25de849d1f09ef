// One source of truth for the API surface: the engine's endpoint table, error codes and client
// options (apiSurface(), from Rust) against what the JS layer exposes, what index.d.ts declares
// and what the error tables (the npm package's docs/errors.md, the repository README) list. A row, method or code that disagrees fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { CubeClient, CubeError, ERROR_CODES, EXIT_CODES, Pager, exitCodeFor, isCrmType } from '../../../pkg/node/index.mjs';
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

/** Valid parameters of each list (a Pager is made without a request). */
const VALID = {
  customers: { dataOwnerId: 1, crmType: 'B2C' },
  callflowCustomers: { campaignId: 3 },
  callOutcomes: { campaignId: 3, from: '2024-01-01', to: '2024-01-31' },
  productRegistrations: { dataOwnerId: 1, crmType: 'B2B', from: '2024-01-01', to: '2024-01-31' },
  legacyCustomers: { assignmentId: 3 },
  legacyResponses: { campaignId: 3, from: '2024-01-01', to: '2024-01-31' },
};

test('CubeClient has a method per row, returning a Pager exactly for lists, and no other public method', async () => {
  assert.deepEqual(sorted(Object.keys(VALID)), sorted(surface.endpoints.filter((e) => e.shape === 'pages').map((e) => e.method)), 'VALID has each list');
  // A fetch that fails at once: nothing here reaches a network.
  const offline = () => Promise.reject(new TypeError('offline'));
  const cube = new CubeClient({ baseUrl: 'http://127.0.0.1:9', auth: { token: 't' }, fetch: offline, maxRetries: 0 });
  for (const row of surface.endpoints) {
    assert.equal(typeof cube[row.method], 'function', `${row.method} is a method`);
    // A list returns a Pager, with its parameters or without (a Pager checks them at once
    // and throws a CubeError invalid_argument; without them, that throw is the answer, so a
    // list is also called with valid ones, and there a throw fails). A single call returns a
    // Promise.
    let result;
    try {
      result = cube[row.method]();
    } catch (e) {
      assert.ok(e instanceof CubeError && e.code === 'invalid_argument', `${row.method}: ${e}`);
      assert.equal(row.shape, 'pages', `${row.method} threw instead of returning a Promise: ${e}`);
      result = undefined;
    }
    if ((row.shape === 'pages')) {
      const pager = cube[row.method](VALID[row.method]);
      assert.ok(pager instanceof Pager, `${row.method}(${JSON.stringify(VALID[row.method])}) returns a Pager`);
      if (result !== undefined) assert.ok(result instanceof Pager, `${row.method}() returns a Pager`);
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

// index.d.ts's methods, parameters and scoped handles are checked by the TypeScript compiler
// against the table in surface-types.test.mjs.

test('every error code: Rust, ERROR_CODES, the CubeErrorCode type and the README table agree', () => {
  assert.deepEqual([...ERROR_CODES], surface.errorCodes);
  const union = /export type CubeErrorCode =([^;]*);/.exec(dts)[1];
  assert.deepEqual(sorted([...union.matchAll(/'(\w+)'/g)].map((m) => m[1])), sorted(surface.errorCodes));
  for (const readme of ['pkg-template/docs/errors.md', 'README.md']) {
    const text = readFileSync(path.join(ROOT, readme), 'utf8');
    const table = /^\| `code` \| when \| retried \|\n\|[-|]+\|\n((?:\|.*\|\n)+)/m.exec(text);
    assert.ok(table, `${readme} has the error table`);
    const rows = table[1].split('\n').filter(Boolean)
      .flatMap((row) => [...row.split('|')[1].matchAll(/`(\w+)`/g)].map((m) => m[1]));
    assert.deepEqual(sorted(rows), sorted(surface.errorCodes), `${readme}'s error table`);
  }
});

// The command line's exit codes, exported for scripts: one table (the CLI reads it too; its
// runs are checked against it in tests/js/cli/commands.test.mjs), typed as it is.
test('EXIT_CODES: frozen, distinct, declared in index.d.ts as they are; exitCodeFor maps every error code', () => {
  assert.ok(Object.isFrozen(EXIT_CODES));
  const values = Object.values(EXIT_CODES);
  assert.equal(new Set(values).size, values.length, 'one code per outcome');
  const declared = /^export declare const EXIT_CODES: Readonly<\{([\s\S]*?)^\}>;/m.exec(dts);
  assert.ok(declared, 'index.d.ts declares EXIT_CODES');
  assert.deepEqual([...declared[1].matchAll(/^ {2}(\w+): (\d+);/gm)].map((m) => [m[1], Number(m[2])]), Object.entries(EXIT_CODES));
  assert.match(dts, /^export declare function exitCodeFor\(error: unknown\): ExitCode;/m);
  // Each CubeError code exits with the row of its name, but these four.
  const row = { invalid_argument: 'usage', aborted: 'interrupted', internal: 'internal', wasm_blocked: 'internal' };
  for (const code of ERROR_CODES) {
    const expected = EXIT_CODES[row[code] ?? code];
    assert.equal(typeof expected, 'number', `${code} has a row`);
    const error = new CubeError('x', { code });
    assert.equal(exitCodeFor(error), expected, code);
    // A CubeError of another copy of the package (or its toJSON()) is told by name and code.
    assert.equal(exitCodeFor(JSON.parse(JSON.stringify(error))), expected, `${code} as JSON`);
  }
  // Anything else is an unexpected error, as cube treats it.
  for (const other of [new Error('server'), new TypeError('x'), Object.assign(new Error('x'), { code: 'server' }), { name: 'CubeError', code: 'toString' }, 'server', 25, null, undefined]) {
    assert.equal(exitCodeFor(other), EXIT_CODES.internal, String(other));
  }
});

test('every entry exports the same names', () => {
  const cjs = Object.keys(createRequire(import.meta.url)(path.join(PKG, 'node/index.cjs'))).sort();
  assert.ok(cjs.includes('EXIT_CODES') && cjs.includes('exitCodeFor'));
  for (const entry of ['node/index.mjs', 'web/index.js', 'bundler/index.js', 'workerd/index.js']) {
    const list = /^export const \{([^}]*)\} = api;/m.exec(readFileSync(path.join(PKG, entry), 'utf8'));
    assert.ok(list, `${entry} exports its names from the api`);
    assert.deepEqual(list[1].split(',').map((n) => n.trim()).filter(Boolean).sort(), cjs, entry);
  }
});

// isCrmType(value): the guard users narrow a form's or a config's string with, before
// `cube.crm(id, value)`. It must accept exactly what the engine accepts as crmType (and what
// the CrmType type lists), in every build.
test('isCrmType accepts exactly the crmType values the engine accepts, and every build exports it', async () => {
  const cube = new CubeClient({ baseUrl: 'http://127.0.0.1:9', auth: { token: 't' } });
  const engineAccepts = (value) => {
    try {
      cube.crm(1, value);
      return true;
    } catch (e) {
      assert.ok(e instanceof CubeError && e.param === 'crmType', String(e));
      return false;
    }
  };
  const values = [
    'B2C', 'B2B', 'b2c', 'b2b', 'B2c', 'b2C', 'B2b', 'b2B',
    'B2X', 'B3C', 'C2B', 'B2', 'B2CC', ' B2C', 'B2C ', 'B2C\n', '', 'Ｂ2C', 'B２C', 'b2ç',
    42, null, undefined, true, {}, ['B2C'], new String('B2C'), Symbol('B2C'),
  ];
  const accepted = values.filter((v) => isCrmType(v));
  assert.deepEqual(accepted, ['B2C', 'B2B', 'b2c', 'b2b', 'B2c', 'b2C', 'B2b', 'b2B']);
  for (const v of values) {
    if (typeof v === 'symbol') continue; // the engine reads a symbol as no value
    assert.equal(isCrmType(v), engineAccepts(v), `isCrmType(${String(v)}) agrees with the engine`);
  }
  // The CrmType union in index.d.ts lists the same 8 spellings.
  const union = /export type CrmType = `\$\{'B' \| 'b'\}2\$\{'C' \| 'c' \| 'B' \| 'b'\}`;/;
  assert.match(dts, union, 'CrmType is B or b, 2, then C, c, B or b');
  assert.match(dts, /^export declare function isCrmType\(value: unknown\): value is CrmType;$/m);
  const cjs = createRequire(import.meta.url)(path.join(PKG, 'node/index.cjs'));
  assert.equal(cjs.isCrmType, isCrmType, 'require and import share one function');
  const web = await import('../../../pkg/web/index.js');
  assert.equal(web.isCrmType('b2B'), true, 'the web build exports it, usable before ready()');
  for (const entry of ['bundler/index.js', 'workerd/index.js']) {
    assert.match(readFileSync(path.join(PKG, entry), 'utf8'), /export const \{[^}]*\bisCrmType\b[^}]*\} = api;/, entry);
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
