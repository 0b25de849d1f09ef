// whoAmI and authentication through the built package (Node build) against the sandbox.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { CubeClient, CubeError, ERROR_CODES } from '../../../pkg/node/index.mjs';
import { startSandbox, BASIC } from '../support/sandbox.mjs';

// Per test: generous, so only a hang fails by time (CI is a busy 2-core machine).
const T = { timeout: 60_000 };

let sb;
before(async () => {
  sb = await startSandbox(['--username', 'åse.ødegård@example.no', '--password', 'blåbær-æøå', '--token', 'node-test-token']);
});
after(() => sb.stop());

test('Basic auth with æøå in the credentials (UTF-8, not btoa)', T, async () => {
  const client = new CubeClient({ baseUrl: sb.url, auth: { username: 'åse.ødegård@example.no', password: 'blåbær-æøå' } });
  const me = await client.whoAmI();
  assert.equal(me.username, 'åse.ødegård@example.no');
  const log = await sb.requests();
  const last = log.at(-1);
  assert.equal(last.path, '/account/who_am_i');
  assert.equal(last.headers.authorization, 'Basic ' + Buffer.from('åse.ødegård@example.no:blåbær-æøå', 'utf8').toString('base64'));
  assert.equal(last.headers.accept, 'application/json');
  assert.equal(last.headers['content-type'], 'application/json');
});

test('Token auth sends "Authorization: Token …"', T, async () => {
  const client = new CubeClient({ baseUrl: sb.url, auth: { token: 'node-test-token' } });
  const me = await client.whoAmI();
  assert.ok(me.username);
  const last = (await sb.requests()).at(-1);
  assert.equal(last.headers.authorization, 'Token node-test-token');
});

test('wrong credentials: CubeError unauthorized, with the server detail and no secret', T, async () => {
  const client = new CubeClient({ baseUrl: sb.url, auth: { token: 'not-the-token-4711' }, maxRetries: 3 });
  await assert.rejects(client.whoAmI(), (e) => {
    assert.ok(e instanceof CubeError);
    assert.ok(e instanceof Error);
    assert.equal(e.name, 'CubeError');
    assert.equal(e.code, 'unauthorized');
    assert.equal(e.status, 401);
    assert.equal(e.retries, 0, '401 is never retried');
    assert.ok(e.detail, 'server detail present');
    for (const text of [e.message, String(e), JSON.stringify(e), e.stack]) {
      assert.ok(!text.includes('not-the-token-4711'), text);
    }
    return true;
  });
  const wrongPassword = new CubeClient({ baseUrl: sb.url, auth: { username: 'åse.ødegård@example.no', password: 'hunter2-secret' } });
  await assert.rejects(wrongPassword.whoAmI(), (e) => e.code === 'unauthorized' && !JSON.stringify(e).includes('hunter2-secret'));
});

test('CommonJS require gives the same classes as ESM import', T, () => {
  const require = createRequire(import.meta.url);
  const cjs = require('../../../pkg/node/index.cjs');
  assert.equal(cjs.CubeClient, CubeClient);
  assert.equal(cjs.CubeError, CubeError);
  assert.deepEqual([...cjs.ERROR_CODES], [...ERROR_CODES]);
  assert.equal(ERROR_CODES.length, 14);
});

test('an unreachable server is a network error after retries', T, async () => {
  const client = new CubeClient({ baseUrl: 'http://127.0.0.1:9', auth: BASIC, maxRetries: 1, retryDelayMs: 1 });
  await assert.rejects(client.whoAmI(), (e) => e instanceof CubeError && e.code === 'network' && e.retries === 1);
});
