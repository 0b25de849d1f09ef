// Types of the cube-integration package: every method, option, error code and record.

/**
 * The client, its errors and the round-trip helpers: `import { CubeClient } from
 * 'cube-integration'`. The subpaths `cube-integration/web`, `/bundler`, `/workerd` and `/node`
 * export the same names (one build each; the package's `exports` pick one by itself).
 *
 * @module cube-integration
 */

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
  | 'invalid_argument'
  /** The records module ran out of memory (wasm32 holds at most 4 GB). The next call gets a fresh instance. */
  | 'out_of_memory'
  /** A wasm module stopped on any other fault: a bug (please report it). */
  | 'internal'
  /**
   * The runtime refused to compile the package's WebAssembly: a page's (or an extension's)
   * Content-Security-Policy lacks `'wasm-unsafe-eval'` in `script-src`. Not a network
   * failure: the message says what to add to the policy.
   */
  | 'wasm_blocked';

/** Every {@link CubeErrorCode}, as an array (to check a code read from elsewhere, say). */
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
  /**
   * `network` errors: what the runtime's `fetch` said, as a chain of plain `Error`s (in Node,
   * `error.cause.cause.code` is e.g. `'ECONNREFUSED'` or `'ENOTFOUND'`). Rebuilt from text
   * and redacted like every other field. Browsers say nothing useful here (CORS).
   * `out_of_memory` and `internal` errors: the engine's own `WebAssembly.RuntimeError`.
   */
  readonly cause?: Error & { code?: string };
  /** A plain object for logs and `postMessage`; `JSON.stringify(error)` uses it. */
  toJSON(): CubeErrorJSON;
}

/** What `CubeError#toJSON()` returns: every field, no stack, no credential. */
export interface CubeErrorJSON {
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
  /** The `cause` chain as plain objects. */
  cause?: CauseJSON;
}

export interface CauseJSON {
  name: string;
  message: string;
  code?: string;
  cause?: CauseJSON;
}

/**
 * The exit codes of the `cube` command line (the table of `cube --help`), for scripts that
 * run it (`if (code === EXIT_CODES.changes)`) and for programs that want to end as it would
 * (`process.exitCode = exitCodeFor(error)`). Frozen.
 */
export declare const EXIT_CODES: Readonly<{
  /** Success; `sync`: nothing changed (no report file written), or a `--baseline` run. */
  ok: 0;
  /** An unexpected error, `internal` among them: a bug (please report it). */
  internal: 1;
  /** Usage: unknown command or flag, bad value, no credentials (`invalid_argument`); nothing was sent. */
  usage: 2;
  /** `sync`: something changed (the changes and the new state were written). */
  changes: 10;
  /** 401: wrong or revoked credentials. */
  unauthorized: 20;
  /** 403. */
  forbidden: 21;
  /** 404. */
  not_found: 22;
  /** Another 4xx. */
  bad_request: 23;
  /** 429 beyond the retries: try again later. */
  rate_limited: 24;
  /** 5xx beyond the retries: try again later. */
  server: 25;
  /** No answer within the timeout: try again later. */
  timeout: 26;
  /** Connection refused, DNS, …: try again later. */
  network: 27;
  /** Not what Cube sends (a proxy or a login page?). */
  invalid_response: 28;
  /** A local file could not be read or written. */
  file: 30;
  /** `sync`: another run is using the state file (nothing was sent): try again later. */
  locked: 31;
  /** The records module ran out of memory. */
  out_of_memory: 32;
  /** Interrupted (Ctrl-C, SIGINT), and an `aborted` CubeError. */
  interrupted: 130;
  /** Terminated (SIGTERM). */
  terminated: 143;
}>;

/** One of the exit codes of {@link EXIT_CODES}. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/**
 * The exit code `cube` ends with for `error`: a {@link CubeError}'s by its code (the row of
 * the same name in {@link EXIT_CODES}; `invalid_argument` → 2, `aborted` → 130, `internal`
 * and `wasm_blocked` → 1), also one from another copy of the package (told by `name` and `code`); anything
 * else → 1, as `cube` treats an unexpected error.
 */
export declare function exitCodeFor(error: unknown): ExitCode;

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
/** `onRetry`: an attempt failed and the client waits `delayMs` before the next one. */
export interface RetryEvent extends RequestEvent {
  /** Which retry this wait leads to, from 1 (`attempt` is the failed attempt, from 0). */
  retry: number;
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
  timeoutMs?: number | undefined;
  /** Retries after the first attempt on network errors, timeouts and 408/429/5xx. Default 4. */
  maxRetries?: number | undefined;
  /** First backoff step (doubled each retry, with jitter). Default 300. */
  retryDelayMs?: number | undefined;
  /** Longest `Retry-After` the client waits for; longer fails with `retryAfterMs`. Default 60000. */
  maxRetryAfterMs?: number | undefined;
  /**
   * Pages in flight at once in a list read (1–64). Default 6. At most twice as many pages are
   * fetched ahead of your loop. Lower it where memory matters more than speed: streaming
   * 200,000 records in Node peaks at about +80 MB RSS with 6 and +55 MB with 1.
   */
  concurrency?: number | undefined;
  /** Largest response accepted, in bytes. Default 64 MiB (67108864). */
  maxResponseBytes?: number | undefined;
  /** A fetch implementation (e.g. with a proxy agent in Node). Default: the global fetch. */
  fetch?: FetchLike | undefined;
  onRequest?: ((event: RequestEvent) => void) | undefined;
  onResponse?: ((event: ResponseEvent) => void) | undefined;
  onRetry?: ((event: RetryEvent) => void) | undefined;
}

export type ClientOptions =
  | (ClientOptionsBase & {
      /** `https://ACCOUNT.headshed.com`; `http://` only for loopback (the sandbox). */
      baseUrl: string;
      account?: undefined;
      domain?: undefined;
    })
  | (ClientOptionsBase & {
      /** The tenant: `ACCOUNT` of `https://ACCOUNT.headshed.com`. */
      account: string;
      /** Default `headshed.com`; the oldest installations use `cube4sales.com`. */
      domain?: 'headshed.com' | 'cube4sales.com' | undefined;
      baseUrl?: undefined;
    });

export interface CallOptions {
  signal?: AbortSignal | undefined;
}

/**
 * `B2C` or `B2B`, in any case (`'b2c'` works as at run time). An array of them widens to
 * `string[]`: write `(['B2C', 'B2B'] as const).map(…)` or `const types: CrmType[] = […]`.
 */
export type CrmType = `${'B' | 'b'}2${'C' | 'c' | 'B' | 'b'}`;
/**
 * Whether `value` is a {@link CrmType} (`B2C` or `B2B`, in any case), as the client checks
 * `crmType`: narrows a `string` from a form, a URL or a config file before
 * `cube.crm(id, value)`. Synchronous, usable before `ready()`.
 */
export declare function isCrmType(value: unknown): value is CrmType;
/** A `Date` (its local calendar day), `YYYY-MM-DD` or `YYYYMMDD`. */
export type DateInput = Date | string;
export type Id = number | string;

export interface ListOptions extends CallOptions {
  /** Start at this page, from 1 (resume after a failure: `error.resumePage`). */
  page?: number | undefined;
  onProgress?: ((progress: { loaded: number; total: number | null; page: number }) => void) | undefined;
}
export interface CrmParams {
  dataOwnerId: Id;
  crmType: CrmType;
}
/**
 * Both `from` and `to`, or neither (Cube then returns today only): giving one is a type
 * error, and `invalid_argument` at run time. Both days are included; `from` after `to` is
 * refused (`invalid_argument`, `param: 'from'`) before any request. `undefined` is not
 * given; an empty string is a bad date. Dates from a form (`''` when left empty):
 * `...(from && to ? { from, to } : {})`.
 */
export type DateRange =
  | { from?: undefined; to?: undefined }
  | {
      /** First day, included. */
      from: DateInput;
      /** Last day, included. */
      to: DateInput;
    };

/** `callOutcomes`/`productRegistrations` of one campaign (or, with no `campaignId`, of every campaign the user sees). */
export type CampaignOutcomeParams = { campaignId?: Id | undefined } & DateRange & ListOptions;
/** `callOutcomes`/`productRegistrations` of one data owner's CRM. */
export type CrmOutcomeParams = CrmParams & DateRange & ListOptions;
/** `callflowCustomers` of one campaign, optionally in one call state. */
export type CampaignCallflowParams = { campaignId: Id; callState?: string | undefined } & ListOptions;
/** `callflowCustomers` of one data owner's CRM. */
export type CrmCallflowParams = CrmParams & ListOptions;

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

/** One custom field of a data owner's CRM, as `customFields()` returns it. */
export interface CustomField {
  id: number;
  /** The field's **label** as Cube's users see it (e.g. `"Postal code"`); not a record key. */
  key: string;
  type: string;
  max_length?: number | null;
  hint?: string;
  /** The **record key** that holds this field's value in customer records: `crm__custom_info__<id>`. */
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
  name?: string | undefined;
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

/** How much of a list to read. */
export interface LimitOptions {
  /** At most this many **records** (not pages); the last page is cut. Default: all. */
  limit?: number | undefined;
}

/**
 * A list read: `for await (const r of pager)`, `.pages()`, `.toArray()`, `.count()`,
 * `.sync()`. Nothing is fetched until one of them starts; each starts a new read.
 */
export declare class Pager<T> implements AsyncIterable<T> {
  private constructor();
  [Symbol.asyncIterator](): AsyncIterator<T>;
  pages(options?: LimitOptions): AsyncGenerator<Page<T>, void, undefined>;
  /**
   * Every record, in order, in one array. If the read fails partway the records read so far
   * are not returned (the error's `resumePage` says where to continue): for long lists use
   * `for await`, which keeps what it delivered.
   */
  toArray(options?: LimitOptions): Promise<T[]>;
  /** How many records the list has: reads only its first page (Cube's `count`). */
  count(): Promise<number>;
  /** The server's `count`, once a read of this pager has delivered its first page; else `null`. */
  readonly total: number | null;
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
   *
   * The snapshot records the origin it was made against (`scheme://host[:port]` of
   * `baseUrl`); one made against another origin is refused (`param: 'previous'`) unless
   * `allowOtherOrigin: true`.
   *
   * `baseline: true` (a first night of a million customers): the same snapshot, but
   * `changes` lists nothing, only `counts` (see {@link SyncChanges}); no record is kept for
   * a report while the pages are read.
   */
  sync(previous: SnapshotInput | null | undefined, options: PagerSyncOptions & { report: SyncReportOptions }): Promise<ReportedSyncResult>;
  sync(previous: SnapshotInput | null | undefined, options: PagerSyncOptions & { updates: SyncUpdatesOptions }): Promise<ReportedSyncResult & { updates: UpdateSummary }>;
  sync(previous: SnapshotInput | null | undefined, options: PagerSyncOptions & { snapshotTo: WritableStream<Uint8Array> }): Promise<StreamedSyncResult<T>>;
  sync(previous: SnapshotInput | null | undefined, options?: PagerSyncOptions): Promise<SyncResult<T>>;
  /**
   * The streaming sync as batches of changes handed out as they are found, for lists of any
   * size: `for await (const batch of pager.syncChanges(previous, { snapshotTo }))`. A batch
   * holds the changes found since the last one, in the order found: a changed record's old
   * values are read from `previous` once 32 changed records wait for them (or 2,048 changes
   * are held, or the pages end), so a batch may come a few pages after its changes were
   * read; the removed records come after the last page. Once the loop has ended,
   * `result` holds the counts and the rest. Leaving the loop early (or an error) stops the
   * sync: `snapshotTo` is aborted, no snapshot is made. Options as {@link Pager.sync}.
   */
  syncChanges(previous: SnapshotInput | null | undefined, options?: PagerSyncOptions): SyncChangesRun<T>;
}

/**
 * A stored snapshot: the bytes (or their text) that a sync returned as `snapshot`, or a
 * `Blob` of them — a `File`, an OPFS file's `getFile()`, Node's `fs.openAsBlob(path)` — which
 * the sync reads in pieces (to index it) and by span (a changed or removed record's old
 * values), so that it is never held whole. Bytes are read the same way (no copy is made).
 */
export type SnapshotInput = Uint8Array | ArrayBuffer | string | Blob;

/** One batch of {@link Pager.syncChanges}: the changes found since the last batch, by kind. */
export interface SyncBatch<T = CubeRecord> {
  added: T[];
  removed: T[];
  changed: Changed<T>[];
  anonymized: Diff<T>['anonymized'];
}

/** What {@link Pager.syncChanges} returns: iterate it; then read `result`. */
export interface SyncChangesRun<T = CubeRecord> extends AsyncIterable<SyncBatch<T>> {
  /** `undefined` until the loop has ended with the sync complete. */
  readonly result:
    | {
        counts: SyncCounts;
        duplicateKeys: Diff['duplicateKeys'];
        unchanged: number;
        /** Only on a baseline run. */
        baseline?: true;
        /** The new snapshot; `null` when it went to `snapshotTo`. */
        snapshot: Uint8Array | null;
        records: number;
        pages: number;
        /** With `updates`: the update files' summary. */
        updates?: UpdateSummary;
      }
    | undefined;
}

/**
 * The changes report written by the sync as it finds the changes (`pager.sync(previous, {
 * report })`): one row per changed field, one per added or removed customer — the rows of
 * {@link changeSheet}, listed as records are read (removed last). Never held whole: an
 * `.xlsx` is written as a zip stream (a sheet past Excel's 1,048,576 rows goes on in
 * `Changes (2)`, …). The stream is closed once the sync is complete, before `snapshotTo`,
 * and aborted if it fails. `to` missing or a bad option: `invalid_argument` before any
 * request; with `baseline: true`, refused (`param: 'report'`).
 */
export interface SyncReportOptions extends Omit<ChangeSheetOptions, 'format'> {
  /** Where the report goes: an OPFS file's `createWritable()`, or `Writable.toWeb(fs.createWriteStream(file))`. */
  to: WritableStream<Uint8Array>;
  /** `xlsx` (default), `csv`, or `ndjson` (one {@link ChangeRow} object a line). */
  format?: 'xlsx' | 'csv' | 'ndjson' | undefined;
}

/**
 * The CRM's update files written by the sync as it finds the changes (`pager.sync(previous, {
 * updates })`, `cube sync --updates`): the files {@link updateFile} makes, never held whole —
 * with every mapped column in the updates file (which columns no row changes is only known at
 * the end), so they equal `updateFile`'s with `file.keepUnchangedColumns`. Each stream is
 * closed once the sync is complete, before `snapshotTo`, and aborted if it fails. All three
 * streams are required (customers added or removed in Cube are never dropped). A duplicate
 * key: the sync keeps the first customer with it (named in `duplicateKeys`). A stream or
 * option missing or wrong: `invalid_argument` before any request; with `baseline: true`,
 * refused (`param: 'updates'`).
 */
export interface SyncUpdatesOptions extends Omit<UpdateFileOptions, 'crmRecords'> {
  /** The updates file: one row per customer changed in Cube, keyed by the CRM's id. */
  to: WritableStream<Uint8Array>;
  /** Customers added in Cube since `previous`. */
  createdTo: WritableStream<Uint8Array>;
  /** Customers no longer in Cube (an anonymized one among them). */
  removedTo: WritableStream<Uint8Array>;
  /**
   * The CRM's own records, for the name rule (see {@link UpdateFileOptions.crmRecords}): only
   * each one's id and first name are kept while the sync runs.
   */
  crmRecords?: Record<string, unknown>[] | undefined;
}

/**
 * What `pager.sync(previous, { report })` or `{ updates }` returns: the changes went to
 * those files, so `changes` has no lists, only `counts`, `duplicateKeys` and `unchanged`;
 * `updates` is the update files' summary when they were written.
 */
export interface ReportedSyncResult {
  changes: { counts: SyncCounts; duplicateKeys: Diff['duplicateKeys']; unchanged: number };
  /** The new snapshot; `null` when it went to `snapshotTo`. */
  snapshot: Uint8Array | null;
  records: number;
  pages: number;
  /** With `updates`: what went into the CRM's update files, and what did not. */
  updates?: UpdateSummary;
}

/** What a streaming sync returns. */
export interface SyncResult<T = CubeRecord> {
  /** What changed since `previous` (only counted in a baseline run). */
  changes: SyncChanges<T>;
  /** The new state (UTF-8 JSON, snapshot format version 2): store it, pass it next time. */
  snapshot: Uint8Array;
  /** Records read. */
  records: number;
  /** Pages read. */
  pages: number;
}

/** What a streaming sync with `snapshotTo` returns: the snapshot went to that stream. */
export interface StreamedSyncResult<T = CubeRecord> extends Omit<SyncResult<T>, 'snapshot'> {
  /** Always `null`: the new snapshot was written to `snapshotTo`, which is closed. */
  snapshot: null;
}

export declare class CubeClient {
  constructor(options: ClientOptions);
  /**
   * The base URL as the engine normalized it (`https://acme.headshed.com`). `undefined` in the
   * web and workerd builds until their wasm has loaded (`await ready()`).
   */
  readonly baseUrl: string | undefined;

  whoAmI(options?: CallOptions): Promise<WhoAmI>;
  campaigns(options?: CallOptions): Promise<Campaign[]>;
  clientAccessCampaigns(options?: CallOptions): Promise<Campaign[]>;
  customers(params: CrmParams & ListOptions): Pager<Customer>;
  customer(params: CrmParams & CallOptions & { customerId: string | number }): Promise<Customer>;
  customFields(params: CrmParams & CallOptions): Promise<CustomField[]>;
  callflowCustomers(params: CampaignCallflowParams): Pager<CallflowCustomer>;
  callflowCustomers(params: CrmCallflowParams): Pager<CallflowCustomer>;
  callOutcomes(params?: CampaignOutcomeParams): Pager<CallOutcome>;
  callOutcomes(params: CrmOutcomeParams): Pager<CallOutcome>;
  productRegistrations(params: CampaignOutcomeParams & { campaignId: Id }): Pager<ProductRegistration>;
  productRegistrations(params: CrmOutcomeParams): Pager<ProductRegistration>;
  legacyCustomers(params: { assignmentId: Id } & ListOptions): Pager<LegacyCustomer>;
  legacyResponses(params: { campaignId: Id; from: DateInput; to?: DateInput | undefined } & ListOptions): Pager<LegacyResponse>;
  legacyCreateCustomer(customer: LegacyNewCustomer, options?: CallOptions): Promise<LegacyCustomer>;

  /** A handle on one data owner's CRM, so `{ dataOwnerId, crmType }` is given once. */
  crm(dataOwnerId: Id, crmType: CrmType): CrmScope;
  /** A handle on one campaign, so `{ campaignId }` is given once. */
  campaign(campaignId: Id): CampaignScope;
}

/** `cube.crm(12, 'B2C')`: the CRM calls with the data owner and CRM type filled in. */
export interface CrmScope {
  readonly dataOwnerId: Id;
  readonly crmType: CrmType;
  customers(params?: ListOptions): Pager<Customer>;
  customer(customerId: string | number, options?: CallOptions): Promise<Customer>;
  customFields(options?: CallOptions): Promise<CustomField[]>;
  callflowCustomers(params?: ListOptions): Pager<CallflowCustomer>;
  callOutcomes(params?: DateRange & ListOptions): Pager<CallOutcome>;
  productRegistrations(params?: DateRange & ListOptions): Pager<ProductRegistration>;
}

/** `cube.campaign(3)`: the campaign calls with the campaign filled in. */
export interface CampaignScope {
  readonly campaignId: Id;
  callflowCustomers(params?: { callState?: string | undefined } & ListOptions): Pager<CallflowCustomer>;
  callOutcomes(params?: DateRange & ListOptions): Pager<CallOutcome>;
  productRegistrations(params?: DateRange & ListOptions): Pager<ProductRegistration>;
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
  /**
   * The field that matches records (default `crm__customer_id`; a `pager.sync()` of
   * `legacyCustomers` or `legacyResponses` defaults to `customer_id`, the key their records carry).
   */
  key?: string | undefined;
  /**
   * Loose comparison (default true): `"233"` equals `233`, `""`/null/missing are equal,
   * `true`/`"true"` equal, surrounding spaces ignored. False: JSON values must be equal.
   */
  loose?: boolean | undefined;
  /** Fields left out of the comparison, e.g. the `crm__change_log__*` fields. */
  ignoreFields?: string[] | undefined;
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

/** How many records a sync found of each kind. */
export interface SyncCounts {
  /** Records whose key is new. */
  added: number;
  /** Keys of `previous` not read this time. */
  removed: number;
  /** Matched records that differ. */
  changed: number;
  /** Matched records that are equal. */
  unchanged: number;
  /** Records with an empty key (never matched). */
  anonymized: number;
  /** Keys found more than once on a side (one per key and side). */
  duplicateKeys: number;
}

/**
 * What a sync reports: the {@link Diff} and its `counts`, which every sync gives (for a
 * summary line or a log without walking the lists: they are the lists' lengths).
 *
 * A baseline run (`pager.sync(previous, { baseline: true })`) has `baseline: true`, empty
 * lists and the true `counts` (and `unchanged`); against a `previous` (a re-baseline) a
 * matched record counts as changed when its fingerprint differs.
 */
export interface SyncChanges<T = CubeRecord> extends Diff<T> {
  counts: SyncCounts;
  /** Only on a baseline run: the lists were left empty on purpose. */
  baseline?: true;
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
  store?: 'values' | 'fingerprints' | undefined;
}

/** The options of the streaming sync, `pager.sync(previous, options)`. */
export interface PagerSyncOptions extends SyncOptions {
  /**
   * Accept a `previous` made against another origin than this client's `baseUrl` (default
   * false: refused, as the state of another Cube would report every customer as removed).
   * For the same Cube under another name, or the sandbox on another port; the new snapshot
   * records this client's origin.
   */
  allowOtherOrigin?: boolean | undefined;
  /**
   * A baseline run (default false): the snapshot is written as usual (byte for byte), but
   * the changes are counts only: every list empty, `counts` filled, `baseline: true`. Nothing
   * is kept per record for a report, so a first sync of a million customers holds their keys
   * and fingerprints, not their records. With a `previous` it re-baselines: the counts are
   * against `previous`, nothing is listed. Not a boolean: `invalid_argument`,
   * `param: 'baseline'`, before any request.
   */
  baseline?: boolean | undefined;
  /**
   * Where the new snapshot goes, page by page, instead of `result.snapshot` (which is then
   * `null`): any `WritableStream` of bytes — in a browser an OPFS file's
   * `await handle.createWritable()` (which commits on close), in Node
   * `Writable.toWeb(fs.createWriteStream(tmp))` followed by a rename. The new snapshot is then
   * never held whole: at most a page's worth of it is in memory. The stream is closed once
   * the sync is complete and aborted (with the sync's error) if it fails, so a partial
   * snapshot is never committed. Not a `WritableStream`: `invalid_argument`,
   * `param: 'snapshotTo'`, before any request.
   */
  snapshotTo?: WritableStream<Uint8Array> | undefined;
  /** Write the changes report as the changes are found (see {@link SyncReportOptions}). */
  report?: SyncReportOptions | undefined;
  /** Write the CRM's update files as the changes are found (see {@link SyncUpdatesOptions}). */
  updates?: SyncUpdatesOptions | undefined;
  /**
   * Aborts the sync (as `signal` on the list call does; given here too, this one is used).
   * `undefined` means none, so `{ signal: maybeSignal }` type-checks under
   * `exactOptionalPropertyTypes`.
   */
  signal?: AbortSignal | undefined;
  /** Told of each page read (as `onProgress` on the list call; given here too, this one is used). */
  onProgress?: ((progress: { loaded: number; total: number | null; page: number }) => void) | undefined;
}

export interface Column {
  /** A record key, or a custom-field label when `customFields` is given. */
  field: string;
  /** The header text (default: the field's label, else the field). */
  header?: string | undefined;
}

export interface CsvOptions {
  columns?: Column[] | undefined;
  /** `,` (default), `;` (Nordic Excel), tab or `|`. */
  delimiter?: ',' | ';' | '\t' | '|' | undefined;
  /** Start with a UTF-8 byte-order mark so Excel shows æøå (default false). */
  bom?: boolean | undefined;
  /**
   * Guard against formula injection (default true): a cell that starts with `=`, `+`, `-`,
   * `@`, a tab or a carriage return is written with a leading `'` (OWASP), so a spreadsheet
   * shows it as text instead of evaluating it. A phone `+4791234567` is then written
   * `'+4791234567`. Set false when a program, not a spreadsheet, reads the file; give people
   * `.xlsx` (`toXlsx`), where ids and phones are text and nothing is evaluated.
   */
  formulaGuard?: boolean | undefined;
  /** Label `crm__custom_info__N` columns (the array `customFields()` returns). */
  customFields?: CustomField[] | undefined;
}

/**
 * A change an `.xlsx` writer (`toXlsx`, `importSheet`, `changeSheet`) made to fit the data,
 * passed to `onWarning`. `cell_truncated`: a text cell longer than an `.xlsx` cell holds
 * (32,767 characters) was cut to 32,767.
 */
export interface XlsxWarning {
  code: 'cell_truncated';
  /** The sheet row, 1-based as the sheet shows it (the header is row 1). */
  row: number;
  /** The column's letters (`F`). */
  column: string;
  /** The column's header (`''` when the sheet has none). */
  header: string;
  /** The cell's length before the cut, in UTF-16 code units (a string's `length`, as Excel counts). */
  length: number;
  /** `row 12, column F (Notes): 40,000 characters cut to 32,767 (the most an .xlsx cell holds)`. */
  message: string;
}

export interface XlsxOptions {
  columns?: Column[] | undefined;
  /** Default `Sheet1`; at most 31 characters, none of `[]:*?/\`. */
  sheetName?: string | undefined;
  /**
   * Fields always written as text cells, so leading zeros and `+` survive. **Replaces** the
   * default, which is `['crm__customer_id', 'crm__standard_info__phone_1',
   * 'crm__standard_info__phone_2', 'crm__standard_info__phone_3']`: list those too to keep
   * them. Other strings are text cells anyway; this matters for numbers and for values a
   * spreadsheet would read as numbers.
   */
  textFields?: string[] | undefined;
  customFields?: CustomField[] | undefined;
  /**
   * A text cell longer than an `.xlsx` cell holds (32,767 characters) is refused by default:
   * the call fails (`invalid_argument`, naming the row and column) before returning any
   * bytes. With `onWarning`, such a cell is cut to 32,767 characters and `onWarning` is
   * called once per cut cell. Nothing else is ever changed: characters XML cannot hold are
   * written as `_xHHHH_` escapes, which spreadsheets decode back.
   */
  onWarning?: ((warning: XlsxWarning) => void) | undefined;
}

export interface ImportSheetOptions {
  /** Default: id, name, phones, e-mail, then the custom fields. */
  columns?: Column[] | undefined;
  /**
   * Read `records` as the CRM's own (its export, from {@link readCsv}) through a mapping
   * (a preset's name or a {@link Mapping}): the CRM's id becomes `Customer ID`, the first and
   * last name are joined into `Name`, phones become E.164 (`+4791234567`) under `Phone 1`..`3`,
   * custom fields go under their label; every cell is text. Not with `columns`. A mapped
   * column the records lack is an `invalid_argument` whose `param` is the mapping's path
   * (`mapping.fields[2].crm`), unless the field is `optional`; a record without an id, one
   * with `param: 'records'`.
   */
  mapping?: Mapping | MappingPresetName | undefined;
  /** Default `xlsx`. */
  format?: 'xlsx' | 'csv' | undefined;
  /** Default `Customers`. */
  sheetName?: string | undefined;
  delimiter?: ',' | ';' | '\t' | '|' | undefined;
  /** CSV only; default true (the sheet is meant for Excel). */
  bom?: boolean | undefined;
  /** CSV only; default true: see {@link CsvOptions.formulaGuard}. */
  formulaGuard?: boolean | undefined;
  /** XLSX: fields written as text besides the customer id and the phones (e.g. postal codes). */
  textFields?: string[] | undefined;
  customFields?: CustomField[] | undefined;
  /** XLSX: cut cells too long for `.xlsx` and report each; see {@link XlsxOptions.onWarning}. */
  onWarning?: ((warning: XlsxWarning) => void) | undefined;
}

export interface CsvReadOptions {
  /** `,`, `;`, tab or `|`; detected from the header and the first rows when missing. */
  delimiter?: ',' | ';' | '\t' | '|' | undefined;
}

/** A CSV file read by {@link readCsv}. */
export interface CsvTable {
  /** The delimiter used (given or detected). */
  delimiter: string;
  /** The header row, in order. */
  headers: string[];
  /** One record a row, header → value; every value is a string, exactly as written. */
  records: Record<string, string>[];
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
): Promise<{ changes: SyncChanges<T>; snapshot: Snapshot }>;
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
/** An Excel workbook (.xlsx). A cell over 32,767 characters fails the call unless `onWarning` is given. */
export declare function toXlsx(records: CubeRecord[], options?: XlsxOptions): Promise<Uint8Array>;
/**
 * Read a CSV file (a CRM's export): UTF-8 with or without a BOM, the delimiter detected or
 * given, the first row the header. Values stay text (`000417`, `+47…`, `0150`). A file that
 * is not UTF-8, a header without names or with one twice, or a row with another number of
 * fields is an `invalid_argument` (`param: 'csv'`) naming the line; a quoted field that is
 * never closed, or text after a closing quote (`"ab"c`), one naming the line and column. A
 * quote inside a field that does not start with one (`5" screen`) is text, as in Excel.
 */
export declare function readCsv(bytes: Uint8Array | ArrayBuffer | string, options?: CsvReadOptions): Promise<CsvTable>;
/** A sheet for Cube's Excel import: one customer a row, ids as text. */
export declare function importSheet(records: CubeRecord[], options?: ImportSheetOptions): Promise<Uint8Array>;

/** Options of the changes report (`changeRows`, `changeSheet`). */
export interface ChangeRowsOptions {
  /** The field the sync matched on (default `crm__customer_id`): the id of added and removed rows. */
  key?: string | undefined;
  /** Fields that never become rows, besides the change-log fields (which are columns). */
  ignoreFields?: string[] | undefined;
  /** Label custom fields (the array `customFields()` returns). */
  customFields?: CustomField[] | undefined;
}

export interface ChangeSheetOptions extends ChangeRowsOptions {
  /** Default `xlsx`. */
  format?: 'xlsx' | 'csv' | undefined;
  /** Default `Changes`. */
  sheetName?: string | undefined;
  /** CSV only; default `,`. */
  delimiter?: ',' | ';' | '\t' | '|' | undefined;
  /** CSV only; default true (the report is meant for Excel). */
  bom?: boolean | undefined;
  /** CSV only; default true: a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`. */
  formulaGuard?: boolean | undefined;
  /** XLSX: cut cells too long for `.xlsx` and report each; see {@link XlsxOptions.onWarning}. */
  onWarning?: ((warning: XlsxWarning) => void) | undefined;
}

/** One row of the changes report: one changed field, or one added or removed customer. */
export interface ChangeRow {
  change: 'changed' | 'added' | 'removed';
  customerId: string;
  name: string;
  /** The field's label: the custom field's label, `Phone 1`, `E-mail`, … ; empty for added/removed. */
  label: string;
  /** The value before, as text (empty when there was none). */
  before: string;
  /** The value after, as text. */
  after: string;
  /** `crm__change_log__updated` of the record after the change (before, for a removed one). */
  updated: string;
  /** `crm__change_log__updated_by`: who. */
  updatedBy: string;
  /** `crm__change_log__update_method`: how (`Manual update`, `Import new`, …). */
  updateMethod: string;
  /** The field's record key. */
  field: string;
}

/**
 * The changes report: one row per changed field (customer id, name, field label, before,
 * after) with who, when and how as columns; one row per added or removed customer. The
 * change-log fields are columns, never rows; anonymized customers and duplicate keys are left
 * out (they stay in `changes`).
 */
export declare function changeRows(changes: Diff<CubeRecord>, options?: ChangeRowsOptions): Promise<ChangeRow[]>;
/** The changes report as an `.xlsx` workbook (every cell text) or CSV. */
export declare function changeSheet(changes: Diff<CubeRecord>, options?: ChangeSheetOptions): Promise<Uint8Array>;

/** The mappings shipped with the package: see {@link mappingPreset}. */
export type MappingPresetName = 'dynamics365' | 'salesforce' | 'hubspot';

/**
 * How an integrator's CRM records and Cube's customer fields correspond: one JSON document
 * (version 1). Every mistake is an `invalid_argument` whose `param` is its JSON path inside
 * the mapping (`mapping.fields[3].cube`). Start from a preset: `await mappingPreset('salesforce')`.
 */
export interface Mapping {
  version: 1;
  /** For people: what the mapping is for. */
  title?: string | undefined;
  notes?: string | string[] | undefined;
  /** Where the CRM documents its conventions (http(s) URLs). */
  sources?: string[] | undefined;
  /** The CRM's id column; `cube` defaults to `crm__customer_id`. */
  key: { crm: string; cube?: string | undefined };
  /**
   * The CRM's name columns: `first` and `last` (joined "First Last" into Cube's one name; split
   * back keeping the CRM's first name while the new name starts with it, else at the last
   * space), or `full`. Left out: the name is not mapped.
   */
  name?: { first: string; last: string } | { full: string } | undefined;
  /**
   * `defaultCountry` (ISO code, default `NO`): the country of numbers written without a code;
   * `write`: phones in the CRM's files as `e164` (default, `+4791234567`), `national`
   * (`91234567`) or `asTyped`.
   */
  phone?: { defaultCountry?: string | undefined; write?: 'e164' | 'national' | 'asTyped' | undefined } | undefined;
  fields?: MappingField[] | undefined;
  /** The CRM's file conventions. */
  file?: MappingFile | undefined;
}

/** One mapped column of a {@link Mapping}. */
export interface MappingField {
  /** The CRM's column. */
  crm: string;
  /**
   * A Cube field key (`crm__standard_info__phone_1`..`3`, `crm__standard_info__email`,
   * `crm__custom_info__64`) or, any text not starting with `crm__`, a custom field's label.
   */
  cube: string;
  /** Default `phone` for Cube's phone fields, else `text`. A `date` is Cube's `YYYY-MM-DD`, the CRM's `file.dateFormat`. */
  type?: 'text' | 'phone' | 'date' | undefined;
  /** Applied (after trimming, which is always done) either way, and before values are compared. */
  transform?: ('upper' | 'lower' | 'collapseSpaces')[] | undefined;
  /** Default `both`; `toCube`: only into Cube's import sheet; `toCrm`: only into the CRM's files. */
  direction?: 'both' | 'toCube' | 'toCrm' | undefined;
  /** A custom field Cube lacks, or a column the export lacks, is left out (and said so) instead of an error. */
  optional?: boolean | undefined;
}

/** How the CRM's importer reads a file. */
export interface MappingFile {
  /** Default `,`. */
  delimiter?: ',' | ';' | '\t' | '|' | undefined;
  /** CSV: start with a UTF-8 byte-order mark (default false). */
  bom?: boolean | undefined;
  /** Only `utf-8` is written. */
  encoding?: 'utf-8' | undefined;
  /** `YYYY`, `MM`/`M`, `DD`/`D` and separators; default `YYYY-MM-DD`. */
  dateFormat?: string | undefined;
  /** What a cell holds to leave a field as it is (default `''`, an empty cell). */
  unchanged?: string | undefined;
  /** What a cell holds to clear a field (Salesforce: `#N/A`); `null` (default): the import cannot clear one. */
  clear?: string | null | undefined;
  /** Keep columns that no row changes in the updates file (default false: left out). */
  keepUnchangedColumns?: boolean | undefined;
  /**
   * CSV: a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'` (default true),
   * except an E.164 number (`+` and digits only) in a phone column, which cannot be a formula
   * and must reach the CRM without the `'`.
   */
  formulaGuard?: boolean | undefined;
}

export interface UpdateFileOptions {
  /** A preset's name or a {@link Mapping}. */
  mapping: Mapping | MappingPresetName;
  /** Default `csv`. */
  format?: 'csv' | 'xlsx' | undefined;
  /** Resolves custom fields the mapping names by label (the array `customFields()` returns). */
  customFields?: CustomField[] | undefined;
  /**
   * The CRM's own records (its export, `(await readCsv(bytes)).records`): their first names
   * split a changed name right (`Kari` / `Ås Hansen`, not `Kari Ås` / `Hansen`).
   */
  crmRecords?: Record<string, unknown>[] | undefined;
}

/** What {@link updateFile} wrote, and what it did not. */
export interface UpdateSummary {
  /** The mapping's title. */
  crm: string;
  /** Rows of each file. */
  updates: number;
  created: number;
  removed: number;
  /** Changed customers with no row: nothing mapped changed (only unmapped fields, or only a format), or only a clear the CRM cannot take. */
  noMappedChange: number;
  /** Of those, customers whose mapped fields changed only in format (`+4791234567` → `912 34 567`). */
  formatOnly: number;
  /** Anonymized customers (no id): in no file. */
  anonymized: number;
  /** Keys on more than one customer in Cube (a sync keeps the first customer with each): check them there. */
  duplicateKeys: string[];
  /** Fields cleared in Cube that the CRM's import cannot clear (`file.clear: null`): clear them by hand. The first 1,000. */
  cannotClear: { key: string; column: string }[];
  /** How many fields were cleared in Cube that the CRM's import cannot clear (all of them, listed or not). */
  cannotClearCount: number;
  /** Mapped columns left out (an optional custom field Cube lacks, or no `customFields`). */
  skippedColumns: { path: string; column: string; reason: string }[];
  /** Cube fields changed that no column maps (change-log fields aside). */
  unmappedFields: string[];
  /** All of the above in sentences, for a log. */
  messages: string[];
}

/** The CRM's files: CSV or `.xlsx` bytes, and the summary. */
export interface UpdateFiles {
  /** One row per changed customer, keyed by the CRM's id: new values, `file.unchanged`, `file.clear`. */
  updates: Uint8Array;
  /** Customers added in Cube since `previous`, every mapped column. */
  created: Uint8Array;
  /** Customers no longer in Cube (an anonymized one among them), with the values Cube had. */
  removed: Uint8Array;
  summary: UpdateSummary;
}

/**
 * Cube's changes as the CRM's update files, through a mapping: one row per changed customer
 * keyed by the CRM's id, in the CRM's column names and conventions. Values are compared as the
 * mapping reads them (phones as E.164, trimmed, transformed), so a phone written another way
 * is no change. Added and removed customers go into their own files; anonymized customers,
 * duplicate keys, unmapped fields and clears the CRM cannot take are in the summary.
 */
export declare function updateFile(changes: Diff<CubeRecord>, options: UpdateFileOptions): Promise<UpdateFiles>;
/** A preset mapping's document, to copy and edit: `dynamics365`, `salesforce`, `hubspot`. */
export declare function mappingPreset(name: MappingPresetName): Promise<Mapping>;
