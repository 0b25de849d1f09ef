// Every code block of the npm README and of its pages under docs/ is type-checked against the shipped index.d.ts (and
// sandbox/index.d.ts for `cube-integration/sandbox`), and the blocks marked
// `<!-- test: run -->` run in Node against the sandbox (their https://acme.headshed.com is
// pointed at it; a block that imports node:test runs under `node --test` and must pass), so
// the README cannot drift from the package.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { unzipSync, strFromU8 } from 'fflate';
import { codeBlocks, declaredNames } from '../support/readme-blocks.mjs';
import { startSandbox, ROOT, PKG } from '../support/sandbox.mjs';

const run = promisify(execFile);
// The README and the pages it links to (pkg-template/docs/*.md, shipped as docs/), as one list
// of blocks, each knowing its file: `id` numbers them across files.
const SOURCES = ['README.md', ...readdirSync(path.join(ROOT, 'pkg-template/docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
const blocks = SOURCES.flatMap((file) => codeBlocks(path.join(ROOT, 'pkg-template', file)).map((b) => ({ ...b, file })))
  .map((b, id) => ({ ...b, id }));
const where = (b) => `${b.file}:${b.line}`;
const CREDS = { username: 'ola@example.no', password: 'blåbær-readme', token: 'readme-token' };

let dir;
let sb;
before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cube-readme-'));
  mkdirSync(path.join(dir, 'node_modules'));
  symlinkSync(PKG, path.join(dir, 'node_modules/cube-integration'), 'dir');
  mkdirSync(path.join(dir, 'vendor'));
  symlinkSync(PKG, path.join(dir, 'vendor/cube-integration'), 'dir');
  sb = await startSandbox([
    '--data-owners', '12', '--customers', '300', '--page-size', '100',
    '--username', CREDS.username, '--password', CREDS.password, '--token', CREDS.token,
  ]);
});
after(() => {
  sb?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the README has the blocks this test knows how to check', () => {
  const langs = new Set(blocks.map((b) => b.lang));
  // `text` blocks are diagrams and sample output, not code.
  assert.deepEqual([...langs].filter((l) => !['sh', 'js', 'ts', 'json', 'html', 'text'].includes(l)), []);
  assert.ok(blocks.filter((b) => b.run).length >= 5, 'the main recipes run');
});

// Names the README's snippets use without declaring them: a page or a program around them has them.
const EXPORTS = readFileSync(path.join(PKG, 'index.d.ts'), 'utf8')
  .matchAll(/^export declare (?:class|function|const) (\w+)/gm);
const EXPORTED = [...EXPORTS].map((m) => m[1]);
const AMBIENT = {
  token: 'declare const token: string;',
  cube: "declare const cube: import('cube-integration').CubeClient;",
  customers: "declare const customers: import('cube-integration').Customer[];",
  previousSnapshot: "declare const previousSnapshot: import('cube-integration').Snapshot | null;",
  askForNewToken: 'declare function askForNewToken(): void;',
  chrome: 'declare const chrome: any;',
};
const NODE_SHIM = `
declare const process: { env: Record<string, string | undefined>; exitCode?: number };
declare function require(id: string): any;
declare module 'node:fs/promises' {
  export function readFile(path: string): Promise<Uint8Array>;
  export function writeFile(path: string, data: Uint8Array | string): Promise<void>;
  export function rename(from: string, to: string): Promise<void>;
}
declare module 'node:fs' {
  export function createWriteStream(path: string, options?: { mode?: number }): unknown;
  export function openAsBlob(path: string): Promise<Blob>;
}
declare module 'node:stream' {
  export const Writable: { toWeb(stream: unknown): WritableStream<Uint8Array> };
}
declare module 'node:test' {
  export function test(name: string, fn: () => unknown): Promise<void>;
  export function before(fn: () => unknown): void;
  export function after(fn: () => unknown): void;
}
declare module 'node:assert/strict' {
  const assert: {
    ok(value: unknown, message?: string): void;
    equal(actual: unknown, expected: unknown, message?: string): void;
    deepEqual(actual: unknown, expected: unknown, message?: string): void;
    match(value: string, pattern: RegExp, message?: string): void;
  };
  export default assert;
}
`;

function typeCheckSource(block) {
  let code = block.code;
  if (block.lang === 'html') {
    code = [...code.matchAll(/<script type="module">([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
  }
  const declared = declaredNames(code);
  const uses = (name) => new RegExp(`\\b${name}\\b`).test(code);
  const imports = EXPORTED.filter((n) => uses(n) && !declared.has(n));
  const prelude = [
    imports.length ? `import { ${imports.join(', ')} } from 'cube-integration';` : '',
    ...Object.entries(AMBIENT).filter(([n]) => uses(n) && !declared.has(n)).map(([, d]) => d),
  ];
  return `${prelude.join('\n')}\n${code}\nexport {};\n`;
}

// `ts` blocks are checked as strict TypeScript; `js` and `html` blocks as what they are,
// JavaScript: wrong names, options, argument and return types are errors, but nulls and
// untyped callback parameters are not.
async function typeCheck(name, langs, strict) {
  const files = [];
  for (const b of blocks.filter((x) => langs.includes(x.lang))) {
    const file = `block-${b.id}.ts`;
    writeFileSync(path.join(dir, file), typeCheckSource(b));
    files.push(file);
  }
  writeFileSync(path.join(dir, 'node-shim.d.ts'), NODE_SHIM);
  writeFileSync(path.join(dir, `${name}.json`), JSON.stringify({
    compilerOptions: {
      target: 'ES2022', module: 'ESNext', moduleResolution: 'bundler', strict,
      noEmit: true, skipLibCheck: false, lib: ['ES2022', 'DOM'], types: [],
      paths: {
        'cube-integration': [path.join(PKG, 'index.d.ts')],
        'cube-integration/sandbox': [path.join(PKG, 'sandbox/index.d.ts')],
      },
    },
    files: ['node-shim.d.ts', ...files],
  }));
  // TypeScript 5 and 7 (the native compiler), each from its own package: both name their
  // command `tsc`, so node_modules/.bin/tsc may be either.
  for (const pkg of ['typescript', 'typescript7']) {
    const tsc = path.join(ROOT, 'node_modules', pkg, 'bin/tsc');
    const result = await run(tsc, ['-p', path.join(dir, `${name}.json`)]).catch((e) => e);
    const out = `${result.stdout ?? ''}${result.stderr ?? ''}`.replace(/\S*block-(\d+)\.ts\((\d+)/g, (_, id, line) => `${where(blocks[Number(id)])} (block line ${line}`);
    assert.equal(result.code ?? 0, 0, `${pkg}: ${out}`);
  }
  return files.length;
}

test('every js and html block type-checks against the shipped types', { timeout: 120_000 }, async () => {
  assert.ok(await typeCheck('tsconfig-js', ['js', 'html'], false) >= 15);
});

test('every ts block type-checks in strict mode', { timeout: 120_000 }, async () => {
  assert.ok(await typeCheck('tsconfig-ts', ['ts'], true) >= 1);
});

test('every json block parses; the manifest has what the recipe says', () => {
  const json = blocks.filter((b) => b.lang === 'json');
  assert.ok(json.length >= 1);
  for (const b of json) {
    const value = JSON.parse(b.code);
    if (value.manifest_version) {
      assert.equal(value.manifest_version, 3, where(b));
      assert.match(value.content_security_policy.extension_pages, /'wasm-unsafe-eval'/);
      for (const host of ['https://*.headshed.com/*', 'https://*.cube4sales.com/*', 'http://127.0.0.1/*']) {
        assert.ok(value.host_permissions.includes(host), `${host} in ${where(b)}`);
      }
    }
  }
});

test('the import map points at a file the package has', () => {
  for (const b of blocks.filter((x) => x.lang === 'html')) {
    const map = /<script type="importmap">([\s\S]*?)<\/script>/.exec(b.code);
    if (!map) continue;
    const target = JSON.parse(map[1]).imports['cube-integration'];
    assert.ok(existsSync(path.join(PKG, target.replace('/node_modules/cube-integration/', ''))), target);
  }
});

// The `cube …` lines of a shell block (continuations joined, `npx --no-install` dropped), as
// argument lists up to the first redirection or operator.
function cubeCommands(code) {
  const lines = code.replace(/\\\n\s*/g, ' ').split('\n');
  const commands = [];
  for (const line of lines) {
    const m = /(?:^|\s)(?:npx --no-install )?cube ([^>|;&]*)/.exec(line.replace(/(^|\s)#.*$/, ''));
    if (!m) continue;
    commands.push([...m[1].matchAll(/"[^"]*"|'[^']*'|\S+/g)].map((t) => t[0].replace(/^["']|["']$/g, '')));
  }
  return commands;
}

test('shell blocks: the install line, valid sh, and every cube command and flag exists', { timeout: 120_000 }, async () => {
  const sh = blocks.filter((x) => x.lang === 'sh');
  assert.ok(sh.some((b) => b.code.trim() === 'npm install cube-integration'));
  let commands = 0;
  for (const b of sh) {
    const syntax = await run('sh', ['-n', '-c', b.code]).catch((e) => e);
    assert.equal(syntax.code ?? 0, 0, `${where(b)} is not valid sh: ${syntax.stderr}`);
    for (const args of cubeCommands(b.code)) {
      commands++;
      // --help after the command's own flags: the CLI parses them strictly first, so a
      // command or flag that does not exist fails (exit 2) instead of printing help.
      const r = await run(process.execPath, [path.join(PKG, 'bin/cube.mjs'), ...args, '--help']).catch((e) => e);
      assert.equal(r.code ?? 0, 0, `${where(b)}: cube ${args.join(' ')}: ${r.stderr}`);
    }
  }
  assert.ok(commands >= 5, `${commands} cube commands checked`);
});

// A block that imports node:test is a test file: it runs under `node --test`, and must report
// at least one passing test and no failing one.
const isTestFile = (b) => /from 'node:test'/.test(b.code);

async function runBlock(b, name) {
  const file = path.join(dir, `${name}${/\brequire\(/.test(b.code) ? '.cjs' : '.mjs'}`);
  writeFileSync(file, b.code);
  writeFileSync(path.join(dir, 'to-sandbox.mjs'), `
const real = globalThis.fetch;
globalThis.fetch = (input, init) => real(String(input).replace(/^https:\\/\\/acme\\.headshed\\.com/, ${JSON.stringify(sb.url)}), init);
`);
  // NODE_TEST_CONTEXT (set by this file's runner) would make a nested `node --test` report in
  // the runner's private protocol instead of TAP.
  const env = { ...process.env, CUBE_TOKEN: CREDS.token, CUBE_PASSWORD: CREDS.password, NODE_TEST_CONTEXT: undefined };
  const args = isTestFile(b) ? ['--test', '--test-reporter=tap', file] : ['--import', './to-sandbox.mjs', file];
  const result = await run(process.execPath, args, { cwd: dir, env, timeout: 60_000 }).catch((e) => e);
  assert.equal(result.code ?? 0, 0, `${where(b)} failed:\n${result.stdout}\n${result.stderr}`);
  if (isTestFile(b)) {
    assert.match(result.stdout, /^# fail 0$/m, `${where(b)}:\n${result.stdout}`);
    assert.ok(Number(/^# pass (\d+)$/m.exec(result.stdout)?.[1]) >= 1, `${where(b)} ran no test:\n${result.stdout}`);
  }
  return result.stdout;
}

test('the runnable blocks run against the sandbox', { timeout: 180_000 }, async () => {
  const runnable = blocks.filter((b) => b.run);
  for (const b of runnable) {
    if (/changeSheet/.test(b.code)) continue; // the nightly recipe has a test of its own
    const out = await runBlock(b, `run-${b.id}`);
    assert.ok(out.trim().length > 0 || !/console\.log/.test(b.code), `${where(b)} printed nothing`);
    assert.ok(!out.includes(CREDS.token) && !out.includes(CREDS.password), `${where(b)} printed a credential`);
    if (/ECONNREFUSED/.test(b.code)) assert.match(out, /ECONNREFUSED 127\.0\.0\.1:54321\nECONNREFUSED\n/, 'what the comments promise');
  }
});

test('the nightly recipe: a first run, a second run after edits in Cube, a changes sheet each time', { timeout: 180_000 }, async () => {
  const recipe = blocks.find((b) => b.run && /changeSheet/.test(b.code));
  assert.ok(recipe, 'the README has the nightly recipe');
  const sheetRows = () => {
    const files = unzipSync(new Uint8Array(readFileSync(path.join(dir, 'changes.xlsx'))));
    return (strFromU8(files['xl/worksheets/sheet1.xml']).match(/<row /g) ?? []).length - 1;
  };
  await runBlock(recipe, 'nightly');
  assert.ok(sheetRows() > 250, 'first run: every customer is added');
  const { edited } = await sb.edits({ count: 3, seed: 5, dataOwnerId: 12, crmType: 'B2C' });
  await runBlock(recipe, 'nightly');
  assert.equal(sheetRows(), edited.reduce((n, e) => n + e.fields.length, 0), 'second run: one row per edited field');
  await runBlock(recipe, 'nightly');
  assert.equal(sheetRows(), 0, 'third run: nothing changed');
  assert.ok(!existsSync(path.join(dir, 'state.snapshot.tmp')));
});
