// Secrets: for Basic and Token clients, every error kind the package can give — including
// servers that echo the Authorization header back — never shows a password, a token or the
// base64 Basic credential: not in `message`, `toString()`, `JSON.stringify(error)`, `stack`,
// `detail`, `url`, any hook payload, or anything written to the console. `Authorization` never
// reaches another origin (foreign `next`, redirects), and plain http is refused except on
// loopback.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { CubeClient, CubeError } from '../../../pkg/node/index.mjs';
import { startSandbox } from '../support/sandbox.mjs';

const USER = 'sec.user@example.com';
const PASSWORD = 'Pa55-wörd-Secret!';
const TOKEN = 'tok-SECRET-9f8e7d6c5b4a3210';
const PARTNER = { username: 'partner@example.com', password: 'partner-Secret-77', token: 'ptok-SECRET-12345678' };
const b64 = (user, password) => Buffer.from(`${user}:${password}`, 'utf8').toString('base64');

/** The clients under test and the strings that must never show. */
const clients = {
  basic: { auth: { username: USER, password: PASSWORD }, secrets: [PASSWORD, b64(USER, PASSWORD)] },
  token: { auth: { token: TOKEN }, secrets: [TOKEN] },
};
const header = (auth) => (auth.token ? `Token ${auth.token}` : `Basic ${b64(auth.username, auth.password)}`);
const ALL_SECRETS = [
  PASSWORD,
  b64(USER, PASSWORD),
  TOKEN,
  PARTNER.password,
  PARTNER.token,
  b64(PARTNER.username, PARTNER.password),
  'WRONG-pass-4711',
  'WRONG-token-4711',
  b64(USER, 'WRONG-pass-4711'),
];

let sb;
let other; // another origin, recording what reaches it
const events = []; // every hook payload of every client
const consoleOut = []; // everything the package writes to the console
const originals = {};
const hooks = {
  onRequest: (e) => events.push(['request', e]),
  onResponse: (e) => events.push(['response', e]),
  onRetry: (e) => events.push(['retry', e]),
};

before(async () => {
  [sb, other] = await Promise.all([
    startSandbox([
      '--customers', '300', '--page-size', '100',
      '--username', USER, '--password', PASSWORD, '--token', TOKEN,
      '--external-password', PARTNER.password, '--external-token', PARTNER.token,
    ]),
    startSandbox(),
  ]);
  for (const m of ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir']) {
    originals[m] = console[m];
    console[m] = (...args) => {
      consoleOut.push(args.map((a) => (typeof a === 'string' ? a : (() => { try { return JSON.stringify(a) ?? String(a); } catch { return String(a); } })())).join(' '));
    };
  }
  originals.emitWarning = process.emitWarning;
  process.emitWarning = (w, ...rest) => consoleOut.push(String(w?.message ?? w), ...rest.map(String));
});
after(() => {
  for (const [m, f] of Object.entries(originals)) (m === 'emitWarning' ? process : console)[m] = f;
  sb.stop();
  other.stop();
});
beforeEach(async () => {
  await sb.clearFaults();
});

/** Every string a caller (or a logger) may see of an error. */
function surfaces(e) {
  let json;
  try {
    json = JSON.stringify(e);
  } catch (err) {
    json = `JSON.stringify threw ${err}`;
  }
  return { message: e?.message, toString: String(e), json, stack: e?.stack, detail: e?.detail, url: e?.url, inspect: `${Object.entries(e ?? {})}` };
}

function assertClean(where, texts, secrets = ALL_SECRETS) {
  for (const [surface, text] of Object.entries(texts)) {
    if (typeof text !== 'string') continue;
    for (const secret of secrets) {
      assert.ok(!text.includes(secret), `${where}: ${surface} shows a secret (${secret.slice(0, 4)}…): ${text.slice(0, 400)}`);
    }
  }
}

/** Run `call`, expect a CubeError with `code`, and check it carries no secret. */
async function expectClean(where, code, call) {
  let error;
  try {
    const out = call();
    await (typeof out?.toArray === 'function' ? out.toArray() : out);
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof CubeError, `${where}: expected a CubeError, got ${error}`);
  assert.equal(error.code, code, `${where}: ${error.message}`);
  assertClean(where, surfaces(error));
  return error;
}

const make = (kind, options = {}) => new CubeClient({ baseUrl: sb.url, auth: clients[kind].auth, retryDelayMs: 1, ...hooks, ...options });

for (const kind of ['basic', 'token']) {
  test(`${kind}: every error from the sandbox is free of credentials`, { timeout: 30_000 }, async () => {
    const crm = { dataOwnerId: 1, crmType: 'B2C' };
    // 401: the client's own (wrong) credentials are its secrets here.
    const wrong = kind === 'basic' ? { username: USER, password: 'WRONG-pass-4711' } : { token: 'WRONG-token-4711' };
    await expectClean('401', 'unauthorized', () => make(kind, { auth: wrong }).whoAmI());
    // 403: the external user may not list every campaign.
    const partner = kind === 'basic' ? { username: PARTNER.username, password: PARTNER.password } : { token: PARTNER.token };
    await expectClean('403', 'forbidden', () => make(kind, { auth: partner }).campaigns());
    await expectClean('404', 'not_found', () => make(kind).customers({ dataOwnerId: 999, crmType: 'B2C' }));
    await sb.faults({ rules: [{ kind: 'status', status: 400 }] });
    await expectClean('400', 'bad_request', () => make(kind).campaigns());
    await sb.faults({ rules: [{ kind: 'status', status: 429, retryAfter: 3600 }] });
    await expectClean('429', 'rate_limited', () => make(kind).campaigns());
    await sb.faults({ rules: [{ kind: 'status', status: 503 }] });
    await expectClean('503 after retries', 'server', () => make(kind, { maxRetries: 2 }).customers(crm));
    await sb.faults({ rules: [{ kind: 'status', status: 500, body: 'html' }] });
    await expectClean('500 html', 'server', () => make(kind, { maxRetries: 0 }).whoAmI());
    await sb.faults({ rules: [{ kind: 'html' }] });
    await expectClean('html 200', 'invalid_response', () => make(kind).whoAmI());
    await sb.faults({ rules: [{ route: '/api/v1/data_owners/', kind: 'invalid_utf8' }] });
    await expectClean('invalid utf-8', 'invalid_response', () => make(kind).customers(crm));
    await sb.faults({ rules: [{ kind: 'truncate' }] });
    await expectClean('truncated', 'invalid_response', () => make(kind, { maxRetries: 1 }).campaigns());
    await sb.faults({ rules: [{ kind: 'reset' }] });
    await expectClean('reset', 'network', () => make(kind, { maxRetries: 1 }).campaigns());
    await expectClean('refused', 'network', () => make(kind, { baseUrl: 'http://127.0.0.1:9', maxRetries: 0 }).whoAmI());
    await sb.faults({ latencyMs: 1000 });
    await expectClean('timeout', 'timeout', () => make(kind, { timeoutMs: 150, maxRetries: 1 }).whoAmI());
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expectClean('abort', 'aborted', () => make(kind).customers({ ...crm, signal: controller.signal }));
    await sb.clearFaults();
    await expectClean('invalid_argument (param)', 'invalid_argument', () => make(kind).customers({ dataOwnerId: 'abc', crmType: 'B2C' }));
    await expectClean('invalid_argument (option)', 'invalid_argument', () => make(kind, { timeoutMs: -1 }));
    await expectClean('invalid_argument (typo next to a secret)', 'invalid_argument', () => make(kind, { auth: { ...clients[kind].auth, user: USER } }));
  });
}

test('credentials given in the wrong form are refused without repeating them', { timeout: 10_000 }, async () => {
  const cases = [
    ['auth.token', { token: `Token ${TOKEN}` }],
    ['auth.token', { token: `${TOKEN} x` }],
    ['auth.token', { token: `${TOKEN}ø` }],
    ['auth', { username: USER, password: `${PASSWORD}\n` }],
    ['auth', { username: USER, password: PASSWORD, token: TOKEN }],
    ['auth.passwd', { username: USER, passwd: PASSWORD }],
  ];
  for (const [param, auth] of cases) {
    const e = await expectClean(param, 'invalid_argument', () => new CubeClient({ baseUrl: sb.url, auth }));
    assert.equal(e.param, param);
  }
  const e = await expectClean('baseUrl with userinfo', 'invalid_argument', () => new CubeClient({ baseUrl: `https://${USER}:${PASSWORD}@acme.headshed.com`, auth: { token: TOKEN } }));
  assert.equal(e.param, 'baseUrl');
});

test('a base URL\'s query, fragment and user-info never show in its refusal', { timeout: 5_000 }, async () => {
  const IN_URL = 'qtok-SECRET-0a1b2c3d4e';
  const cases = [
    [`https://acme.headshed.com/x?token=${IN_URL}`, '"https://acme.headshed.com/x?…"'],
    [`https://acme.headshed.com/x#token=${IN_URL}`, '"https://acme.headshed.com/x#…"'],
    [`https://u:${IN_URL}@acme.headshed.com/?token=${IN_URL}`, '"https://…@acme.headshed.com/?…"'],
    [`http://acme.headshed.com/?token=${IN_URL}`, '"http://acme.headshed.com/?…"'],
    [`acme.headshed.com/?token=${IN_URL}`, '"acme.headshed.com/?…"'],
  ];
  for (const [baseUrl, shown] of cases) {
    const e = await expectClean('baseUrl with a secret', 'invalid_argument', () => new CubeClient({ baseUrl, auth: { token: TOKEN } }));
    assertClean('baseUrl with a secret', surfaces(e), [IN_URL]);
    assert.equal(e.param, 'baseUrl');
    assert.ok(e.message.includes(shown), e.message.replaceAll(IN_URL, '[the secret]'));
  }
});

/** A fetch that answers every request with `status` and a body echoing the Authorization header. */
const echoing = (status, makeBody, contentType = 'application/json') => async (url, init) => {
  const auth = init.headers.Authorization ?? new Headers(init.headers).get('authorization');
  return new Response(makeBody(auth), { status, headers: { 'Content-Type': contentType, 'Retry-After': '0' } });
};

for (const kind of ['basic', 'token']) {
  test(`${kind}: a server echoing the Authorization header cannot leak it`, { timeout: 20_000 }, async () => {
    const bodies = {
      detail: (a) => JSON.stringify({ detail: `Invalid header: Authorization: ${a}` }),
      fields: (a) => JSON.stringify({ authorization: [a], headers: { Authorization: a } }),
      list: (a) => JSON.stringify([`bad ${a}`, { got: a }]),
      string: (a) => JSON.stringify(a),
      escaped: (a) => JSON.stringify({ detail: a }).replace(/[A-Za-z]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
      html: (a) => `<html><body><pre>Authorization: ${a}</pre></body></html>`,
      text: (a) => `error: ${a}`,
    };
    const statuses = { 400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 429: 'rate_limited', 500: 'server', 502: 'server', 503: 'server', 504: 'timeout' };
    for (const [status, code] of Object.entries(statuses)) {
      for (const [name, body] of Object.entries(bodies)) {
        const c = make(kind, { fetch: echoing(Number(status), body, name === 'html' ? 'text/html' : 'application/json'), maxRetries: 1 });
        await expectClean(`${status} ${name}`, code, () => c.whoAmI());
        await expectClean(`${status} ${name} (list)`, code, () => c.customers({ dataOwnerId: 1, crmType: 'B2C' }));
      }
    }
    // 200 answers that are not what Cube documents, echoing the header.
    for (const [name, body] of Object.entries(bodies)) {
      const c = make(kind, { fetch: echoing(200, (a) => body(a).slice(0, -1)) });
      await expectClean(`200 broken ${name}`, 'invalid_response', () => c.campaigns());
    }
    // A network failure whose message quotes the request (as some fetch polyfills do).
    const throwing = async (url, init) => {
      throw new TypeError(`fetch failed: ${url} with ${JSON.stringify(init.headers)}`);
    };
    await expectClean('fetch throws', 'network', () => make(kind, { fetch: throwing, maxRetries: 1 }).whoAmI());
  });
}

// Regression (found by this file, fixed in bd0f86f, src/errors/detail.rs + mod.rs): the
// server's detail was cut to 300 characters *before* the client redacted its credentials, so a
// secret straddling the cut lost its tail, no longer matched, and its first characters showed
// in `detail` and `message`.
for (const kind of ['basic', 'token']) {
  test(`${kind}: an echoed credential cut by the 300-character detail limit is not shown in part`, { timeout: 10_000 }, async () => {
    const value = header(clients[kind].auth);
    const secret = clients[kind].secrets.at(-1); // the token, or the base64 credential
    const start = value.indexOf(secret);
    for (const keep of [4, 8, 12]) {
      // Pad so that exactly `keep` characters of the secret come before the cut.
      const pad = 'x'.repeat(300 - start - keep - 1);
      const c = make(kind, { fetch: echoing(401, (a) => JSON.stringify({ detail: `${pad} ${a} (echoed)` })) });
      const e = await expectClean(`cut after ${keep}`, 'unauthorized', () => c.whoAmI());
      const shown = secret.slice(0, keep);
      for (const [surface, text] of Object.entries(surfaces(e))) {
        assert.ok(typeof text !== 'string' || !text.includes(shown), `${surface} shows the first ${keep} characters of the credential: …${text?.slice(280, 320)}`);
      }
    }
  });
}

test('hook payloads and the console never carried a credential', { timeout: 5_000 }, () => {
  assert.ok(events.length > 100, `hooks were called (${events.length})`);
  assert.ok(events.some(([k]) => k === 'retry'), 'onRetry was called');
  assertClean('hooks', { events: JSON.stringify(events) });
  assertClean('console', { console: consoleOut.join('\n') });
});

/** A loopback HTTP server that records requests and answers with `answer(req, res)`. */
async function recorder(answer) {
  const seen = [];
  const server = http.createServer((req, res) => {
    seen.push({ url: req.url, headers: req.headers });
    answer(req, res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, seen, close: () => new Promise((r) => server.close(r)) };
}

test('Authorization never reaches another origin: foreign `next` links', { timeout: 15_000 }, async () => {
  await sb.faults({ rules: [{ route: '/api/v1/', kind: 'foreign_next', origin: other.url }] });
  await other.clearRequests();
  for (const kind of ['basic', 'token']) {
    const records = await make(kind).customers({ dataOwnerId: 1, crmType: 'B2C' }).toArray();
    assert.equal(records.length, 300);
    await make(kind).callOutcomes({ campaignId: 101 }).toArray();
  }
  assert.deepEqual(await other.requests(), [], 'the other origin got no request');
});

test('Authorization never reaches another origin: redirects are refused, not followed', { timeout: 15_000 }, async () => {
  const target = await recorder((req, res) => res.end('{}'));
  for (const status of [301, 302, 303, 307, 308]) {
    const redirector = await recorder((req, res) => {
      res.writeHead(status, { Location: `${target.url}/account/who_am_i` });
      res.end();
    });
    try {
      for (const kind of ['basic', 'token']) {
        // Retries allowed: a refused redirect is not retried (the same request gets the same answer).
        const c = new CubeClient({ baseUrl: redirector.url, auth: clients[kind].auth, retryDelayMs: 1 });
        const e = await expectClean(`${status} redirect`, 'invalid_response', () => c.whoAmI());
        assert.match(e.message, /was answered with a redirect, which is never followed/);
        assert.equal(e.retries, 0);
      }
      assert.equal(redirector.seen.length, 2);
      assert.ok(redirector.seen.every((r) => r.headers.authorization), 'the configured origin got the header');
    } finally {
      await redirector.close();
    }
  }
  assert.deepEqual(target.seen, [], 'the redirect target got nothing');
  await target.close();
});

test('plain http is refused except for loopback hosts; no credential in the refusal', { timeout: 5_000 }, async () => {
  const refused = [
    'http://acme.headshed.com',
    'http://10.0.0.1:8787',
    'http://192.168.1.10',
    'http://127.0.0.1.evil.com',
    'http://localhost.evil.com',
    'http://evil.com#@127.0.0.1',
    'http://evil.com?127.0.0.1',
    'http://2130706433',
    'http://0x7f.0.0.1',
    'http://[::ffff:7f00:1]',
    'http://[::2]',
    `http://${USER}:${PASSWORD}@127.0.0.1:8787`,
    'ftp://127.0.0.1',
    'ws://127.0.0.1',
    'file:///etc/passwd',
    'javascript:alert(1)',
    '//acme.headshed.com',
  ];
  for (const baseUrl of refused) {
    const e = await expectClean(baseUrl, 'invalid_argument', () => new CubeClient({ baseUrl, auth: { token: TOKEN } }));
    assert.equal(e.param, 'baseUrl', baseUrl);
  }
  for (const baseUrl of ['https://acme.headshed.com', 'http://127.0.0.1:8787', 'http://127.1.2.3', 'http://localhost:3000', 'http://[::1]:9000', 'HTTP://LOCALHOST']) {
    assert.ok(new CubeClient({ baseUrl, auth: { token: TOKEN } }), baseUrl);
  }
});
