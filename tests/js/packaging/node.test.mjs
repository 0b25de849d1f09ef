// The installed tarball in Node: ESM `import`, CommonJS `require`, both in one program
// (one CubeError class), in projects of either "type".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox } from '../support/sandbox.mjs';
import { pack, project, nodeJson, cleanup, PROBE_SOURCE, SANDBOX_ARGS, checkProbe } from './tarball.mjs';

let sb;
let info;
let tarball;
before(async () => {
  [sb, { tarball }] = await Promise.all([startSandbox(SANDBOX_ARGS), pack()]);
  info = await sb.info();
}, { timeout: 60_000 });
after(() => {
  sb?.stop();
  cleanup();
});

const esmProbe = `
import * as api from 'cube-integration';
import { fileURLToPath } from 'node:url';
${PROBE_SOURCE}
const result = await probe(api, process.argv[2]);
result.resolved = fileURLToPath(import.meta.resolve('cube-integration'));
console.log(JSON.stringify(result));
`;

const cjsProbe = `
'use strict';
const api = require('cube-integration');
${PROBE_SOURCE}
probe(api, process.argv[2]).then((result) => {
  result.resolved = require.resolve('cube-integration');
  console.log(JSON.stringify(result));
}, (e) => { console.error(e); process.exit(1); });
`;

const rel = (dir, file) => file.slice(dir.length + 1);

test('ESM import in a "type": "module" project gets the node build', { timeout: 60_000 }, async () => {
  const dir = await project('esm', tarball, { type: 'module', files: { 'main.js': esmProbe } });
  const result = await nodeJson(dir, 'main.js', [sb.url]);
  assert.equal(rel(dir, result.resolved), 'node_modules/cube-integration/node/index.mjs');
  checkProbe(assert, result, info);
});

test('CommonJS require in a "type": "commonjs" project gets the node build', { timeout: 60_000 }, async () => {
  const dir = await project('cjs', tarball, { type: 'commonjs', files: { 'main.js': cjsProbe } });
  const result = await nodeJson(dir, 'main.js', [sb.url]);
  assert.equal(rel(dir, result.resolved), 'node_modules/cube-integration/node/index.cjs');
  checkProbe(assert, result, info);
});

test('.mjs and .cjs files side by side; import and require share one CubeError', { timeout: 60_000 }, async () => {
  const mixed = `
import * as esm from 'cube-integration';
import * as nodeSubpath from 'cube-integration/node';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const cjs = require('cube-integration');
const pkg = require('cube-integration/package.json');
const baseUrl = process.argv[2];
// An error thrown by the CommonJS client, caught with the ESM class, and the other way round.
const fromCjs = await new cjs.CubeClient({ baseUrl, auth: { token: 'nope' }, maxRetries: 0 }).whoAmI().catch((e) => e);
const fromEsm = await new esm.CubeClient({ baseUrl, auth: { token: 'nope' }, maxRetries: 0 }).whoAmI().catch((e) => e);
const invalid = (() => { try { new cjs.CubeClient({ baseUrl, auth: {}, bogus: 1 }); } catch (e) { return e; } })();
console.log(JSON.stringify({
  sameClient: esm.CubeClient === cjs.CubeClient && nodeSubpath.CubeClient === cjs.CubeClient,
  sameError: esm.CubeError === cjs.CubeError,
  sameCodes: esm.ERROR_CODES === cjs.ERROR_CODES,
  cjsErrorIsEsmCubeError: fromCjs instanceof esm.CubeError,
  esmErrorIsCjsCubeError: fromEsm instanceof cjs.CubeError,
  codes: [fromCjs.code, fromEsm.code],
  invalid: { isCubeError: invalid instanceof esm.CubeError, code: invalid.code },
  version: pkg.version,
}));
`;
  const dir = await project('mixed', tarball, { type: 'commonjs', files: { 'main.mjs': mixed, 'probe.cjs': cjsProbe } });
  const result = await nodeJson(dir, 'main.mjs', [sb.url]);
  assert.deepEqual(result, {
    sameClient: true,
    sameError: true,
    sameCodes: true,
    cjsErrorIsEsmCubeError: true,
    esmErrorIsCjsCubeError: true,
    codes: ['unauthorized', 'unauthorized'],
    invalid: { isCubeError: true, code: 'invalid_argument' },
    version: '0.2.0',
  });
  checkProbe(assert, await nodeJson(dir, 'probe.cjs', [sb.url]), info);
});
