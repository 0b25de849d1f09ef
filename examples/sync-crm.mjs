#!/usr/bin/env node
// Sync one Cube CRM into a local snapshot; on the next run, print what Cube's users changed
// and write the changed customers to an Excel sheet.
//
//   node examples/sync-crm.mjs --base-url http://127.0.0.1:8787 --token demo-token \
//        --data-owner 1 --crm-type B2C [--state ./cube-state] [--account ACME]
//
// The snapshot is the package's JSON-serializable `sync()` state; keep it between runs.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CubeClient, CubeError, sync, toXlsx } from 'cube-integration';

const { values: args } = parseArgs({
  options: {
    'base-url': { type: 'string' },
    account: { type: 'string' },
    token: { type: 'string', default: process.env.CUBE_TOKEN },
    'data-owner': { type: 'string' },
    'crm-type': { type: 'string', default: 'B2C' },
    state: { type: 'string', default: './cube-state' },
  },
});

const client = new CubeClient({
  ...(args.account ? { account: args.account } : { baseUrl: args['base-url'] ?? 'http://127.0.0.1:8787' }),
  auth: { token: args.token ?? '' },
});
const crm = { dataOwnerId: Number(args['data-owner'] ?? 1), crmType: args['crm-type'] };
const stateDir = path.resolve(args.state);
const snapshotFile = path.join(stateDir, `snapshot-${crm.dataOwnerId}-${crm.crmType}.json`);

try {
  const customers = await client.customers({
    ...crm,
    onProgress: ({ loaded, total }) => process.stderr.write(`\rread ${loaded}/${total ?? '?'} customers`),
  }).toArray();
  process.stderr.write('\n');
  const previous = existsSync(snapshotFile) ? JSON.parse(readFileSync(snapshotFile, 'utf8')) : null;
  const { changes, snapshot } = await sync(previous, customers);
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(snapshotFile, JSON.stringify(snapshot));
  if (!previous) {
    console.log(`first sync: ${customers.length} customers stored in ${snapshotFile}`);
  } else {
    console.log(`changed: ${changes.changed.length}, added: ${changes.added.length}, removed: ${changes.removed.length}, unchanged: ${changes.unchanged}, anonymized (not matched): ${changes.anonymized.length}`);
    for (const c of changes.changed) {
      const fields = c.fields.map((f) => `${f.field}: ${JSON.stringify(f.before)} → ${JSON.stringify(f.after)}`);
      console.log(`  ${c.key}  ${fields.join('; ')}`);
    }
    const changed = [...changes.changed.map((c) => c.after), ...changes.added];
    if (changed.length > 0) {
      const file = path.join(stateDir, `changed-${new Date().toISOString().slice(0, 10)}.xlsx`);
      writeFileSync(file, await toXlsx(changed, { sheetName: 'Changed customers' }));
      console.log(`wrote ${changed.length} changed customers to ${file}`);
    }
  }
} catch (e) {
  if (e instanceof CubeError) {
    console.error(`Cube sync failed (${e.code}): ${e.message}`);
    process.exit(1);
  }
  throw e;
}
