// What the tarball holds and what its package.json promises, and that its types resolve for
// TypeScript users in each module mode.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { pack, project, sh, readJson, writeFiles, cleanup, BIN, ROOT } from './tarball.mjs';

let packed;
let installed; // the package as installed from the tarball: node_modules/cube-integration
let projectDir;
before(async () => {
  packed = await pack();
  projectDir = await project('contents', packed.tarball, { type: 'module' });
  installed = path.join(projectDir, 'node_modules/cube-integration');
}, { timeout: 60_000 });
after(() => cleanup());

const BUILD_FILES = {
  web: ['web/index.js', 'web/cube_integration.js', 'web/cube_integration_bg.wasm'],
  bundler: ['bundler/index.js', 'bundler/cube_integration.js', 'bundler/cube_integration_bg.js', 'bundler/cube_integration_bg.wasm'],
  // Node reads the web build's wasm files (the same bytes): no third copy in the tarball.
  node: ['node/index.mjs', 'node/index.cjs', 'node/api.cjs', 'node/cube_integration.js', 'node/package.json'],
  // workerd's entry imports the web build's files (its wasm as modules): no fourth copy.
  workerd: ['workerd/index.js'],
};
// `cube-integration/sandbox`: its own wasm module (the sandbox's core), one entry per runtime,
// the in-process and on-a-port edges, its types.
const SANDBOX_FILES = [
  'sandbox/cube_sandbox.js', 'sandbox/cube_sandbox_bg.wasm', 'sandbox/index.js', 'sandbox/node.js', 'sandbox/workerd.js',
  'sandbox/in-process.js', 'sandbox/options.js', 'sandbox/serve.js', 'sandbox/index.d.ts',
];
// The demo page `npx cube-integration sandbox` serves at / by default.
const DEMO_FILES = ['demo/index.html', 'demo/app.js', 'demo/style.css'];
// The API reference, Markdown rendered by typedoc from the shipped types (typedoc-markdown.json):
// an index and one page per entry point.
const API_REFERENCE = ['docs/api/README.md', 'docs/api/cube-integration.md', 'docs/api/cube-integration/sandbox.md'];

test('the tarball holds the three builds, the JS layer, the sandbox, the demo page, types and the documents — nothing else', () => {
  const files = packed.files;
  for (const file of [...Object.values(BUILD_FILES).flat(), ...SANDBOX_FILES, ...DEMO_FILES, ...API_REFERENCE, 'js/api.js', 'index.d.ts', 'package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'docs/nightly-recipe.sh', 'docs/upgrading.md']) {
    assert.ok(files.includes(file), `${file} is in the tarball (${files.join(', ')})`);
  }
  const allowed = /^(package\.json|README\.md|LICENSE|CHANGELOG\.md|index\.d\.c?ts|web\/index\.d\.ts|js\/[a-z-]+\.js|(web|bundler|node|workerd)\/[a-z_-]+\.(js|mjs|cjs|wasm)|node\/package\.json|bin\/cube\.mjs|cli\/[a-z-]+\.mjs|sandbox\/([a-z-]+\.js|cube_sandbox(_bg\.wasm|\.js)|index\.d\.ts)|demo\/(index\.html|style\.css|app\.js|js\/[a-z-]+\.js)|docs\/([\w-]+\/)*[\w.-]+\.(md|png|svg)|docs\/nightly-recipe\.sh)$/;
  const unexpected = files.filter((f) => !allowed.test(f));
  assert.deepEqual(unexpected, [], 'no source maps, sources, tests, HTML docs or dotfiles');
  for (const f of files) {
    assert.ok(!/\.(map|rs|toml|lock|ts\.map)$|(^|\/)(\.|tests?\/|src\/)/.test(f), f);
  }
  // docs/ (the Markdown guides and API reference) stays small: the HTML rendering of the same
  // reference was 1.7 MB (0.15 MB gzip), which is why it is not shipped.
  const docs = packed.manifest.files.filter((f) => f.path.startsWith('docs/'));
  assert.ok(docs.reduce((n, f) => n + f.size, 0) < 250_000, 'docs/ stays under 250 KB unpacked');
  // The types also sit next to the web build, for extensions that copy web/ and js/ only.
  assert.ok(files.includes('web/index.d.ts'));
  assert.equal(readFileSync(path.join(installed, 'web/index.d.ts'), 'utf8'), readFileSync(path.join(installed, 'index.d.ts'), 'utf8'));
  // The wasm files are the same engine (one cargo build, identical wasm-bindgen outputs),
  // shipped twice: web (also read by Node) and bundler (imported from its own folder).
  const wasm = Object.values(BUILD_FILES).flat().filter((f) => f.endsWith('.wasm'));
  assert.equal(wasm.length, 2);
  assert.deepEqual(files.filter((f) => f.startsWith('node/') && f.endsWith('.wasm')), []);
  for (const glue of ['node/cube_integration.js', 'node/cube_records.js']) {
    assert.match(readFileSync(path.join(installed, glue), 'utf8'), /\$\{__dirname\}\/\.\.\/web\/cube_\w+_bg\.wasm/);
  }
  // Every wasm file: the client's two modules (engine, records) in web/ and bundler/, and the
  // sandbox's core once.
  assert.deepEqual(files.filter((f) => f.endsWith('.wasm')).sort(), [
    'bundler/cube_integration_bg.wasm', 'bundler/cube_records_bg.wasm', 'sandbox/cube_sandbox_bg.wasm',
    'web/cube_integration_bg.wasm', 'web/cube_records_bg.wasm',
  ]);
  const sizes = packed.manifest.files.filter((f) => f.path.endsWith('.wasm')).map((f) => f.size);
  assert.ok(sizes.every((s) => s > 50_000 && s < 1_000_000), `wasm sizes ${sizes}`);
  // The client was 0.70 MB gzip (BENCHMARKS.md); cube-integration/sandbox adds its core's wasm
  // (~0.2 MB gzip) and the demo page, which took the tarball just over 1 MB (1.006 MB).
  // 0.85 MB since the sandbox reads import sheets (POST /_sandbox/import: an .xlsx reader with
  // its inflate, CSV, the import's checks): its wasm grew by 76 KB (31 KB gzip), to 0.69 MB.
  // 0.9 MB since the CRM loop: the sandbox's targeted edits (`edits({ set })`) and the demo's
  // update-file download took the two to 0.87 MB.
  const sandboxPart = packed.manifest.files.filter((f) => f.path.startsWith('sandbox/') || f.path.startsWith('demo/'));
  assert.ok(sandboxPart.reduce((n, f) => n + f.size, 0) < 900_000, 'the sandbox and the demo page stay under 0.9 MB unpacked');
  // 1.2 MB since the sync at any size (the records module's snapshot index and streamed report);
  // 1.25 MB since 0.2.0 ships its documentation (docs/: the pages and the API reference, ~40 KB
  // gzip). Most of the rest is each wasm module twice (web/ and bundler/, ~0.38 MB gzip).
  // 1.35 MB since the CRM mappings (updateFile, importSheet through a mapping, the presets):
  // about 0.07 MB gzip, most of it their code in the records module, shipped twice.
  // 1.4 MB since the sandbox reads Cube's import sheet (its xlsx and CSV reader: +31 KB gzip).
  // 1.41 MB since the records module is a crate of its own (records/wasm/): the generic
  // serde_json code it shares with the client crate is compiled in each (+5.5 KB raw, +1.1 KB
  // gzip per copy of the module; the tarball 1,398,663 → 1,402,480 bytes).
  // 1.42 MB since the update files are streamed by the sync (UpdateWriter, RawSync's updates),
  // the sandbox's targeted edits and the demo's update-file download: 1,415,789 bytes.
  // 1.43 MB since CubeClient's methods are made from the endpoint table, shipped as data
  // (js/endpoint-table.js and its CommonJS copy) beside the engine's richer table: 1,423,134.
  // The next step down is one copy of each wasm module (the bundler glue importing web/'s).
  assert.ok(packed.manifest.size < 1_430_000, `tarball ${packed.manifest.size} bytes (gzip) stays under 1.43 MB`);
  assert.equal(packed.manifest.name, 'cube-integration');
  assert.equal(packed.manifest.version, '0.2.0');
});

test('the shipped documents are the real ones', () => {
  const readme = readFileSync(path.join(installed, 'README.md'), 'utf8');
  for (const heading of ['Browser', 'Bundler', 'Node', 'extension', 'nightly', 'API reference']) {
    assert.match(readme, new RegExp(heading, 'i'), `README mentions ${heading}`);
  }
  assert.ok(readme.length > 2000, 'the npm README is not a stub');
  assert.match(readFileSync(path.join(installed, 'LICENSE'), 'utf8'), /^MIT License/);
  assert.match(readFileSync(path.join(installed, 'CHANGELOG.md'), 'utf8'), /## \[0\.1\.0\]/);
});

test('one version: the newest CHANGELOG entry, package.json, `cube --version` and the API reference\'s title agree', async () => {
  const { version } = readJson(path.join(installed, 'package.json'));
  const newest = /^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$/m.exec(readFileSync(path.join(installed, 'CHANGELOG.md'), 'utf8'));
  assert.ok(newest, 'the CHANGELOG has a dated release entry');
  assert.equal(newest[1], version, 'the newest CHANGELOG entry is package.json\'s version');
  const changelog = readFileSync(path.join(installed, 'CHANGELOG.md'), 'utf8');
  assert.ok(changelog.indexOf(`## [${version}]`) < changelog.indexOf('## [0.1.0]'), 'newest first');
  const out = execFileSync(process.execPath, [path.join(installed, 'bin/cube.mjs'), '--version'], { encoding: 'utf8' });
  assert.equal(out.trim(), version);
  const title = readFileSync(path.join(installed, 'docs/api/README.md'), 'utf8').split('\n')[0];
  assert.equal(title, `# cube-integration v${version}`, 'the API reference (typedoc) is titled with the version');
});

test('package.json: name, version, metadata, exports conditions, types, sideEffects, files, engines', () => {
  const pkg = readJson(path.join(installed, 'package.json'));
  assert.equal(pkg.name, 'cube-integration');
  assert.equal(pkg.version, '0.2.0');
  assert.equal(typeof pkg.description, 'string');
  assert.match(pkg.description, /Cube/);
  assert.ok(pkg.description.length > 40 && pkg.description.length < 300, 'a description npm search can show');
  assert.equal(pkg.license, 'MIT');
  assert.equal(pkg.repository?.type, 'git');
  assert.match(pkg.repository?.url ?? '', /^git\+https:\/\/github\.com\/[\w.-]+\/[\w.-]+\.git$/);
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.types, './index.d.ts');
  assert.equal(pkg.main, './node/index.cjs');
  assert.equal(pkg.module, './web/index.js');
  assert.deepEqual(pkg.engines, { node: '>=18' });
  assert.ok(pkg.sideEffects === false || Array.isArray(pkg.sideEffects), 'sideEffects is declared');
  assert.deepEqual(
    pkg.files.filter((f) => f !== 'index.d.cts').sort(),
    ['CHANGELOG.md', 'LICENSE', 'README.md', 'bin/', 'bundler/', 'cli/', 'demo/', 'docs/', 'index.d.ts', 'js/', 'node/', 'sandbox/', 'web/', 'workerd/'],
    'the builds, the types (index.d.cts too, once CommonJS gets its own), the command line, the sandbox and its demo page, and the documents (docs/: guides and the API reference in Markdown)',
  );
  // The `cube` command line: a bin npm links, under both names (`npx cube-integration …` runs
  // the one named as the package; `cube` once installed).
  assert.deepEqual(pkg.bin, { cube: 'bin/cube.mjs', 'cube-integration': 'bin/cube.mjs' });
  assert.ok(packed.files.includes('bin/cube.mjs'));
  assert.match(readFileSync(path.join(installed, 'bin/cube.mjs'), 'utf8'), /^#!\/usr\/bin\/env node\n/);
  assert.equal(pkg.dependencies, undefined, 'no runtime dependencies');
  for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) {
    assert.equal(pkg.scripts?.[hook], undefined, `no ${hook} script`);
  }
  assert.equal(pkg.private, undefined);

  const root = pkg.exports['.'];
  // "types" first (TypeScript, also for users whose customConditions include "workerd"), then
  // "workerd" before every other runtime condition (wrangler also matches "worker" and
  // "browser"), "default" last.
  assert.deepEqual(Object.keys(root), ['types', 'workerd', 'node', 'default'], '"types" first, then "workerd", "default" last');
  assert.equal(root.workerd, './workerd/index.js');
  assert.equal(pkg.exports['./workerd'].default, './workerd/index.js');
  assert.deepEqual(root.node, { import: './node/index.mjs', require: './node/index.cjs' });
  assert.equal(root.default, './web/index.js');
  assert.equal(pkg.exports['./web'].default, './web/index.js');
  assert.equal(pkg.exports['./bundler'].default, './bundler/index.js');
  assert.deepEqual(
    Object.keys(pkg.exports).sort(),
    ['.', './bundler', './node', './package.json', './sandbox', './web', './workerd'],
  );
  // cube-integration/sandbox: its own types, then the same runtime order as '.'.
  assert.deepEqual(pkg.exports['./sandbox'], {
    types: './sandbox/index.d.ts',
    workerd: './sandbox/workerd.js',
    node: './sandbox/node.js',
    default: './sandbox/index.js',
  });
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    if (typeof target !== 'object' || subpath === './sandbox') continue;
    assert.equal(Object.keys(target).at(0), 'types', `${subpath}: "types" comes first`);
    // Either one file, or (for CommonJS types) { require: './index.d.cts', default: './index.d.ts' },
    // under "node" for '.', whose `require` outside Node (a bundler) gets the ESM web build.
    const types = typeof target.types === 'string' ? { default: target.types } : target.types;
    assert.equal(types.default, './index.d.ts', subpath);
    for (const cjs of [types, types.node ?? {}]) {
      if (cjs.require !== undefined) assert.equal(cjs.require, './index.d.cts', subpath);
    }
  }
  assert.deepEqual(root.types, { node: { require: './index.d.cts', default: './index.d.ts' }, default: './index.d.ts' });
  // For resolvers that ignore `exports` (TypeScript's moduleResolution node10): the subpaths
  // without a folder of their own that has types (web/ and sandbox/ have index.d.ts, node/ a
  // package.json of its own).
  assert.deepEqual(pkg.typesVersions, { '*': { bundler: ['./index.d.ts'], workerd: ['./index.d.ts'] } });

  // Every file package.json points at is in the tarball.
  const targets = [];
  const walk = (v) => (typeof v === 'string' ? targets.push(v) : Object.values(v).forEach(walk));
  walk(pkg.exports);
  targets.push(pkg.main, pkg.module, pkg.types);
  for (const t of new Set(targets)) {
    assert.ok(packed.files.includes(t.replace(/^\.\//, '')), `${t} is in the tarball`);
  }
  // The nodejs output is CommonJS inside a "type": "module" package; `main` and `types` for
  // resolvers that ignore `exports` and take node/ as the package of `cube-integration/node`.
  assert.deepEqual(readJson(path.join(installed, 'node/package.json')), { type: 'commonjs', main: './index.cjs', types: '../index.d.cts' });
});

test('every relative import, require and wasm URL in the shipped JS resolves inside the tarball', () => {
  const code = packed.files.filter((f) => /\.(js|mjs|cjs)$/.test(f));
  const patterns = [
    /\b(?:import|export)\s[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]/g,
    /\bimport\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g,
    /\brequire\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g,
    /new URL\(\s*['"]([\w./-]+)['"]\s*,\s*import\.meta\.url\s*\)/g,
    /`\$\{__dirname\}\/([^`]+)`/g,
  ];
  let checked = 0;
  for (const file of code) {
    const text = readFileSync(path.join(installed, file), 'utf8');
    for (const re of patterns) {
      for (const [, spec] of text.matchAll(re)) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
        if (spec.endsWith('/')) {
          // A folder (the demo page, the package root that `cube sandbox` serves): it has files.
          const prefix = target === './' ? '' : target;
          assert.ok(packed.files.some((f) => f.startsWith(prefix)), `${file} refers to the folder ${spec} (${target}), which the tarball lacks`);
        } else {
          assert.ok(packed.files.includes(target), `${file} refers to ${spec} (${target}), which the tarball lacks`);
        }
        checked += 1;
      }
    }
    assert.doesNotMatch(text, /sourceMappingURL/, `${file} points at no source map`);
  }
  assert.ok(checked >= 10, `found the builds' references (${checked})`);
});

// TypeScript resolves the package's types the way users' compilers do.
const usage = (importLine) => `${importLine}
const client: CubeClient = new CubeClient({ baseUrl: 'http://127.0.0.1:8787', auth: { token: 't' } });
export async function names(): Promise<string[]> {
  const campaigns = await client.campaigns();
  return campaigns.map((c) => c.campaign__name);
}
export function isAuthFailure(e: unknown): boolean {
  return e instanceof CubeError && e.code === 'unauthorized';
}
// @ts-expect-error: not an error code
export const wrong: import('cube-integration').CubeErrorCode = 'nope';
`;

// TypeScript 5 from its own package: node_modules/.bin/tsc may be TypeScript 7's (the
// `typescript7` devDependency names its command `tsc` too).
async function tsc(file, options) {
  const args = ['--noEmit', '--strict', '--skipDefaultLibCheck', '--target', 'es2022', '--lib', 'es2022,dom', ...options, file];
  return sh(path.join(BIN, '../typescript/bin/tsc'), args, { cwd: projectDir, timeoutMs: 60_000 });
}

test('types: ESM under moduleResolution node16 and bundler', { timeout: 90_000 }, async () => {
  writeFiles(projectDir, {
    'esm.mts': usage("import { CubeClient, CubeError } from 'cube-integration';"),
    'bundler.ts': usage("import { CubeClient, CubeError } from 'cube-integration';"),
  });
  await tsc('esm.mts', ['--module', 'node16', '--moduleResolution', 'node16']);
  await tsc('bundler.ts', ['--module', 'esnext', '--moduleResolution', 'bundler']);
});

test('types: CommonJS under moduleResolution nodenext', { timeout: 90_000 }, async () => {
  writeFiles(projectDir, { 'cjs-next.cts': usage("import { CubeClient, CubeError } from 'cube-integration';") });
  await tsc('cjs-next.cts', ['--module', 'nodenext', '--moduleResolution', 'nodenext']);
});

test(
  'types: CommonJS under moduleResolution node16',
  { timeout: 90_000 },
  async () => {
    writeFiles(projectDir, { 'cjs16.cts': usage("import { CubeClient, CubeError } from 'cube-integration';") });
    await tsc('cjs16.cts', ['--module', 'node16', '--moduleResolution', 'node16']);
  },
);

// cube-integration/sandbox (ESM only: its Node entry is an ES module).
const SANDBOX_USAGE = `import { createSandbox, type Sandbox, type SandboxOptions, type LoggedRequest } from 'cube-integration/sandbox';
import { CubeClient } from 'cube-integration';
const options: SandboxOptions = { customers: 100, pageSize: 10, faults: ['status=503:0.1', { kind: 'reset', times: 1 }] };
export async function read(): Promise<number> {
  const sandbox: Sandbox = await createSandbox(options);
  const cube = new CubeClient({ baseUrl: sandbox.baseUrl, auth: { username: 'demo@example.com', password: 'demo' }, fetch: sandbox.fetch });
  const all = await cube.customers({ dataOwnerId: 1, crmType: 'B2C' }).toArray();
  sandbox.edits({ count: 2, crmType: 'B2B' });
  sandbox.faults({ rules: [{ kind: 'status', status: 503, times: 1 }] });
  sandbox.faults(null);
  const log: LoggedRequest[] = sandbox.requests();
  sandbox.close();
  return all.length + log.length;
}
// @ts-expect-error: not an option
export const wrong = createSandbox({ pageSise: 5 });
`;

test('types: cube-integration/sandbox under moduleResolution node16 and bundler', { timeout: 90_000 }, async () => {
  writeFiles(projectDir, { 'sandbox.mts': SANDBOX_USAGE, 'sandbox-bundler.ts': SANDBOX_USAGE });
  await tsc('sandbox.mts', ['--module', 'node16', '--moduleResolution', 'node16']);
  await tsc('sandbox-bundler.ts', ['--module', 'esnext', '--moduleResolution', 'bundler']);
});

test('every entry of cube-integration/sandbox exports what sandbox/index.d.ts declares', { timeout: 60_000 }, async () => {
  const dts = readFileSync(path.join(installed, 'sandbox/index.d.ts'), 'utf8');
  const declared = [...dts.matchAll(/^export (?:declare )?(?:function|const|class) (\w+)/gm)].map((m) => m[1]).sort();
  assert.deepEqual(declared, ['createSandbox']);
  const exportsOf = (rel) => [...readFileSync(path.join(installed, rel), 'utf8').matchAll(/^export (?:async )?function (\w+)|^export \{([^}]*)\}/gm)]
    .flatMap((m) => (m[1] ? [m[1]] : m[2].split(',').map((n) => n.trim().split(/\s+as\s+/).pop())))
    .filter(Boolean).sort();
  assert.deepEqual(exportsOf('sandbox/index.js'), declared, 'web');
  assert.deepEqual(exportsOf('sandbox/workerd.js'), declared, 'workerd');
  // Node's entry also lends the core to the `cube sandbox` command (undeclared, internal).
  assert.deepEqual(exportsOf('sandbox/node.js'), [...declared, 'loadSandboxCore'].sort(), 'node');
  const node = await import(pathToFileURL(path.join(installed, 'sandbox/node.js')).href);
  assert.deepEqual(Object.keys(node).sort(), [...declared, 'loadSandboxCore'].sort(), 'node, as imported');
});

test('the API reference (typedoc.json) builds from the shipped index.d.ts files without a warning', { timeout: 90_000 }, async () => {
  // The build renders pkg/docs/api/ (Markdown, shipped) and target/api-html/ and only prints
  // warnings; here a broken {@link} or an undocumentable type fails. --emit none: check,
  // write nothing.
  const { stdout, stderr } = await sh(
    path.join(BIN, 'typedoc'),
    ['--options', path.join(ROOT, 'typedoc.json'), '--entryPoints', path.join(installed, 'index.d.ts'),
      '--entryPoints', path.join(installed, 'sandbox/index.d.ts'),
      '--readme', path.join(installed, 'README.md'), '--emit', 'none', '--treatWarningsAsErrors'],
    { cwd: projectDir, timeoutMs: 60_000 },
  );
  assert.doesNotMatch(stdout + stderr, /\[(warning|error)\]/);
});

/** The part of a Markdown page under `### name`, up to the next heading of level 1–3. */
function section(md, name) {
  const start = md.indexOf(`\n### ${name}\n`);
  if (start < 0) return '';
  const rest = md.slice(start + 1);
  const end = rest.slice(1).search(/\n#{1,3} /);
  return end < 0 ? rest : rest.slice(0, end + 1);
}
/** The names of a page's `### name` (or `### name()`) headings, Markdown escapes removed. */
const h3 = (md) => new Set([...md.matchAll(/^### (.+)$/gm)].map((m) => m[1].replace(/\\(.)/g, '$1').replace(/\(\)$/, '')));
/** What a section documents: its `##### name()` headings and its table rows' `name`s. */
function documented(text) {
  return new Set([
    ...[...text.matchAll(/^#{4,6} (.+)\(\)$/gm)].map((m) => m[1].replace(/\\(.)/g, '$1')),
    ...[...text.matchAll(/^\| (?:<a id="[^"]*"><\/a> )?`([\w$]+)\??`/gm)].map((m) => m[1]),
  ]);
}
const missingFrom = (names, have) => [...new Set(names)].filter((n) => !have.has(n)).sort();

test('the API reference in the tarball (docs/api/, Markdown) documents every exported name, method and error code', async () => {
  const read = (rel) => readFileSync(path.join(installed, rel), 'utf8');
  const index = read('docs/api/README.md');
  for (const page of ['cube-integration.md', 'cube-integration/sandbox.md']) {
    assert.ok(index.includes(`](${page})`), `docs/api/README.md links ${page}`);
  }
  // Every name each .d.ts exports is a `### name` heading of its page.
  const pages = { 'index.d.ts': 'docs/api/cube-integration.md', 'sandbox/index.d.ts': 'docs/api/cube-integration/sandbox.md' };
  const md = {};
  for (const [dts, page] of Object.entries(pages)) {
    md[dts] = read(page);
    const declared = [...read(dts).matchAll(/^export (?:declare )?(?:abstract )?(?:class|function|const|let|type|interface) (\w+)/gm)].map((m) => m[1]);
    assert.ok(declared.length >= (dts === 'index.d.ts' ? 40 : 7), `${dts}: ${declared}`);
    assert.deepEqual(missingFrom(declared, h3(md[dts])), [], `${page} documents everything ${dts} exports`);
  }
  // What the builds export at run time (the same names in every build: tested above).
  const client = await import(pathToFileURL(path.join(installed, 'node/index.mjs')).href);
  const sandbox = await import(pathToFileURL(path.join(installed, 'sandbox/node.js')).href);
  assert.deepEqual(missingFrom(Object.keys(client), h3(md['index.d.ts'])), [], 'every runtime export of cube-integration');
  assert.deepEqual(missingFrom(Object.keys(sandbox).filter((n) => n !== 'loadSandboxCore'), h3(md['sandbox/index.d.ts'])), [], 'of cube-integration/sandbox');
  // Every CubeClient method: the engine's endpoint table (as in tests/js/node/surface.test.mjs)
  // and the scopes, and every public method the class has at run time.
  const engine = createRequire(import.meta.url)(path.join(installed, 'node/cube_integration.js'));
  const surface = JSON.parse(engine.apiSurface());
  const methodsOf = (cls) => {
    const names = [];
    for (let proto = cls.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
      for (const n of Object.getOwnPropertyNames(proto)) {
        if (n !== 'constructor' && !n.startsWith('_') && typeof Object.getOwnPropertyDescriptor(proto, n).value === 'function') names.push(n);
      }
    }
    return names;
  };
  const clientDoc = documented(section(md['index.d.ts'], 'CubeClient'));
  assert.ok(surface.endpoints.length >= 12);
  assert.deepEqual(missingFrom([...surface.endpoints.map((e) => e.method), 'crm', 'campaign', ...methodsOf(client.CubeClient)], clientDoc), [], 'CubeClient');
  assert.deepEqual(missingFrom(methodsOf(client.Pager), documented(section(md['index.d.ts'], 'Pager'))), [], 'Pager');
  assert.deepEqual(missingFrom(['code', 'status', 'retries', 'resumePage', 'toJSON'], documented(section(md['index.d.ts'], 'CubeError'))), [], 'CubeError');
  // Every error code, in the CubeErrorCode type's section.
  const codes = section(md['index.d.ts'], 'CubeErrorCode');
  assert.deepEqual(client.ERROR_CODES.filter((c) => !codes.includes(`"${c}"`)), [], 'every error code');
  // The sandbox object's members, as its interface declares them.
  const sandboxDts = read('sandbox/index.d.ts');
  const body = /^export interface Sandbox \{([\s\S]*?)^\}/m.exec(sandboxDts)[1];
  const members = [...body.matchAll(/^ {2}(?:readonly )?(\w+)\??[(:]/gm)].map((m) => m[1]);
  assert.ok(members.includes('fetch') && members.includes('close'), String(members));
  assert.deepEqual(missingFrom(members, documented(section(md['sandbox/index.d.ts'], 'Sandbox'))), [], 'Sandbox');
});

// The same program must work whichever build a resolver picks: every build exports the
// names index.d.ts declares, no more, no fewer.
async function exportsOfEveryBuild() {
  const dts = readFileSync(path.join(installed, 'index.d.ts'), 'utf8');
  const declared = [...dts.matchAll(/^export declare (?:class|function|const|let) (\w+)/gm)].map((m) => m[1]).sort();
  const names = (m) => Object.keys(m).sort();
  const url = (rel) => pathToFileURL(path.join(installed, rel)).href;
  // The bundler and workerd entries import .wasm files, which Node cannot: read their export lists.
  const exportList = (rel) => {
    const source = readFileSync(path.join(installed, rel), 'utf8');
    const list = [...source.matchAll(/export const \{([^}]*)\}/g)]
      .flatMap((m) => m[1].split(',')).map((n) => n.trim()).filter(Boolean);
    if (/export default/.test(source)) list.push('default');
    return list.sort();
  };
  return {
    declared,
    nodeEsm: names(await import(url('node/index.mjs'))),
    nodeCjs: names(createRequire(import.meta.url)(path.join(installed, 'node/index.cjs'))),
    web: names(await import(url('web/index.js'))), // importing it fetches nothing: init is lazy
    bundler: exportList('bundler/index.js'),
    workerd: exportList('workerd/index.js'),
  };
}

test('every build exports the names index.d.ts declares', { timeout: 60_000 }, async () => {
  const { declared, nodeEsm, nodeCjs, web, bundler, workerd } = await exportsOfEveryBuild();
  assert.ok(declared.includes('CubeClient') && declared.includes('CubeError') && declared.includes('ready'), String(declared));
  assert.deepEqual(nodeCjs, declared, 'require()');
  assert.deepEqual(web, declared, 'web');
  assert.deepEqual(bundler, declared, 'bundler');
  assert.deepEqual(workerd, declared, 'workerd');
  assert.deepEqual(nodeEsm.filter((n) => n !== 'default'), declared, 'Node import');
});

test(
  'no build has a default export that the others and index.d.ts lack',
  async () => {
    const { nodeEsm } = await exportsOfEveryBuild();
    assert.ok(!nodeEsm.includes('default'), 'Node import has a default export; web, bundler and index.d.ts do not');
  },
);
