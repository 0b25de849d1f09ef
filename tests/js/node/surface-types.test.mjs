// index.d.ts against the engine's endpoint table, read by the TypeScript compiler (its type
// checker, not a regex): CubeClient has one method per row, returning a Pager exactly for
// lists; each method's parameter object has exactly the row's parameters besides the call
// options; the scoped handles (`crm()`, `campaign()`) declare the methods the runtime's
// handles have, each taking its client method's parameters without the scope's own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { CubeClient } from '../../../pkg/node/index.mjs';
import { PKG, ROOT } from '../support/sandbox.mjs';

const require = createRequire(import.meta.url);
const ts = require(path.join(ROOT, 'node_modules/typescript'));
const engine = require(path.join(PKG, 'node/cube_integration.js'));
const table = JSON.parse(engine.endpointTable());
const sorted = (xs) => [...new Set(xs)].sort();

const file = path.join(PKG, 'index.d.ts');
const program = ts.createProgram([file], { strict: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'] });
const checker = program.getTypeChecker();
const source = program.getSourceFile(file);

/** The declaration `name` (a class or interface) at the top of index.d.ts. */
function declaration(name) {
  const found = source.statements.find((s) => (ts.isClassDeclaration(s) || ts.isInterfaceDeclaration(s)) && s.name?.text === name);
  assert.ok(found, `index.d.ts declares ${name}`);
  return found;
}

/** The names of the properties of a type node's type (intersections and unions merged). */
function propertiesOf(typeNode) {
  const type = checker.getTypeFromTypeNode(typeNode);
  const parts = type.isUnion() ? type.types : [type];
  return parts.flatMap((t) => checker.getPropertiesOfType(t).map((p) => p.name));
}

/**
 * The methods of a declaration: name → { returns: the declared return types' names,
 * overloads: per overload, its parameters' names — an options object (a parameter named
 * `params` or `options`) by its properties, any other parameter by its own name }.
 */
function methods(name) {
  const out = new Map();
  for (const m of declaration(name).members) {
    if (!ts.isMethodDeclaration(m) && !ts.isMethodSignature(m)) continue;
    const entry = out.get(m.name.text) ?? { returns: new Set(), overloads: [] };
    entry.returns.add(m.type && ts.isTypeReferenceNode(m.type) ? m.type.typeName.getText(source) : m.type?.getText(source));
    entry.overloads.push(m.parameters.flatMap((p) => {
      const own = p.name.getText(source);
      return ['params', 'options'].includes(own) ? propertiesOf(p.type) : [own];
    }));
    out.set(m.name.text, entry);
  }
  return out;
}

const optionsOf = (name) => {
  const decl = declaration(name);
  return sorted(checker.getPropertiesOfType(checker.getTypeAtLocation(decl)).map((p) => p.name));
};
const LIST_OPTIONS = optionsOf('ListOptions');
const CALL = optionsOf('CallOptions');
const besides = (props, options) => sorted(props.filter((p) => !options.includes(p)));

test('the call options the check leaves aside are the d.ts\'s own', () => {
  assert.ok(CALL.includes('signal') && LIST_OPTIONS.includes('onProgress') && LIST_OPTIONS.includes('page'), `${CALL} / ${LIST_OPTIONS}`);
  assert.ok(!CALL.includes('dataOwnerId') && !LIST_OPTIONS.includes('crmType'), 'no endpoint parameter among them');
});

test('CubeClient: a method per row, a Pager exactly for lists, the row\'s parameters and no other', () => {
  const declared = methods('CubeClient');
  for (const row of table) {
    const m = declared.get(row.method);
    assert.ok(m, `index.d.ts declares CubeClient.${row.method}`);
    assert.deepEqual([...m.returns], [row.shape === 'pages' ? 'Pager' : 'Promise'], `${row.method} returns`);
    const options = row.shape === 'pages' ? LIST_OPTIONS : CALL;
    // A request body is the method's first argument (`legacyCreateCustomer(customer, options)`).
    const own = [...row.params, ...(row.body ? [row.body] : [])].filter((p) => !options.includes(p));
    assert.deepEqual(besides(m.overloads.flat(), options), sorted(own), `${row.method}: its parameters besides the call options`);
    declared.delete(row.method);
  }
  assert.deepEqual(sorted(declared.keys()), ['crm', 'campaign'].sort(), 'no method the table lacks besides the scopes');
});

test('the scoped handles: the runtime\'s methods, each with its client method\'s parameters less the scope\'s', () => {
  const cube = new CubeClient({ baseUrl: 'http://127.0.0.1:9', auth: { token: 't' } });
  const handles = { CrmScope: [cube.crm(1, 'B2C'), ['dataOwnerId', 'crmType']], CampaignScope: [cube.campaign(3), ['campaignId']] };
  const client = methods('CubeClient');
  for (const [name, [handle, scope]] of Object.entries(handles)) {
    const runtime = Object.getOwnPropertyNames(Object.getPrototypeOf(handle)).filter((n) => n !== 'constructor' && typeof handle[n] === 'function');
    const declared = methods(name);
    assert.deepEqual(sorted(declared.keys()), sorted(runtime), `${name}: the declared methods are the runtime's`);
    for (const [method, m] of declared) {
      const row = table.find((r) => r.method === method);
      const options = row.shape === 'pages' ? LIST_OPTIONS : CALL;
      // The client's overload that takes the scope's parameters, less them.
      const overload = client.get(method).overloads.find((o) => scope.every((p) => o.includes(p)));
      assert.ok(overload, `CubeClient.${method} takes ${scope}`);
      assert.deepEqual(besides(m.overloads.flat(), options), besides(overload, [...options, ...scope]), `${name}.${method}: the client's parameters less ${scope}`);
    }
  }
});
