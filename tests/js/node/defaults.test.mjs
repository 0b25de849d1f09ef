// The documented defaults, observed from the server's side: `concurrency` 6 pages in flight,
// `maxResponseBytes` 64 MiB (a body of exactly 64 MiB is read, one byte more is refused).
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { CubeClient, CubeError } from '../../../pkg/node/index.mjs';
import { startSandbox, BASIC, TOKEN } from '../support/sandbox.mjs';

const MIB = 1024 * 1024;
const ROUTE = '/api/v1/data_owners/';
const crm = { dataOwnerId: 1, crmType: 'B2C' };

let sb;
before(async () => {
  sb = await startSandbox(['--customers', '2000', '--page-size', '100']);
});
after(() => sb?.stop());
beforeEach(async () => {
  await sb.clearFaults();
  await sb.clearRequests();
});

test('concurrency defaults to 6 pages in flight', { timeout: 60_000 }, async () => {
  // Counted, not timed: an injected fetch sends each request at once but holds the answers
  // after page 1's until 6 requests wait for theirs together, then lets every answer through
  // (one event-loop turn later, so a client that would send a 7th in the same burst does).
  // 13 pages leave 12 to fetch, more than any plausible default. A default below 6 never
  // opens the gate (the 20 s fallback only ends a failing run); one above shows as a 7th.
  let waiting = 0;
  let most = 0;
  let opened = false;
  let release;
  const gate = new Promise((resolve) => { release = resolve; });
  const fallback = setTimeout(release, 20_000);
  const held = async (url, init) => {
    if (new URL(url).searchParams.get('page') === null) return fetch(url, init);
    waiting += 1;
    most = Math.max(most, waiting);
    if (waiting === 6 && !opened) {
      opened = true;
      setImmediate(release);
    }
    try {
      const answer = fetch(url, init);
      await gate;
      return await answer;
    } finally {
      waiting -= 1;
    }
  };
  const client = new CubeClient({ baseUrl: sb.url, auth: BASIC, fetch: held });
  const records = await client.customers(crm).toArray({ limit: 1300 });
  clearTimeout(fallback);
  assert.equal(records.length, 1300);
  assert.ok(opened, `6 requests waited for their answers together (at most ${most})`);
  assert.equal(most, 6, `requests waiting at once: ${most}`);
  const log = (await sb.requests()).filter((r) => r.path.startsWith(ROUTE));
  assert.equal(log.length, 13, 'each page requested once');
  assert.ok(Math.max(...log.map((r) => r.inFlight)) <= 6, `in flight at each arrival: ${log.map((r) => r.inFlight)}`);
});

/** The size of the first customers page when its first record's name is `nameBytes` long. */
async function pageSize(nameBytes) {
  await sb.faults({ rules: [{ route: ROUTE, kind: 'huge_record', bytes: nameBytes, times: 1 }] });
  const res = await fetch(`${sb.url}${ROUTE}1/B2C/customers/`, { headers: { Authorization: `Token ${TOKEN.token}` } });
  const size = (await res.arrayBuffer()).byteLength;
  await sb.clearFaults();
  return size;
}

test('maxResponseBytes defaults to 64 MiB: exactly 64 MiB is read, one byte more is refused', { timeout: 120_000 }, async () => {
  // The sandbox pads the first record's name to any length (huge_record), so the page is made
  // exactly 64 MiB, then 64 MiB + 1 byte. The name is plain `x`s: each byte of it is one byte
  // of the body.
  const small = await pageSize(1000);
  assert.equal(await pageSize(2000), small + 1000, 'the page grows byte for byte with the name');
  const fits = 64 * MIB - (small - 1000);

  await sb.faults({ rules: [{ route: ROUTE, kind: 'huge_record', bytes: fits, times: 1 }] });
  const client = new CubeClient({ baseUrl: sb.url, auth: BASIC });
  const [first] = await client.customers(crm).toArray({ limit: 1 });
  assert.equal(first.crm__standard_info__name.length, fits, 'a 64 MiB page is read whole');

  await sb.faults({ rules: [{ route: ROUTE, kind: 'huge_record', bytes: fits + 1 }] });
  await sb.clearRequests();
  await assert.rejects(client.customers(crm).toArray({ limit: 1 }), (e) => {
    assert.ok(e instanceof CubeError, String(e));
    assert.equal(e.code, 'invalid_response');
    assert.match(e.message, /maxResponseBytes \(67108864 bytes\)/);
    return true;
  });
  assert.equal((await sb.requests()).filter((r) => r.path.startsWith(ROUTE)).length, 1, 'too large is not retried');
});
