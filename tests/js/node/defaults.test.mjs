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
  // Pages after the first are held 1.5 s, so every request the client allows is in flight at
  // once however fast or slow the machine; 13 pages leave 12 to fetch, more than any plausible
  // default, so a default other than 6 would show. `inFlight` is the server's own count at
  // each arrival.
  await sb.faults({ rules: [{ route: ROUTE, kind: 'delay', latencyMs: 1500, skip: 1 }] });
  const client = new CubeClient({ baseUrl: sb.url, auth: BASIC });
  const records = await client.customers(crm).toArray({ limit: 1300 });
  assert.equal(records.length, 1300);
  const log = (await sb.requests()).filter((r) => r.path.startsWith(ROUTE));
  assert.equal(log.length, 13, 'each page requested once');
  assert.equal(Math.max(...log.map((r) => r.inFlight)), 6, `in flight at each arrival: ${log.map((r) => r.inFlight)}`);
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
