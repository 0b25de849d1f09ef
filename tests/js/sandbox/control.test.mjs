// The sandbox's control API over HTTP, on both of its edges (the native `cube-sandbox` binary
// and `npx cube-integration sandbox`, the package's wasm core behind Node's http), as
// sandbox/README.md documents it: a malformed fault configuration is a 400 that names the
// problem and changes nothing; the request log keeps the last 10 000 API requests.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, TOKEN } from '../support/sandbox.mjs';
import { skipUnless } from '../support/available.mjs';

const EDGES = [
  ['native', skipUnless()],
  ['node', skipUnless({ web: true, sandbox: false })],
];
const started = [];
after(() => started.forEach((sb) => sb.stop()));
const start = async (args, edge) => {
  const sb = await startSandbox(args, { edge });
  started.push(sb);
  return sb;
};
const auth = { authorization: `Token ${TOKEN.token}` };

for (const [edge, skip] of EDGES) {
  test(`${edge}: a malformed fault configuration is a 400 naming the problem, and the one before stays in force`, { timeout: 60_000, skip }, async () => {
    const sb = await start(['--customers', '50'], edge);
    // Checked against a configuration with a rule (so "unchanged" differs from "cleared").
    const kept = await sb.faults({ seed: 9, latencyMs: 1, rules: [{ route: '/api/v1/campaigns', kind: 'status', status: 502, times: 1 }] });
    assert.equal(kept.rules.length, 1);
    const cases = [
      ['not JSON', '{', /^faults: EOF while parsing/],
      ['a string', '"x"', /^faults: invalid type: string "x"/],
      // A JSON array is no configuration: its members must not be read by position (a
      // rule in it was dropped without a word, and the configuration before cleared).
      ['an empty array', '[]', /^faults: .*array|^faults: .*sequence/],
      ['an array of the members', '[7, 30, 5, [{"kind": "html"}]]', /^faults: .*array|^faults: .*sequence/],
      ['a rule at the top', '{"kind": "delay", "ms": 5000}', /^faults: unknown field `kind`/],
      ['a misspelt member', '{"latency": 300}', /^faults: unknown field `latency`/],
      ['a misspelt rule option', '{"rules": [{"kind": "delay", "ms": 5}]}', /^faults: rules\[0\]: a delay rule has no option 'ms'; a delay rule takes 'kind', 'route', 'rate', 'times', 'skip', 'latencyMs', 'jitterMs'$/],
      ['an unknown kind', '{"rules": [{"kind": "nope"}]}', /^faults: rules\[0\]: unknown variant `nope`/],
      ['a status out of range', '{"rules": [{"kind": "status", "status": 42}]}', /^faults: rules\[0\] \(status\): status 42 is not between 200 and 599$/],
      ['a rate above 1', '{"rules": [{"kind": "status", "status": 503, "rate": 2}]}', /^faults: rules\[0\] \(status\): rate 2 is not between 0 and 1$/],
      ['rules not a list', '{"rules": {"kind": "html"}}', /^faults: invalid type: map, expected a sequence$/],
      ['a rule as a list', '{"rules": [["html"]]}', /^faults: rules\[0\]: invalid type: sequence/],
      ['a negative latency', '{"latencyMs": -5}', /^faults: invalid value: integer `-5`/],
      ['a seed as text', '{"seed": "3"}', /^faults: invalid type: string "3"/],
      ['an endless body past 120 s', '{"rules": [{"kind": "endless_body", "maxSeconds": 121}]}', /^faults: rules\[0\] \(endless_body\): maxSeconds is at most 120$/],
    ];
    for (const [what, body, detail] of cases) {
      const res = await fetch(`${sb.url}/_sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      assert.equal(res.status, 400, `${what}: ${res.status}`);
      assert.match(res.headers.get('content-type'), /^application\/json/, what);
      const answer = await res.json();
      assert.deepEqual(Object.keys(answer), ['detail'], what);
      assert.match(answer.detail, detail, what);
      assert.deepEqual(await sb.control('/_sandbox/faults'), kept, `${what}: the configuration is unchanged`);
    }
    // And it still acts: the campaigns read meets its 502 once, then the data.
    await sb.clearRequests();
    for (const status of [502, 200]) assert.equal((await fetch(`${sb.url}/api/v1/campaigns/`, { headers: auth })).status, status);
    assert.deepEqual((await sb.requests()).map((r) => [r.status, r.fault]), [[502, 'status'], [200, null]]);
  });

  test(`${edge}: the request log keeps the last 10 000 API requests, in order of arrival`, { timeout: 120_000, skip }, async () => {
    const sb = await start(['--customers', '50'], edge);
    // 10 early requests one after another, then 9 995 more (a few at a time): 10 005 in all,
    // so exactly the first 5 early ones must be gone, and all the rest kept. Each is marked
    // in its query so the log says which one it is. (Control requests are never logged.)
    const request = (mark) => fetch(`${sb.url}/account/who_am_i?mark=${mark}`, { headers: auth }).then((r) => r.arrayBuffer());
    for (let i = 0; i < 10; i++) await request(`early-${i}`);
    const LATE = 9_995;
    let next = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < LATE) await request(`late-${next++}`);
    }));
    const log = await sb.requests();
    assert.equal(log.length, 10_000);
    const marks = log.map((r) => new URLSearchParams(r.query).get('mark'));
    assert.deepEqual(marks.slice(0, 5), ['early-5', 'early-6', 'early-7', 'early-8', 'early-9'], 'the oldest 5 are gone');
    assert.deepEqual(marks.slice(5).sort(), Array.from({ length: LATE }, (_, i) => `late-${i}`).sort(), 'every later one is kept, once');
    const seqs = log.map((r) => r.seq);
    assert.ok(seqs.every((s, i) => i === 0 || s > seqs[i - 1]), 'in order of arrival');
    assert.ok(log.every((r) => r.status === 200 && r.state === 'answered'));
    // The next request pushes out the oldest kept one.
    await request('one-more');
    const after = (await sb.requests()).map((r) => new URLSearchParams(r.query).get('mark'));
    assert.equal(after.length, 10_000);
    assert.deepEqual([after[0], after.at(-1)], ['early-6', 'one-more']);
  });
}
