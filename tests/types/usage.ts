// A typed usage example: `tsc --noEmit` must accept every line.
import { CubeClient, CubeError, ERROR_CODES, EXIT_CODES, exitCodeFor, ready, changeRows, changeSheet, importSheet, mappingPreset, readCsv, toXlsx, updateFile } from 'cube-integration';
import type {
  Campaign, CallOutcome, ChangeRow, Customer, CubeErrorCode, CubeErrorJSON, CrmType, ExitCode, Mapping, Page, SyncCounts, SyncResult, UpdateFiles, UpdateSummary, WhoAmI, XlsxWarning,
} from 'cube-integration';

export async function example(): Promise<void> {
  await ready();
  const client = new CubeClient({ account: 'acme', auth: { token: 'abc' }, timeoutMs: 10_000, concurrency: 4 });
  const basic = new CubeClient({ baseUrl: 'http://127.0.0.1:8787', auth: { username: 'demo@example.com', password: 'demo' }, onRetry: (e) => console.log(e.delayMs, e.code) });
  const me: WhoAmI = await basic.whoAmI();
  console.log(me.name, client.baseUrl);
  const campaigns: Campaign[] = await client.campaigns();
  const controller = new AbortController();
  for await (const c of client.customers({ dataOwnerId: campaigns[0].data_owner__id ?? 1, crmType: 'B2C', signal: controller.signal })) {
    const customer: Customer = c;
    const phone: string | undefined = customer.crm__standard_info__phone_1;
    console.log(customer.crm__customer_id, phone, customer['crm__custom_info__64']);
  }
  for await (const page of client.callOutcomes({ campaignId: 3, from: new Date(), to: '2024-12-31' }).pages({ limit: 1000 })) {
    const p: Page<CallOutcome> = page;
    console.log(p.page, p.total, p.loaded, p.records[0]?.call_outcome__type);
  }
  const first: SyncResult<Customer> = await client.customers({ dataOwnerId: 1, crmType: 'B2C' }).sync(null);
  const next = await client.customers({ dataOwnerId: 1, crmType: 'B2C', onProgress: (p) => console.log(p.loaded) })
    .sync(first.snapshot, { ignoreFields: ['crm__change_log__updated'], store: 'values' });
  const bytes: Uint8Array = next.snapshot;
  console.log(next.changes.changed[0]?.after.crm__standard_info__email, next.records, next.pages, bytes.length);
  await client.legacyCustomers({ assignmentId: 5 }).sync(bytes.buffer as ArrayBuffer, { key: 'customer_id' });
  // A state made against the same Cube under another name (or the sandbox on another port).
  await client.customers({ dataOwnerId: 1, crmType: 'B2C' }).sync(bytes, { allowOtherOrigin: true });
  // signal and onProgress on the sync itself; an optional signal passes as it is.
  const maybeSignal: AbortSignal | undefined = undefined;
  await client.customers({ dataOwnerId: 1, crmType: 'B2C' }).sync(bytes, { signal: maybeSignal, onProgress: (p) => p.page });
  // The snapshot streamed to a WritableStream: the result's snapshot is null.
  const streamed = await client.customers({ dataOwnerId: 1, crmType: 'B2C' }).sync(bytes, { snapshotTo: new WritableStream<Uint8Array>() });
  const none: null = streamed.snapshot;
  // A baseline run: the snapshot as usual, counts only (every sync's changes has counts).
  const base = await client.customers({ dataOwnerId: 1, crmType: 'B2C' }).sync(null, { baseline: true });
  const counts: SyncCounts = base.changes.counts;
  const isBaseline: true | undefined = base.changes.baseline;
  console.log(counts.added, counts.duplicateKeys, isBaseline, next.changes.counts.changed);
  // @ts-expect-error baseline is a boolean
  await client.customers({ dataOwnerId: 1, crmType: 'B2C' }).sync(null, { baseline: 'yes' });
  const all = await client.callOutcomes().toArray();
  const crmOutcomes = await client.callOutcomes({ dataOwnerId: 1, crmType: 'B2B', from: '20240101', to: '20240131' }).toArray({ limit: 10 });
  const flow = await client.callflowCustomers({ campaignId: 3, callState: 'Ready', onProgress: ({ loaded, total }) => console.log(loaded, total) }).toArray();
  const products = await client.productRegistrations({ dataOwnerId: 1, crmType: 'B2C' }).toArray();
  const fields = await client.customFields({ dataOwnerId: 1, crmType: 'B2C' });
  const one = await client.customer({ dataOwnerId: 1, crmType: 'B2C', customerId: '000417' });
  const legacy = await client.legacyCustomers({ assignmentId: 5 }).toArray();
  const responses = await client.legacyResponses({ campaignId: 5, from: '2024-01-01' }).toArray();
  const created = await client.legacyCreateCustomer({ customer_id: '0042', assignment_id: 5, name: 'Åse' });
  console.log(all.length, crmOutcomes, flow, products[0]?.product__price, fields[0].lookup__id, one, legacy, responses, created.customer_id);
  // crmType in any case, arrays of CRM types, scoped handles, counts and totals.
  await client.customers({ dataOwnerId: 1, crmType: 'b2c' }).count();
  for (const crmType of ['B2C', 'B2B'] as const) await client.crm(12, crmType).customers().toArray({ limit: 1 });
  const types: CrmType[] = ['B2C', 'b2b'];
  console.log(types.map((t) => client.crm(12, t).crmType));
  const crm = client.crm(12, 'B2C');
  const pager = crm.customers({ onProgress: (p) => console.log(p.total) });
  const n: number = await pager.count();
  const total: number | null = pager.total;
  await crm.customer('000417');
  await crm.callOutcomes({ from: '2024-01-01', to: '2024-01-31' }).toArray();
  await client.campaign(3).callflowCustomers({ callState: 'Ready' }).toArray();
  await client.campaign(3).productRegistrations().count();
  // The changes report.
  const rows: ChangeRow[] = await changeRows(first.changes, { customFields: fields });
  const sheet: Uint8Array = await changeSheet(next.changes, { ignoreFields: ['crm__custom_info__64'], format: 'csv', delimiter: ';' });
  console.log(n, total, rows[0]?.label, rows[0]?.before, sheet.length);
  // Back into the CRM: a preset, or an edited copy of one.
  const files: UpdateFiles = await updateFile(next.changes, { mapping: 'salesforce', customFields: fields });
  const summary: UpdateSummary = files.summary;
  const mine: Mapping = { ...(await mappingPreset('dynamics365')), file: { delimiter: ';', clear: null, dateFormat: 'DD.MM.YYYY' } };
  const xlsxFiles = await updateFile(next.changes, { mapping: mine, format: 'xlsx', crmRecords: (await readCsv('Id,FirstName\r\n1,Kari\r\n')).records });
  const own: Mapping = { version: 1, key: { crm: 'Id' }, name: { full: 'Name' }, fields: [{ crm: 'Tlf', cube: 'crm__standard_info__phone_1', direction: 'toCrm' }] };
  const cubeSheet: Uint8Array = await importSheet([{ Id: '1', Name: 'Kari' }], { mapping: own });
  console.log(files.updates.length, summary.cannotClear[0]?.column, summary.skippedColumns, xlsxFiles.created.length, cubeSheet.length);
  // Cells too long for .xlsx: cut, and each cut reported.
  const cuts: XlsxWarning[] = [];
  const book: Uint8Array = await toXlsx(all, { onWarning: (w) => cuts.push(w) });
  await changeSheet(next.changes, { onWarning: (w) => console.warn(w.code, w.row, w.column, w.header, w.length, w.message) });
  console.log(book.length, cuts[0]?.message);
  const basicRetry = new CubeClient({ account: 'acme', auth: { token: 'x' }, onRetry: (e) => console.log(`retry ${e.retry} (attempt ${e.attempt})`) });
  console.log(basicRetry.baseUrl);
  try {
    await client.whoAmI();
  } catch (e) {
    if (e instanceof CubeError) {
      const code: CubeErrorCode = e.code;
      const json: CubeErrorJSON = e.toJSON();
      console.log(code, e.status, e.resumePage, e.retryAfterMs, json.message, json.cause?.code, e.cause?.code, ERROR_CODES.includes(code));
    }
    // End as `cube` would: the exit codes of its table.
    const exit: ExitCode = exitCodeFor(e);
    const retryLater: boolean = ([EXIT_CODES.rate_limited, EXIT_CODES.server, EXIT_CODES.timeout, EXIT_CODES.network] as number[]).includes(exit);
    const changed: 10 = EXIT_CODES.changes;
    console.log(retryLater, changed);
    console.log(exit);
  }
}

// The streaming sync at any size: previous as a Blob, changes in batches, the report streamed.
export async function nightlyAtAnySize(client: CubeClient, previous: Blob | null, snapshotTo: WritableStream<Uint8Array>, to: WritableStream<Uint8Array>): Promise<number> {
  const pager = client.customers({ dataOwnerId: 1, crmType: 'B2C' });
  const run = pager.syncChanges(previous, { snapshotTo: snapshotTo });
  let phones = 0;
  for await (const batch of run) {
    for (const c of batch.changed) phones += c.fields.filter((f) => f.field === 'crm__standard_info__phone_1').length;
  }
  const counts: SyncCounts | undefined = run.result?.counts;
  const reported = await pager.sync(previous, { report: { to, format: 'ndjson' } });
  return phones + (counts?.changed ?? 0) + reported.changes.counts.added;
}

// The CRM's update files streamed by the sync: three streams, the summary in the result.
export async function streamedUpdateFiles(client: CubeClient, previous: Uint8Array) {
  const sink = () => new WritableStream<Uint8Array>();
  const result = await client.customers({ dataOwnerId: 1, crmType: 'B2C' }).sync(previous, {
    updates: { mapping: 'salesforce', format: 'csv', to: sink(), createdTo: sink(), removedTo: sink() },
  });
  const rows: number = result.updates.updates;
  const cleared: number = result.updates.cannotClearCount;
  return rows + cleared;
}
