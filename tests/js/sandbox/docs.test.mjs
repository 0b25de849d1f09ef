// The sandbox's docs against the code: the flag tables against the core's one flag table (as
// the wasm module reports it), the sandbox README's Python loop against walk_next.py (which a
// test runs), and the root README's testing example against the npm README's (which
// readme.test.mjs type-checks and runs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, PKG } from '../support/sandbox.mjs';
import { codeBlocks } from '../support/readme-blocks.mjs';

const read = (rel) => readFileSync(path.join(ROOT, rel), 'utf8');
const { loadSandboxCore } = await import(path.join(PKG, 'sandbox/node.js'));
/** [{ name, value, default, help }], `default` '' when there is none. */
const FLAGS = JSON.parse(loadSandboxCore().sandboxFlags());
const SERVER_ONLY = new Set(['host', 'port', 'static-dir', 'pkg-dir']);
const camel = (flag) => flag.replace(/-([a-z])/g, (_, c) => c.toUpperCase());

/**
 * The rows of the Markdown table whose header row is `header`, as
 * `{ names: [the first cell's `code` spans], defaults: [the second cell's], cells }`.
 * Several names in a row (`--username` / `--password`) pair with as many defaults.
 */
function tableRows(text, header) {
  const lines = text.split('\n');
  const start = lines.indexOf(header);
  assert.ok(start >= 0, `a table with the header ${header}`);
  const rows = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
    const code = (cell) => [...cell.matchAll(/`([^`]*)`/g)].map((m) => m[1]);
    rows.push({ names: code(cells[0]), defaults: code(cells[1]), cells });
  }
  return rows;
}

/** name → default as a table documents it ('' for "none", "the system date", …). */
function documented(rows, nameOf) {
  const out = new Map();
  for (const row of rows) {
    const names = row.names.map(nameOf);
    assert.ok(row.defaults.length === 0 || row.defaults.length === names.length, `one default per name: ${row.cells.join(' | ')}`);
    names.forEach((name, i) => {
      assert.ok(!out.has(name), `${name} listed once`);
      out.set(name, row.defaults[i] ?? '');
    });
  }
  return out;
}

test('sandbox/README.md lists exactly the core\'s flags, with their defaults', () => {
  const rows = tableRows(read('sandbox/README.md'), '| flag | default | meaning |');
  const table = documented(rows, (code) => /^--([a-z-]+)/.exec(code)?.[1] ?? assert.fail(`not a flag: ${code}`));
  assert.deepEqual([...table.keys()].sort(), FLAGS.map((f) => f.name).sort());
  for (const flag of FLAGS) assert.equal(table.get(flag.name), flag.default, `--${flag.name}'s default`);
});

test('the npm docs (docs/testing.md) list exactly createSandbox()\'s options (the flags in camelCase), with their defaults', () => {
  const rows = tableRows(read('pkg-template/docs/testing.md'), '| option | default | what |');
  const table = documented(rows, (code) => code);
  const options = FLAGS.filter((f) => !SERVER_ONLY.has(f.name));
  const nameOf = (f) => (f.name === 'fault' ? 'faults' : camel(f.name));
  assert.deepEqual([...table.keys()].sort(), options.map(nameOf).sort());
  for (const flag of options) assert.equal(table.get(nameOf(flag)), flag.default, `${nameOf(flag)}'s default`);
});

test('the sandbox README\'s Python loop is walk_next.py\'s marked section, word for word', () => {
  const file = read('tests/js/sandbox/walk_next.py');
  const section = /# --- README begin ---\n([\s\S]*?)# --- README end ---\n/.exec(file)?.[1];
  assert.ok(section, 'walk_next.py has the README markers');
  const python = codeBlocks(path.join(ROOT, 'sandbox/README.md')).filter((b) => b.lang === 'python');
  assert.equal(python.length, 1, 'one Python block');
  assert.equal(python[0].code, section);
});

test('the root README\'s testing example is the npm docs\' (docs/testing.md, which readme.test.mjs runs)', () => {
  const example = (rel) => {
    const found = codeBlocks(path.join(ROOT, rel)).filter((b) => b.code.includes("from 'cube-integration/sandbox'") && b.code.includes("from 'node:test'"));
    assert.equal(found.length, 1, `${rel}: one node --test example of createSandbox()`);
    return found[0];
  };
  const npm = example('pkg-template/docs/testing.md');
  assert.ok(npm.run, 'the npm docs run it');
  assert.equal(example('README.md').code, npm.code);
});
