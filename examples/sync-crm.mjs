#!/usr/bin/env node
// Sync one Cube CRM into a local snapshot; on the next run, print what Cube's users changed
// and write the changed customers to an Excel sheet.
//
//   node examples/sync-crm.mjs --base-url http://127.0.0.1:8787 --token demo-token \
//        --data-owner 1 --crm-type B2C [--state ./cube-state] [--account ACME]
//
// The streaming sync reads every page straight into the sync engine (no JS object per
// unchanged customer). Its snapshot is bytes: written to a temporary file and renamed into
// place, so a crash or a failed sync never leaves a half-written state (the old one stays).
import { mkdirSync, readFileSync, writeFileSync, existsSync, renameSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CubeClient, CubeError, changeSheet } from 'cube-integration';

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

/** Replace `file` with `bytes` atomically: a temporary file in the same folder, then rename. */
function writeAtomically(file, bytes) {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, bytes);
  renameSync(temporary, file);
}

try {
  const previous = existsSync(snapshotFile) ? readFileSync(snapshotFile) : null;
  const { changes, snapshot, records } = await client.customers({
    ...crm,
    onProgress: ({ loaded, total }) => process.stderr.write(`\rread ${loaded}/${total ?? '?'} customers`),
  }).sync(previous);
  process.stderr.write('\n');
  mkdirSync(stateDir, { recursive: true });
  writeAtomically(snapshotFile, snapshot);
  if (!previous) {
    console.log(`first sync: ${records} customers stored in ${snapshotFile}`);
  } else {
    console.log(`changed: ${changes.changed.length}, added: ${changes.added.length}, removed: ${changes.removed.length}, unchanged: ${changes.unchanged}, anonymized (not matched): ${changes.anonymized.length}`);
    for (const c of changes.changed) {
      const fields = c.fields.map((f) => `${f.field}: ${JSON.stringify(f.before)} → ${JSON.stringify(f.after)}`);
      console.log(`  ${c.key}  ${fields.join('; ')}`);
    }
    if (changes.changed.length + changes.added.length + changes.removed.length > 0) {
      // The changes report: one row per changed field, who/when/how as columns.
      const file = path.join(stateDir, `changes-${new Date().toISOString().slice(0, 10)}.xlsx`);
      const customFields = await client.customFields(crm);
      writeAtomically(file, await changeSheet(changes, { customFields }));
      console.log(`wrote the changes report to ${file}`);
    }
  }
} catch (e) {
  if (e instanceof CubeError) {
    // The stored snapshot is untouched: the next run compares with it again.
    console.error(`Cube sync failed (${e.code}): ${e.message}`);
    process.exit(1);
  }
  throw e;
}
