// Types of the cube-integration package: every method, option, error code and record.

/** Stable error codes: switch on these, never on messages. */
export type CubeErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'bad_request'
  | 'rate_limited'
  | 'server'
  | 'timeout'
  | 'aborted'
  | 'network'
  | 'invalid_response'
  | 'invalid_argument';

export declare const ERROR_CODES: readonly CubeErrorCode[];

/** Every failure of the package. Never carries a credential. */
export declare class CubeError extends Error {
  readonly name: 'CubeError';
  readonly code: CubeErrorCode;
  /** HTTP status, when a response arrived. */
  readonly status?: number;
  /** The request URL (credentials are never in URLs). */
  readonly url?: string;
  /** The server's own message (`{"detail": …}`), shortened. */
  readonly detail?: string;
  /** The parameter or option that was wrong (`invalid_argument`). */
  readonly param?: string;
  /** Retries made before giving up. */
  readonly retries: number;
  /** For a failed multi-page read: pass `page: resumePage` to continue where it stopped. */
  readonly resumePage?: number;
  /** A `Retry-After` longer than `maxRetryAfterMs`: when the server will take requests again. */
  readonly retryAfterMs?: number;
  toJSON(): {
    name: 'CubeError';
    code: CubeErrorCode;
    message: string;
    status?: number;
    url?: string;
    detail?: string;
    param?: string;
    retries: number;
    resumePage?: number;
    retryAfterMs?: number;
  };
}

export type BasicAuth = { username: string; password: string };
export type TokenAuth = { token: string };

export interface RequestEvent {
  method: string;
  url: string;
  /** 0 for the first attempt. */
  attempt: number;
}
export interface ResponseEvent extends RequestEvent {
  status: number;
  durationMs: number;
  bytes: number;
}
export interface RetryEvent extends RequestEvent {
  delayMs: number;
  code: CubeErrorCode;
  status: number | null;
  message: string;
}

export type FetchLike = (input: string, init: {
  method: string;
  headers: Record<string, string>;
  signal: AbortSignal;
  body?: string;
  credentials: 'omit';
  redirect: 'manual';
}) => Promise<Response>;

interface ClientOptionsBase {
  auth: BasicAuth | TokenAuth;
  /** Per attempt, body included. Default 30000. */
  timeoutMs?: number;
  /** Retries after the first attempt on network errors, timeouts and 408/429/5xx. Default 4. */
  maxRetries?: number;
  /** First backoff step (doubled each retry, with jitter). Default 300. */
  retryDelayMs?: number;
  /** Longest `Retry-After` the client waits for; longer fails with `retryAfterMs`. Default 60000. */
  maxRetryAfterMs?: number;
  /**
   * Pages in flight at once in a list read (1–64). Default 6. At most twice as many pages are
   * fetched ahead of your loop. Lower it where memory matters more than speed: streaming
   * 200,000 records in Node peaks at about +80 MB RSS with 6 and +55 MB with 1.
   */
  concurrency?: number;
  /** Largest response accepted. Default 64 MiB. */
  maxResponseBytes?: number;
  /** A fetch implementation (e.g. with a proxy agent in Node). Default: the global fetch. */
  fetch?: FetchLike;
  onRequest?: (event: RequestEvent) => void;
  onResponse?: (event: ResponseEvent) => void;
  onRetry?: (event: RetryEvent) => void;
}

export type ClientOptions =
  | (ClientOptionsBase & {
      /** `https://ACCOUNT.headshed.com`; `http://` only for loopback (the sandbox). */
      baseUrl: string;
      account?: never;
      domain?: never;
    })
  | (ClientOptionsBase & {
      /** The tenant: `ACCOUNT` of `https://ACCOUNT.headshed.com`. */
      account: string;
      /** Default `headshed.com`; the oldest installations use `cube4sales.com`. */
      domain?: 'headshed.com' | 'cube4sales.com';
      baseUrl?: never;
    });

export interface CallOptions {
  signal?: AbortSignal;
}

export type CrmType = 'B2C' | 'B2B';
/** A `Date` (its local calendar day), `YYYY-MM-DD` or `YYYYMMDD`. */
export type DateInput = Date | string;
export type Id = number | string;

export interface ListOptions extends CallOptions {
  /** Start at this page (resume after a failure: `error.resumePage`). */
  page?: number;
  onProgress?: (progress: { loaded: number; total: number | null; page: number }) => void;
}
export interface CrmParams {
  dataOwnerId: Id;
  crmType: CrmType;
}
export interface DateRange {
  /** Both or neither; without them Cube returns today only. */
  from?: DateInput;
  to?: DateInput;
}

/** Loose value types, as Cube sends them. */
export type CubeValue = string | number | boolean | null;

export interface WhoAmI {
  username?: string;
  email?: string;
  name?: string;
  first_name?: string;
  last_name?: string;
  tenant?: string;
  is_external?: boolean;
  data_owner_ids?: number[];
  [field: string]: unknown;
}

export interface Campaign {
  campaign__id: number;
  campaign__name: string;
  campaign__start_date?: string;
  campaign__end_date?: string;
  campaign__archived_date?: string | null;
  campaign__is_active?: boolean | '';
  campaign__crm_type?: CrmType | string;
  service__id?: number;
  service__name?: string;
  data_owner__id?: number;
  data_owner__name?: string;
  [field: string]: unknown;
}

export interface Customer {
  crm__customer_id: string;
  crm__standard_info__name?: string;
  crm__standard_info__phone_1?: string;
  crm__standard_info__phone_2?: string;
  crm__standard_info__phone_3?: string;
  crm__standard_info__email?: string;
  crm__change_log__updated?: string;
  crm__change_log__updated_by?: string;
  crm__change_log__update_method?: string;
  [customField: `crm__custom_info__${number}`]: CubeValue | undefined;
  [field: string]: unknown;
}

export interface CustomField {
  id: number;
  key: string;
  type: string;
  max_length?: number | null;
  hint?: string;
  lookup__id: `crm__custom_info__${number}` | string;
  [field: string]: unknown;
}

export interface CallflowCustomer {
  crm__customer_id: string;
  callflow__attempts_status__attempts?: number;
  callflow__callstate__name?: string;
  callflow__last_change__user?: string;
  callflow__last_change__when?: string;
  callflow__last_change__cause?: string;
  callflow__last_change__alternative?: string;
  callflow__last_change__comment?: string;
  [field: string]: unknown;
}

export interface CallOutcome {
  crm__customer_id: string;
  call_outcome__type?: string;
  call_outcome__subtype?: string;
  call_outcome__comment?: string;
  call_outcome__report_as__submitted_by?: string;
  call_outcome__report_as__submitted_in_team?: string;
  call_outcome__report_as__submitted_when?: string;
  call_outcome__report_as__submitted_when_timestamp?: string;
  campaign__id?: number;
  campaign__name?: string;
  [field: string]: unknown;
}

export interface ProductRegistration extends CallOutcome {
  product__code?: string;
  product__title?: string;
  product__price?: number | string;
}

/** Legacy (cube4sales.com era) customer: flat, with assignment-specific fields by label. */
export interface LegacyCustomer {
  customer_id: string;
  name?: string;
  phone_1?: string;
  phone_2?: string;
  phone_3?: string;
  email?: string;
  updated?: string;
  updated_by?: string;
  update_method?: string;
  org_number?: string;
  org_name?: string;
  [field: string]: unknown;
}

export interface LegacyResponse {
  customer_id?: string;
  [field: string]: unknown;
}

export interface LegacyNewCustomer {
  customer_id: string;
  assignment_id: number | string;
  name?: string;
  [field: string]: unknown;
}

export interface Page<T> {
  page: number;
  records: T[];
  /** The server's `count` from the first page. */
  total: number | null;
  /** Records delivered so far, this page included. */
  loaded: number;
}

/** A list read: `for await (const r of pager)`, `.pages()`, `.toArray()`. */
export declare class Pager<T> implements AsyncIterable<T> {
  private constructor();
  [Symbol.asyncIterator](): AsyncIterator<T>;
  pages(options?: { limit?: number }): AsyncGenerator<Page<T>, void, undefined>;
  toArray(options?: { limit?: number }): Promise<T[]>;
  /**
   * The streaming sync: reads every page of this list straight into the sync engine (no JS
   * object is built for an unchanged record) and compares it with `previous`, the snapshot
   * bytes an earlier sync of the same list returned (`null`/`undefined` the first time:
   * everything is `added`). Only the changes cross into JS.
   *
   * Store `snapshot` (a file, IndexedDB, OPFS) and pass it as `previous` next time. A sync
   * that fails or is aborted returns no snapshot: `previous` stays valid, run it again.
   * Retries, timeouts, `signal` and `onProgress` work as in a list read; `page` and `limit`
   * are refused (a partial read would report the rest as removed).
   */
  sync(previous: SnapshotInput | null | undefined, options?: SyncOptions): Promise<SyncResult<T>>;
}

/** A stored snapshot: the bytes (or their text) that a sync returned as `snapshot`. */
export type SnapshotInput = Uint8Array | ArrayBuffer | string;

/** What a streaming sync returns. */
export interface SyncResult<T = CubeRecord> {
  /** What changed since `previous`. */
  changes: Diff<T>;
  /** The new state (UTF-8 JSON, snapshot format version 2): store it, pass it next time. */
  snapshot: Uint8Array;
  /** Records read. */
  records: number;
  /** Pages read. */
  pages: number;
}

export declare class CubeClient {
  constructor(options: ClientOptions);
  readonly baseUrl: string;

  whoAmI(options?: CallOptions): Promise<WhoAmI>;
  campaigns(options?: CallOptions): Promise<Campaign[]>;
  clientAccessCampaigns(options?: CallOptions): Promise<Campaign[]>;
  customers(params: CrmParams & ListOptions): Pager<Customer>;
  customer(params: CrmParams & CallOptions & { customerId: string | number }): Promise<Customer>;
  customFields(params: CrmParams & CallOptions): Promise<CustomField[]>;
  callflowCustomers(params: ((CrmParams & { campaignId?: never; callState?: never }) | { campaignId: Id; callState?: string }) & ListOptions): Pager<CallflowCustomer>;
  callOutcomes(params?: ((Partial<Record<keyof CrmParams, never>> & { campaignId?: Id }) | (CrmParams & { campaignId?: never })) & DateRange & ListOptions): Pager<CallOutcome>;
  productRegistrations(params: ({ campaignId: Id } | (CrmParams & { campaignId?: never })) & DateRange & ListOptions): Pager<ProductRegistration>;
  legacyCustomers(params: { assignmentId: Id } & ListOptions): Pager<LegacyCustomer>;
  legacyResponses(params: { campaignId: Id; from: DateInput; to?: DateInput } & ListOptions): Pager<LegacyResponse>;
  legacyCreateCustomer(customer: LegacyNewCustomer, options?: CallOptions): Promise<LegacyCustomer>;
}

/** Load the wasm now (the web build otherwise loads it on first use). */
export declare function ready(): Promise<void>;

// ---------------------------------------------------------------------------------------
// The round trip: labels, change detection, snapshots, CSV and Excel sheets.
// All helpers are async (the web build may still be loading its wasm); they never touch the
// network. Records are Cube's own flat objects.

/** Any Cube record: a flat object of loose values. */
export type CubeRecord = Record<string, unknown>;

export interface DiffOptions {
  /** The field that matches records (default `crm__customer_id`). */
  key?: string;
  /**
   * Loose comparison (default true): `"233"` equals `233`, `""`/null/missing are equal,
   * `true`/`"true"` equal, surrounding spaces ignored. False: JSON values must be equal.
   */
  loose?: boolean;
  /** Fields left out of the comparison, e.g. the `crm__change_log__*` fields. */
  ignoreFields?: string[];
}

export interface FieldChange {
  field: string;
  before: CubeValue;
  after: CubeValue;
}

export interface Changed<T = CubeRecord> {
  key: string;
  before: T;
  after: T;
  fields: FieldChange[];
}

export interface Diff<T = CubeRecord> {
  added: T[];
  removed: T[];
  changed: Changed<T>[];
  /** Records with an empty key (anonymized customers): reported, never matched. */
  anonymized: { side: 'before' | 'after'; index: number; record: T }[];
  /** Keys found more than once on a side: their records are left out of the other lists. */
  duplicateKeys: { key: string; side: 'before' | 'after'; count: number }[];
  unchanged: number;
}

/**
 * A snapshot as an object: what the array `sync()` returns (format version 2; version 1 from
 * 0.1.0 still reads). `JSON.stringify` it to store it.
 */
export interface Snapshot {
  version: 1 | 2;
  [field: string]: unknown;
}

export interface SyncOptions extends DiffOptions {
  /** `values` (default): field-level changes next time; `fingerprints`: smaller, per record. */
  store?: 'values' | 'fingerprints';
}

export interface Column {
  /** A record key, or a custom-field label when `customFields` is given. */
  field: string;
  /** The header text (default: the field's label, else the field). */
  header?: string;
}

export interface CsvOptions {
  columns?: Column[];
  /** `,` (default), `;` (Nordic Excel), tab or `|`. */
  delimiter?: ',' | ';' | '\t' | '|';
  /** Start with a UTF-8 byte-order mark so Excel shows æøå (default false). */
  bom?: boolean;
  /** Label `crm__custom_info__N` columns (the array `customFields()` returns). */
  customFields?: CustomField[];
}

export interface XlsxOptions {
  columns?: Column[];
  /** Default `Sheet1`; at most 31 characters, none of `[]:*?/\`. */
  sheetName?: string;
  /** Fields always written as text (default: the customer id and the phones, so leading zeros survive). */
  textFields?: string[];
  customFields?: CustomField[];
}

export interface ImportSheetOptions {
  /** Default: id, name, phones, e-mail, then the custom fields. */
  columns?: Column[];
  /** Default `xlsx`. */
  format?: 'xlsx' | 'csv';
  /** Default `Customers`. */
  sheetName?: string;
  delimiter?: ',' | ';' | '\t' | '|';
  /** CSV only; default true (the sheet is meant for Excel). */
  bom?: boolean;
  customFields?: CustomField[];
}

export interface CustomerView {
  customerId: string;
  name: string;
  phones: string[];
  email: string;
  changeLog: { updated: string; updatedBy: string; method: string };
  /** Custom fields by label (or by key where no label is known). */
  custom: Record<string, CubeValue>;
}

/** What changed between two sets of records. */
export declare function diff<T extends CubeRecord = Customer>(before: T[], after: T[], options?: DiffOptions): Promise<Diff<T>>;
/** Compare `records` with the previous sync's snapshot (none: everything is `added`). */
export declare function sync<T extends CubeRecord = Customer>(
  previous: Snapshot | SnapshotInput | null | undefined,
  records: T[],
  options?: SyncOptions,
): Promise<{ changes: Diff<T>; snapshot: Snapshot }>;
/** Records whose `crm__change_log__updated` is on or after `since`. */
export declare function changedSince<T extends CubeRecord = Customer>(records: T[], since: DateInput): Promise<T[]>;
/** `crm__custom_info__N` keys replaced by their labels. */
export declare function labelRecords(records: CubeRecord[], customFields: CustomField[]): Promise<CubeRecord[]>;
/** Labels turned back into `crm__custom_info__N` keys. */
export declare function unlabelRecords(records: CubeRecord[], customFields: CustomField[]): Promise<CubeRecord[]>;
/** A normalized view of each customer. */
export declare function customerViews(records: CubeRecord[], customFields?: CustomField[]): Promise<CustomerView[]>;
/** RFC 4180 CSV, UTF-8. */
export declare function toCsv(records: CubeRecord[], options?: CsvOptions): Promise<Uint8Array>;
/** An Excel workbook (.xlsx). */
export declare function toXlsx(records: CubeRecord[], options?: XlsxOptions): Promise<Uint8Array>;
/** A sheet for Cube's Excel import: one customer a row, ids as text. */
export declare function importSheet(records: CubeRecord[], options?: ImportSheetOptions): Promise<Uint8Array>;
