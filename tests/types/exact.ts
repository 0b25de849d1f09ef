// Compiled with `exactOptionalPropertyTypes: true` (tsconfig.exact.json): an optional option
// whose value may be `undefined` — a signal that may not be there, a setting read from a
// config, a date from a form — passes as it is, with no `...(x ? { x } : {})` around it.
import {
  CubeClient, changeRows, changeSheet, diff, importSheet, isCrmType, readCsv, sync, toCsv, toXlsx,
} from 'cube-integration';
import type { ClientOptions, CrmType, CustomField, DateInput, XlsxWarning } from 'cube-integration';

/** What a form, a config file or an optional argument gives: each value may be missing. */
export interface Maybe {
  signal: AbortSignal | undefined;
  number: number | undefined;
  text: string | undefined;
  flag: boolean | undefined;
  fields: string[] | undefined;
  customFields: CustomField[] | undefined;
  onProgress: ((p: { loaded: number; total: number | null; page: number }) => void) | undefined;
  onWarning: ((w: XlsxWarning) => void) | undefined;
  stream: WritableStream<Uint8Array> | undefined;
  domain: 'headshed.com' | 'cube4sales.com' | undefined;
  delimiter: ',' | ';' | '\t' | '|' | undefined;
}

export async function everyOption(m: Maybe, records: Record<string, unknown>[]): Promise<void> {
  const options: ClientOptions = {
    account: 'acme',
    domain: m.domain,
    auth: { token: 't' },
    timeoutMs: m.number,
    maxRetries: m.number,
    retryDelayMs: m.number,
    maxRetryAfterMs: m.number,
    concurrency: m.number,
    maxResponseBytes: m.number,
    fetch: undefined,
    onRequest: undefined,
    onResponse: undefined,
    onRetry: undefined,
  };
  const cube = new CubeClient(options);
  new CubeClient({ baseUrl: 'http://127.0.0.1:8787', auth: { token: 't' }, account: undefined, domain: undefined });
  await cube.whoAmI({ signal: m.signal });
  await cube.campaigns({ signal: m.signal });
  await cube.customFields({ dataOwnerId: 1, crmType: 'B2C', signal: m.signal });
  const list = cube.customers({ dataOwnerId: 1, crmType: 'B2C', page: m.number, signal: m.signal, onProgress: m.onProgress });
  await list.toArray({ limit: m.number });
  for await (const page of list.pages({ limit: m.number })) console.log(page.page);
  await cube.callflowCustomers({ campaignId: 3, callState: m.text, signal: m.signal }).toArray();
  await cube.campaign(3).callflowCustomers({ callState: m.text }).toArray();
  await cube.callOutcomes({ campaignId: m.number, signal: m.signal }).toArray();
  await cube.legacyResponses({ campaignId: 5, from: '2024-01-01', to: m.text }).toArray();
  await cube.legacyCreateCustomer({ customer_id: '0042', assignment_id: 5, name: m.text }, { signal: m.signal });

  // The streaming sync: every option may be undefined.
  const previous: Uint8Array | undefined = undefined;
  await list.sync(previous, {
    signal: m.signal,
    onProgress: m.onProgress,
    snapshotTo: m.stream,
    report: undefined,
    allowOtherOrigin: m.flag,
    baseline: m.flag,
    store: undefined,
    key: m.text,
    loose: m.flag,
    ignoreFields: m.fields,
  });
  for await (const batch of list.syncChanges(previous, { signal: m.signal, onProgress: m.onProgress })) console.log(batch.added.length);
  if (m.stream) {
    await list.sync(null, {
      report: { to: m.stream, format: undefined, sheetName: m.text, delimiter: m.delimiter, bom: m.flag, formulaGuard: m.flag, onWarning: m.onWarning, customFields: m.customFields, key: m.text, ignoreFields: m.fields },
    });
  }

  // The round-trip helpers.
  const before = records;
  await diff(before, records, { key: m.text, loose: m.flag, ignoreFields: m.fields });
  const { changes } = await sync(null, records, { store: undefined, key: m.text, loose: m.flag, ignoreFields: m.fields });
  await toCsv(records, { columns: [{ field: 'crm__customer_id', header: m.text }], delimiter: m.delimiter, bom: m.flag, formulaGuard: m.flag, customFields: m.customFields });
  await toXlsx(records, { columns: undefined, sheetName: m.text, textFields: m.fields, customFields: m.customFields, onWarning: m.onWarning });
  await importSheet(records, { columns: undefined, format: undefined, sheetName: m.text, delimiter: m.delimiter, bom: m.flag, formulaGuard: m.flag, textFields: m.fields, customFields: m.customFields, onWarning: m.onWarning });
  await readCsv('a\n1\n', { delimiter: m.delimiter });
  await changeRows(changes, { key: m.text, ignoreFields: m.fields, customFields: m.customFields });
  await changeSheet(changes, { format: undefined, sheetName: m.text, delimiter: m.delimiter, bom: m.flag, formulaGuard: m.flag, onWarning: m.onWarning });
}

/**
 * Dates from a form: an `<input type="date">` gives `''` when left empty. Both days or
 * neither: turn `''` into "not given", and spread the range only when both are there.
 */
export async function outcomesFromForm(cube: CubeClient, form: { from: string; to: string }): Promise<number> {
  const from: DateInput | undefined = form.from || undefined;
  const to: DateInput | undefined = form.to || undefined;
  const range = from !== undefined && to !== undefined ? { from, to } : {};
  const outcomes = await cube.callOutcomes({ campaignId: 3, ...range }).toArray();
  // Neither, given as undefined, is neither.
  await cube.campaign(3).callOutcomes({ from: undefined, to: undefined }).toArray();
  // @ts-expect-error from and to: both or neither (a form with only one filled in)
  await cube.callOutcomes({ campaignId: 3, from, to }).toArray();
  return outcomes.length;
}

/** A CRM type from a form or a config, narrowed by the guard. */
export function crmOf(cube: CubeClient, value: string): CrmType | undefined {
  if (!isCrmType(value)) {
    // @ts-expect-error a plain string is not a CrmType
    cube.crm(1, value);
    return undefined;
  }
  const crmType: CrmType = value;
  return cube.crm(1, crmType).crmType;
}
