// The nightly job against the Cube sandbox in this process: no server to start, no port, no
// network. The sandbox answers as Cube does (auth, pagination, edits by Cube users, faults).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CubeClient } from 'cube-integration';
import { createSandbox } from 'cube-integration/sandbox';
import { nightlySync } from '../src/nightly.mjs';

// Proof that nothing leaves the process: the global fetch and every TCP connection fail, and
// are counted. The client talks only to `sandbox.fetch`.
const escaped = [];
globalThis.fetch = async (input) => {
  escaped.push(`fetch ${input}`);
  throw new Error(`no network in this test (fetch ${input})`);
};
net.Socket.prototype.connect = function connect(...args) {
  escaped.push(`connect ${JSON.stringify(args[0])}`);
  throw new Error('no network in this test (net.Socket.connect)');
};

const CRM = { dataOwnerId: 1, crmType: 'B2C' };
let sandbox;
let cube;
let dir;

before(async () => {
  sandbox = await createSandbox({ customers: 1000, pageSize: 100, today: '2024-03-05' });
  cube = new CubeClient({
    baseUrl: sandbox.baseUrl,
    auth: { username: 'demo@example.com', password: 'demo' },
    fetch: sandbox.fetch,
  });
  dir = await mkdtemp(path.join(os.tmpdir(), 'nightly-'));
});

after(async () => {
  sandbox?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('the first run reports every customer as added', async () => {
  const run = await nightlySync(cube, { ...CRM, dir });
  assert.equal(run.records, 1000);
  assert.equal(run.pages, 10);
  assert.ok(run.added > 950, `${run.added} added (anonymized customers are never matched)`);
  assert.deepEqual(run.changed, []);
  assert.equal((await readFile(run.changesFile)).subarray(0, 2).toString(), 'PK'); // an .xlsx
});

test('after edits by Cube users, the next run reports exactly those customers, through a 503', async () => {
  const { edited } = sandbox.edits({ count: 5, ...CRM });
  sandbox.faults({ rules: [{ kind: 'status', status: 503, times: 1 }] });
  sandbox.clearRequests();

  const run = await nightlySync(cube, { ...CRM, dir });

  assert.deepEqual(run.changed, [...new Set(edited.map((e) => e.customerId))].sort());
  assert.equal(run.added + run.removed, 0);
  const log = sandbox.requests();
  const failed = log.filter((r) => r.status === 503);
  assert.equal(failed.length, 1, 'one request got the 503');
  // ... and the client asked again: the same page answered 200 later in the log.
  assert.ok(log.some((r) => r.status === 200 && r.seq > failed[0].seq && r.path === failed[0].path && r.query === failed[0].query));
  sandbox.faults(null);
});

test('a run with nothing changed reports nothing', async () => {
  const run = await nightlySync(cube, { ...CRM, dir });
  assert.deepEqual(run.changed, []);
  assert.equal(run.added + run.removed, 0);
});

test('nothing left the process', () => {
  assert.deepEqual(escaped, []);
});
