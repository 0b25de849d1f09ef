// The nightly job: read one CRM with the streaming sync, write what changed since the last run
// as an Excel sheet (one row per changed field), and keep the new state for the next run. The
// client is passed in, so the test can give it the sandbox's `fetch`.
import { readFile, writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CubeClient, changeSheet } from 'cube-integration';

/**
 * Syncs `dataOwnerId`/`crmType` into `dir`: `crm-OWNER-TYPE.snapshot` (the state) and
 * `changes.xlsx` (the report). Returns a summary of the changes.
 */
export async function nightlySync(cube, { dataOwnerId, crmType, dir }) {
  const crm = cube.crm(dataOwnerId, crmType);
  const stateFile = path.join(dir, `crm-${dataOwnerId}-${crmType}.snapshot`);
  const previous = await readFile(stateFile).catch((e) => {
    if (e.code === 'ENOENT') return null; // the first run
    throw e;
  });
  const { changes, snapshot, records, pages } = await crm.customers().sync(previous);
  const changesFile = path.join(dir, 'changes.xlsx');
  await writeFile(changesFile, await changeSheet(changes, { customFields: await crm.customFields() }));
  // The state last, and atomically: a run that fails before this line leaves the old state,
  // so the next run reports the same changes again rather than losing them.
  await writeFile(`${stateFile}.tmp`, snapshot);
  await rename(`${stateFile}.tmp`, stateFile);
  return {
    records,
    pages,
    added: changes.added.length,
    removed: changes.removed.length,
    changed: changes.changed.map((c) => c.key).sort(),
    changesFile,
  };
}

// `npm run sync`: against your Cube tenant, configured by the environment.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const cube = new CubeClient({ account: process.env.CUBE_ACCOUNT, auth: { token: process.env.CUBE_TOKEN } });
  const summary = await nightlySync(cube, {
    dataOwnerId: Number(process.env.CUBE_DATA_OWNER ?? 1),
    crmType: process.env.CUBE_CRM_TYPE ?? 'B2C',
    dir: process.cwd(),
  });
  console.log(JSON.stringify(summary));
}
