// Types of `cube-integration/sandbox`: the Cube sandbox in this process, as a `fetch`.

/**
 * The Cube sandbox in this process, as a `fetch`: `import { createSandbox } from
 * 'cube-integration/sandbox'`.
 *
 * @module cube-integration/sandbox
 */

/** A fault rule: the `--fault` flag's text form, or one rule as an object. */
export type FaultSpec = string | FaultRule;

/**
 * One fault rule (the JSON form of `--fault`, `POST /_sandbox/faults`). `kind` picks the
 * fault; the other fields are the kinds' options, each below with the kinds it applies to.
 * The first rule that fires wins.
 */
export interface FaultRule {
  /**
   * `status`: that status instead of the answer (`status`, `retryAfter`, `retryAfterDate`,
   * `body`); `reset`: the headers, part of the body (`keepBytes`), then the connection drops;
   * `truncate`: 200 with cut JSON (`keepBytes`); `html`: 200 `text/html`, a login page;
   * `redirect`: to the same path and query on another origin (`status`, `location`);
   * `dribble`: the real answer, sent slowly (`chunkBytes`, `chunkDelayMs`); `delay`: extra
   * latency on the matching route (`latencyMs`, `jitterMs`); `endless_body`: a page that
   * never ends (`chunkBytes`, `chunkDelayMs`, `maxSeconds`). The page-envelope kinds match
   * the paginated `/api/v1` lists only: `foreign_next` (`next`/`previous` on another
   * `origin`), `next_loop` (`next` is the same page), `lying_count` (`count` × `factor`),
   * `bad_envelope` (`variant`), `huge_record` (the first record's name `bytes` long),
   * `invalid_utf8` (invalid UTF-8 in the first record's name).
   */
  kind:
    | 'status' | 'reset' | 'truncate' | 'html' | 'redirect' | 'dribble' | 'foreign_next'
    | 'next_loop' | 'lying_count' | 'bad_envelope' | 'huge_record' | 'invalid_utf8'
    | 'endless_body' | 'delay';
  /** Path prefix, e.g. `/api/v1/data_owners/`; omitted = every API route. */
  route?: string;
  /** Probability 0..1 that a matching request gets the fault (default 1). */
  rate?: number;
  /** Inject into at most this many requests. */
  times?: number;
  /** Let the first N matching requests through untouched. */
  skip?: number;
  /** `status`: the status sent (required); `redirect`: 300–399, default 302. */
  status?: number;
  /** `status`: a `Retry-After` of this many seconds. */
  retryAfter?: number;
  /** `status`: `Retry-After` as an HTTP date `retryAfter` seconds ahead (default false). */
  retryAfterDate?: boolean;
  /** `status`: Django REST framework's JSON message, an nginx-style HTML page, or nothing (default `json`). */
  body?: 'json' | 'html' | 'empty';
  /** `reset`, `truncate`: bytes of the body sent (default half). */
  keepBytes?: number;
  /** `dribble` (default 64), `endless_body` (default 4096): bytes per chunk. */
  chunkBytes?: number;
  /** `dribble` (default 50), `endless_body` (default 20): pause between chunks. */
  chunkDelayMs?: number;
  /** `endless_body`: seconds the body goes on (default 120, also the most). */
  maxSeconds?: number;
  /** `lying_count`: `count` multiplied by this (default 2). */
  factor?: number;
  /** `bad_envelope`: `results` is an object (the default), is missing, or the page is a bare array. */
  variant?: 'object' | 'missing' | 'array';
  /** `huge_record`: length of the first record's name (default 10 MiB). */
  bytes?: number;
  /** `foreign_next`: the origin of `next` and `previous` (default `http://internal.cube.local:8000`). */
  origin?: string;
  /** `redirect`: the origin redirected to (default `http://internal.cube.local:8000`). */
  location?: string;
  /** `delay`: extra latency on the matching route, plus a random 0..=`jitterMs`. */
  latencyMs?: number;
  /** `delay`: see `latencyMs`. */
  jitterMs?: number;
}

/** The whole fault configuration (`sandbox.faults()`). */
export interface FaultConfig {
  /** Seeds the draws for `rate` and jitter, so a run repeats. */
  seed?: number;
  /** Added to every API request. */
  latencyMs?: number;
  /** Plus a uniform random 0..=jitterMs. */
  jitterMs?: number;
  rules?: FaultRule[];
}

/**
 * The sandbox's settings: the flags of `cube-sandbox` / `npx cube-integration sandbox` in
 * camelCase (`--page-size` is `pageSize`, each `--fault` one entry of `faults`). Every
 * option is optional; an unknown one is refused (`CubeError`, `invalid_argument`, `param`).
 */
export interface SandboxOptions {
  /** Username (e-mail) of the internal demo user. Default `demo@example.com`. */
  username?: string;
  /** Default `demo`. */
  password?: string;
  /** Default `demo-token`. */
  token?: string;
  /** The external user (data owner 1 only). Default `partner@example.com`. */
  externalUsername?: string;
  /** Default `partner`. */
  externalPassword?: string;
  /** Default `partner-token`. */
  externalToken?: string;
  /** Seed of the generated tenant (same seed, same data). Default 42. */
  seed?: number;
  /** The sandbox's today, `YYYY-MM-DD`. Default: the system date (UTC). */
  today?: string;
  /** Records per page, 1..=100000. Default 500. */
  pageSize?: number;
  /** Data owners (ids 1..=N), each with a B2C and a B2B CRM. Default 3. */
  dataOwners?: number;
  /** Customers in each CRM (generated lazily). Default 2000. */
  customers?: number;
  /** Campaigns per data owner (at most 99). Default 4. */
  campaigns?: number;
  /** Call outcomes per campaign (at most 20 000). Default 300. */
  outcomes?: number;
  /** Simulated edits by Cube users applied at start. Default 0. */
  edits?: number;
  /** Latency on every API request, in ms. Default 0. */
  latencyMs?: number;
  /** Plus a random 0..=jitterMs. Default 0. */
  jitterMs?: number;
  /** Seed of the fault and jitter draws. Default 1. */
  faultSeed?: number;
  /** Fault rules (the first matching rule wins). */
  faults?: FaultSpec[];
}

/** `POST /_sandbox/edits`: simulated Cube users edit customers. */
export interface EditRequest {
  /** How many customers to edit (default 1, at most 100 000). */
  count?: number;
  dataOwnerId?: number;
  crmType?: 'B2C' | 'B2B';
  seed?: number;
}

/**
 * `POST /_sandbox/edits` with `set`: the values given, each entry one customer (generated,
 * created or imported), as a Cube user's manual edit (change log: today, a caller's e-mail,
 * `Manual update`). `set` goes alone.
 */
export interface SetEditRequest {
  set: SetEdit[];
}

/** One customer's targeted edit. */
export interface SetEdit {
  customerId: string;
  dataOwnerId: number;
  crmType: 'B2C' | 'B2B';
  /**
   * Field key → new value: `crm__standard_info__name`, `crm__standard_info__phone_1`..`3`,
   * `crm__standard_info__email`, or one of the CRM's custom fields (`crm__custom_info__N`,
   * which also takes a whole number). Text is trimmed; `''` clears the field. The id and the
   * change log are not editable.
   */
  fields: Record<string, string | number>;
}

/** One edited customer in `edits()`'s answer. */
export interface EditedCustomer {
  dataOwnerId: number;
  crmType: 'B2C' | 'B2B';
  customerId: string;
  /** The fields whose value changed, as named in `/api/v1` customer records. */
  fields: string[];
  /** Their new values, and the change log's (`crm__change_log__updated`, `…_by`, `…update_method`). */
  values: Record<string, string | number>;
}

/** Where `sandbox.importSheet()` imports: one CRM. */
export interface ImportSheetTarget {
  dataOwnerId: number;
  crmType: 'B2C' | 'B2B';
}

/** What `sandbox.importSheet()` did (`POST /_sandbox/import`'s answer). */
export interface ImportSheetResult {
  /** Rows with a new customer id: customers created (`Import new`). */
  created: number;
  /** Rows of a customer in the CRM with a value that differs: updated (`Import update`). */
  updated: number;
  /** Rows of a customer in the CRM whose values are all as stored: left as they are. */
  unchanged: number;
  /** The data rows read (the header and blank rows are not rows). */
  rows: number;
  /** Always empty: a sheet with errors is refused whole (see `ImportSheetRowError`). */
  errors: ImportSheetRowError[];
}

/**
 * A problem with an imported sheet. A sheet with any is refused whole (nothing changes): the
 * `CubeError` that `importSheet()` throws names the first in its `detail` and carries them all
 * (at most 100) as `errors`.
 */
export interface ImportSheetRowError {
  /** The row as a spreadsheet numbers it: the header is row 1, blank rows count. */
  row: number;
  /** The column's header as the sheet writes it, its letter when it has none, or `null` for the whole row. */
  column: string | null;
  message: string;
}

/** One request in the sandbox's log (`sandbox.requests()`). */
export interface LoggedRequest {
  seq: number;
  endSeq: number | null;
  state: 'arrived' | 'answered' | 'aborted';
  inFlight: number;
  method: string;
  path: string;
  query: string;
  /** Lower-cased names; repeated headers joined with `", "`. */
  headers: Record<string, string>;
  status: number | null;
  at: string;
  /** The fault kind injected into this request's answer, if any. */
  fault: string | null;
  durationMs: number | null;
}

/** A Cube sandbox in this process. */
export interface Sandbox {
  /** `https://sandbox.invalid`: pass it as `baseUrl` (any origin works; links use it). */
  readonly baseUrl: string;
  /** The server, as a `fetch`: pass it as the client's `fetch` option. */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /** What the sandbox generated and how to sign in (`GET /_sandbox/info`). */
  info(): Record<string, unknown>;
  /** The request log, in order of arrival. */
  requests(): LoggedRequest[];
  clearRequests(): void;
  /**
   * Simulated Cube users edit `count` customers (or as the request says; no argument: one):
   * phone 1, e-mail and (B2C) the last name, which shows in `crm__standard_info__name` with the
   * same first name. With `{ set }`, the values given instead, on the customers named
   * (generated, created or imported): an entry that changes nothing is not in `edited`; an
   * unknown customer, a field that is not editable or a bad value is a `CubeError` naming its
   * entry, and nothing changes. A member the sandbox does not read is a `CubeError` naming it.
   */
  edits(request?: number | EditRequest | SetEditRequest): { edited: EditedCustomer[] };
  /**
   * Cube's Excel import into one CRM (`POST /_sandbox/import`): `sheet` is the import sheet as
   * `importSheet()` of `cube-integration` returns it (`.xlsx`, or CSV; CSV text is taken too),
   * its columns mapped by header (`Customer ID`, `Name`, `Phone 1`..`Phone 3`, `Email` or the
   * keys; custom fields by label or key). A row whose customer id is in the CRM updates that
   * customer when a value differs (change log: today, the import user, `Import update`); a new
   * id creates one (`Import new`) at the end of the CRM's list. An empty cell leaves a field as
   * it is. All or nothing: a sheet with an error (no id, an id twice, an unknown column, …) is a
   * `CubeError` (`invalid_argument`, status 400) whose `detail` names the first and whose
   * `errors` member lists them (`ImportSheetRowError[]`), and nothing changes; so is an option
   * other than `dataOwnerId` and `crmType`, naming it. `reset()` removes what imports did.
   */
  importSheet(sheet: Uint8Array | ArrayBuffer | string, options: ImportSheetTarget): ImportSheetResult;
  /**
   * The fault configuration: read it (no argument), replace it, or clear it (`null`). A member
   * the sandbox does not read (`{ kind: 'delay', ms: 5000 }`) is a `CubeError` naming it and
   * the ones it takes; what this returns can be passed back as it is.
   */
  faults(config?: FaultConfig | null): FaultConfig;
  /** Back to the start: edits, created and imported customers, request log, faults. */
  reset(): void;
  /** Frees the sandbox's memory; it cannot be used afterwards. */
  close(): void;
}

/** A Cube sandbox in this process: its `fetch` is the server. No port, no network. */
export function createSandbox(options?: SandboxOptions): Promise<Sandbox>;
