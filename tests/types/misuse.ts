// Mistakes the types must catch (each line fails to compile without its @ts-expect-error).
import { CubeClient, EXIT_CODES, changeSheet, mappingPreset, updateFile } from 'cube-integration';

export function misuse(client: CubeClient): void {
  const none = { added: [], removed: [], changed: [], anonymized: [], duplicateKeys: [], unchanged: 0 };
  // @ts-expect-error updateFile needs a mapping
  updateFile(none, {});
  // @ts-expect-error no such preset
  updateFile(none, { mapping: 'pipedrive' });
  // @ts-expect-error a mapping has a version and a key
  updateFile(none, { mapping: { fields: [] } });
  // @ts-expect-error update files are csv or xlsx
  updateFile(none, { mapping: 'salesforce', format: 'ndjson' });
  // @ts-expect-error no such preset
  mappingPreset('superoffice');
  // @ts-expect-error the exit codes are a frozen table
  EXIT_CODES.changes = 0;
  // @ts-expect-error no such exit code
  console.log(EXIT_CODES.retry);
  // @ts-expect-error auth is required
  new CubeClient({ baseUrl: 'https://acme.headshed.com' });
  // @ts-expect-error baseUrl and account are exclusive
  new CubeClient({ baseUrl: 'https://acme.headshed.com', account: 'acme', auth: { token: 'x' } });
  // @ts-expect-error crmType is B2C or B2B
  client.customers({ dataOwnerId: 1, crmType: 'B2X' });
  // @ts-expect-error dataOwnerId is required
  client.customers({ crmType: 'B2C' });
  // @ts-expect-error legacyResponses needs from
  client.legacyResponses({ campaignId: 1 });
  // @ts-expect-error a campaign or a CRM, not both
  client.productRegistrations({ campaignId: 1, dataOwnerId: 1, crmType: 'B2C' });
  // @ts-expect-error a sync's previous is the snapshot bytes, not a number
  client.customers({ dataOwnerId: 1, crmType: 'B2C' }).sync(42);
  // @ts-expect-error store is "values" or "fingerprints"
  client.customers({ dataOwnerId: 1, crmType: 'B2C' }).sync(null, { store: 'all' });
  // @ts-expect-error allowOtherOrigin is true or false
  client.customers({ dataOwnerId: 1, crmType: 'B2C' }).sync(null, { allowOtherOrigin: 'yes' });
  // @ts-expect-error from and to: both or neither
  client.callOutcomes({ campaignId: 3, from: '2024-01-01' });
  // @ts-expect-error from and to: both or neither (in a scope too)
  client.crm(1, 'B2C').callOutcomes({ to: '2024-01-31' });
  // @ts-expect-error a campaign or a CRM, not both
  client.callOutcomes({ campaignId: 3, dataOwnerId: 1 });
  // @ts-expect-error crmType is B2C or B2B, in any case
  client.crm(1, 'B3C');
  // @ts-expect-error a scope already has its data owner
  client.crm(1, 'B2C').customers({ dataOwnerId: 2 });
  // @ts-expect-error the report is xlsx or csv
  changeSheet({ added: [], removed: [], changed: [], anonymized: [], duplicateKeys: [], unchanged: 0 }, { format: 'pdf' });
  // @ts-expect-error onWarning is a function of one warning
  changeSheet({ added: [], removed: [], changed: [], anonymized: [], duplicateKeys: [], unchanged: 0 }, { onWarning: true });
  // @ts-expect-error limit is an option of pages()/toArray(), not of count()
  client.customers({ dataOwnerId: 1, crmType: 'B2C' }).count({ limit: 1 });
}

// The update files need all three streams: customers added or removed are never dropped.
export async function updatesWithoutCreated(client: CubeClient, previous: Uint8Array) {
  const sink = new WritableStream<Uint8Array>();
  // @ts-expect-error createdTo and removedTo are required
  await client.customers({ dataOwnerId: 1, crmType: 'B2C' }).sync(previous, { updates: { mapping: 'salesforce', to: sink } });
}
