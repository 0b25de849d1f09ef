// Flags of the command line (node:util parseArgs), shared by every command, and the checks
// that run before anything else: a secret on the command line, an unknown flag, a value that
// is not a number.

import { parseArgs } from 'node:util';
import { UsageError } from './errors.mjs';
import { quote } from './quote.mjs';

/** Where to connect and how (every command that talks to Cube). */
export const CONNECTION_OPTIONS = {
  'base-url': { type: 'string', help: 'URL    the Cube to talk to, e.g. https://acme.headshed.com (env CUBE_BASE_URL)' },
  account: { type: 'string', help: 'NAME   instead of --base-url: https://NAME.headshed.com (env CUBE_ACCOUNT)' },
  domain: { type: 'string', help: 'NAME   with --account: headshed.com (default) or cube4sales.com (env CUBE_DOMAIN)' },
  username: { type: 'string', help: 'EMAIL  Basic auth user (env CUBE_USERNAME); the password comes from CUBE_PASSWORD or --password-stdin' },
  'password-stdin': { type: 'boolean', help: '       read the password from standard input' },
  'token-stdin': { type: 'boolean', help: '       read the token from standard input (else env CUBE_TOKEN)' },
  'timeout-ms': { type: 'string', help: 'MS     per request attempt (default 30000)' },
  'max-retries': { type: 'string', help: 'N      retries of a failed request (default 4)' },
  'retry-delay-ms': { type: 'string', help: 'MS     first wait before a retry, doubled each time (default 300)' },
  concurrency: { type: 'string', help: 'N      pages in flight at once (default 6)' },
};

/** Where the result goes and in which format. */
export const OUTPUT_OPTIONS = {
  output: { type: 'string', short: 'o', help: 'FILE   write to FILE: a regular file whole or not at all, a device or FIFO written into (default, or -: standard output)' },
  format: { type: 'string', help: 'FMT    json, ndjson, csv or xlsx (default: from the -o extension, else json)' },
  delimiter: { type: 'string', help: 'D      CSV delimiter: "," (default), ";", "tab" or "|"' },
  bom: { type: 'boolean', help: '       CSV: start with a UTF-8 byte-order mark (Excel shows æøå)' },
  'no-formula-guard': { type: 'boolean', help: '       CSV: write cells starting with = + - @ as they are (default: prefixed with \')' },
  'sheet-name': { type: 'string', help: 'NAME   xlsx: the sheet name (default Sheet1)' },
};

/** Every command. */
export const COMMON_OPTIONS = {
  quiet: { type: 'boolean', short: 'q', help: '       no progress and no summary on stderr (errors and data warnings still print)' },
  help: { type: 'boolean', short: 'h', help: '       this help' },
};

const SECRET_FLAG = /^--?(password|passwd|pass|token|secret)(=|$)/i;

/** Refuse a secret on the command line, without repeating it. */
export function refuseSecretsInArgv(argv) {
  for (const arg of argv) {
    const m = SECRET_FLAG.exec(arg);
    if (m) {
      throw new UsageError(
        `never put a ${m[1].toLowerCase()} on the command line (every user of this machine can read it)`,
        m[1].toLowerCase() === 'token'
          ? 'Set CUBE_TOKEN, or pipe the token into --token-stdin.'
          : 'Set CUBE_PASSWORD, or pipe the password into --password-stdin.',
      );
    }
  }
}

/** parseArgs options from our option tables (without their help). */
function spec(options) {
  return Object.fromEntries(
    Object.entries(options).map(([name, o]) => [name, { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) }]),
  );
}

/** Parse `argv` against `options`: `{ values, positionals }`, or a UsageError. */
export function parse(command, argv, options) {
  try {
    return parseArgs({ args: argv, options: spec(options), allowPositionals: true, strict: true });
  } catch (e) {
    // Name the flag, never its value (`--x=value` is cut at `=`).
    const flag = /'(-[^'=\s]*)/.exec(e.message)?.[1];
    const hint = `See \`cube ${command} --help\`.`;
    switch (e.code) {
      case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
        throw new UsageError(flag === undefined ? `${command}: unknown option` : `${command}: unknown option ${quote(flag)}`, hint);
      case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
        throw new UsageError(`${command}: option ${flag ?? ''} needs a value`.replace('  ', ' '), hint);
      default:
        throw new UsageError(`${command}: cannot read the arguments`, hint);
    }
  }
}

/** A whole number ≥ `min` from a flag, or undefined when not given. */
export function integer(values, name, min = 0) {
  const raw = values[name];
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min) {
    throw new UsageError(`--${name} must be a whole number from ${min}, got ${quote(raw)}`, `See \`cube --help\`.`);
  }
  return Number(raw);
}

/** Client options (besides target and auth) from the connection flags. */
export function clientOptions(values) {
  const out = {};
  const pairs = [['timeout-ms', 'timeoutMs', 1], ['max-retries', 'maxRetries', 0], ['retry-delay-ms', 'retryDelayMs', 0], ['concurrency', 'concurrency', 1]];
  for (const [flag, option, min] of pairs) {
    const n = integer(values, flag, min);
    if (n !== undefined) out[option] = n;
  }
  return out;
}
