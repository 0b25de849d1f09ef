// Exit codes and the one-line error and warning messages of the `cube` command line.
//
// Every failure ends as one line on stderr — what failed, then what to do — and an exit code
// a script can test. A change made to the data to fit the output (an .xlsx cell cut to
// Excel's limit) is a warning line on stderr, printed even with --quiet: it says the file is
// not quite the input. No line ever carries a credential: CubeError messages are redacted by
// the package, and every line printed here is redacted again of the secrets this process
// was given (see `redact`).

import { CubeError, EXIT_CODES, exitCodeFor } from '../node/index.mjs';

/**
 * Exit codes: the package's table (`EXIT_CODES`, exported for scripts with `exitCodeFor`).
 * Documented in the README ("Command line") and in `cube --help`.
 */
export const EXIT = EXIT_CODES;

/** A mistake on the command line or in the environment: exit 2, before any request. */
export class UsageError extends Error {
  constructor(message, hint) {
    super(message);
    this.name = 'UsageError';
    this.hint = hint;
  }
}

/** A local file that cannot be read or written: exit 30. */
export class FileError extends Error {
  constructor(message, hint) {
    super(message);
    this.name = 'FileError';
    this.hint = hint;
  }
}

/** The state file is in use by another run: exit 31, before any request. */
export class LockError extends Error {
  constructor(message, hint) {
    super(message);
    this.name = 'LockError';
    this.hint = hint;
  }
}

/** What to do about each CubeError code. */
const ADVICE = {
  invalid_argument: 'fix the value named above (see `cube COMMAND --help`)',
  unauthorized: 'check CUBE_TOKEN, or CUBE_USERNAME and CUBE_PASSWORD (a token may have been revoked)',
  forbidden: 'this user may not read that data owner or campaign: ask a Cube tenant admin for access',
  not_found: 'check the ids (data owner, campaign, customer) and the target (--base-url, CUBE_BASE_URL, CUBE_ACCOUNT)',
  bad_request: 'check the parameters; Cube refused them',
  rate_limited: 'Cube is throttling requests: try again later',
  server: 'Cube failed: try again later (or raise --max-retries)',
  timeout: 'try again later, or raise --timeout-ms',
  network: 'check the network and the target (--base-url, CUBE_BASE_URL, CUBE_ACCOUNT)',
  invalid_response: 'the server did not answer like Cube: check the target (a proxy or a login page?)',
  out_of_memory: 'keep less in memory: for `cube sync`, --baseline on a first night (no report, only the state), or --store fingerprints (a smaller state); else read fewer records per run (narrower filters or dates)',
  internal: 'this is a bug in cube-integration; please report it',
};

const secrets = new Set();

/** Remember a secret so that no line this process prints can carry it. */
export function addSecret(value) {
  if (typeof value === 'string' && value.length >= 3) secrets.add(value);
}

/** `text` with every known secret replaced, on one line. */
export function redact(text) {
  let out = String(text).replace(/[\r\n]+/g, ' ');
  for (const s of secrets) out = out.split(s).join('[redacted]');
  return out;
}

function sentence(text) {
  const t = String(text).trim();
  return /[.!?)]$/.test(t) ? t : `${t}.`;
}

/**
 * The exit code and the one line for an error. `context` may add `resume` (what to say when
 * the run is interrupted or a read fails part way).
 */
export function describe(error, context = {}) {
  if (error instanceof UsageError) {
    return { code: EXIT.usage, line: `${sentence(error.message)} ${error.hint ?? 'See `cube --help`.'}` };
  }
  if (error instanceof FileError) {
    return { code: EXIT.file, line: `${sentence(error.message)}${error.hint ? ` ${error.hint}` : ''}` };
  }
  if (error instanceof LockError) {
    return { code: EXIT.locked, line: `${error.message}. ${error.hint}` };
  }
  if (error instanceof CubeError) {
    const code = exitCodeFor(error);
    if (error.code === 'aborted') {
      return { code: context.signalCode ?? EXIT.interrupted, line: `interrupted. ${context.resume ?? 'Run the same command again.'}` };
    }
    let advice = ADVICE[error.code] ?? 'see `cube --help`';
    if (context.command) advice = advice.replace('cube COMMAND --help', `cube ${context.command} --help`);
    if (error.code === 'rate_limited' && error.retryAfterMs) {
      advice = `Cube is throttling requests: try again in ${Math.ceil(error.retryAfterMs / 1000)} s`;
    }
    const resume = context.resume ? ` ${context.resume}` : '';
    return { code, line: `${error.code}: ${sentence(error.message)} What to do: ${advice}.${resume}` };
  }
  const message = error && error.message ? error.message : String(error);
  return { code: EXIT.internal, line: `unexpected error: ${sentence(message)} This is a bug in cube-integration; please report it.` };
}

/** Print a warning about the data written (the package's `onWarning` object) as one line on stderr. */
export function warn(warning) {
  process.stderr.write(`cube: warning: ${redact(warning.message)}\n`);
}

/** Print an error as its one line on stderr; returns its exit code. */
export function report(error, context = {}) {
  const { code, line } = describe(error, context);
  process.stderr.write(`cube: ${redact(line)}\n`);
  return code;
}
