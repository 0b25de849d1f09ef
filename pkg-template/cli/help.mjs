// `--help` texts, made from the same option tables and endpoint table the parser uses.

import { COMMANDS } from './endpoints.mjs';
import { EXIT } from './errors.mjs';

export const SYNC_SUMMARY = 'the changes since the last sync (streaming sync, state file)';
export const IMPORT_SUMMARY = "turn a CRM's CSV export into a sheet for Cube's Excel import";

function optionLines(options) {
  return Object.entries(options)
    .map(([name, o]) => {
      const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}`;
      return `  ${flag.padEnd(24)} ${o.help ?? ''}`;
    })
    .join('\n');
}

/** A command's help: usage, what it does, then its flags by group. */
export function commandHelp({ usage, summary, notes = '', groups }) {
  const sections = groups.filter(([, options]) => Object.keys(options).length > 0).map(([title, options]) => `${title}:\n${optionLines(options)}`);
  return `usage: ${usage}\n\n${summary}\n${notes ? `\n${notes.trim()}\n` : ''}\n${sections.join('\n\n')}\n`;
}

export const EXIT_CODES_TEXT = `exit codes:
  ${EXIT.ok}    success (sync: nothing changed, so no -o file written; or a --baseline run: no report)
  ${EXIT.changes}   sync: something changed (the changes were written)
  ${EXIT.internal}    unexpected error (a bug: please report it)
  ${EXIT.usage}    usage: unknown command or flag, bad value, no credentials (nothing was sent)
  ${EXIT.unauthorized}   unauthorized      (HTTP 401: wrong or revoked credentials)
  ${EXIT.forbidden}   forbidden         (HTTP 403)
  ${EXIT.not_found}   not_found         (HTTP 404)
  ${EXIT.bad_request}   bad_request       (other HTTP 4xx)
  ${EXIT.rate_limited}   rate_limited      (HTTP 429 beyond the retries)   ┐
  ${EXIT.server}   server            (HTTP 5xx beyond the retries)   │ worth trying
  ${EXIT.timeout}   timeout           (no answer in --timeout-ms)     │ again later
  ${EXIT.network}   network           (connection refused, DNS, …)    ┘
  ${EXIT.invalid_response}   invalid_response  (the answer was not what Cube sends)
  ${EXIT.file}   a local file could not be read or written (found before any request when it can be;
       sync --no-clobber: -o exists, nothing written, state unchanged)
  ${EXIT.locked}   sync: another run is using the state file (nothing was sent; try later)
  ${EXIT.out_of_memory}   out_of_memory     (the records module ran out of memory: wasm32 holds 4 GB at most)
  ${EXIT.interrupted}  interrupted (Ctrl-C / SIGINT): nothing written, state unchanged
  ${EXIT.terminated}  terminated (SIGTERM): the same`;

export function mainHelp(version) {
  const width = Math.max(...COMMANDS.map((c) => c.name.length), 'import-sheet'.length) + 2;
  const line = (name, summary) => `  ${name.padEnd(width)} ${summary}`;
  return `cube ${version} — the Cube CRM (Headshed AS) from the command line

usage: cube COMMAND [flags]      cube COMMAND --help      cube --version

commands:
${COMMANDS.map((c) => line(c.name, c.summary)).join('\n')}
${line('sync', SYNC_SUMMARY)}
${line('import-sheet', IMPORT_SUMMARY)}
${line('sandbox', 'the Cube sandbox on a port, for offline development (own flags: cube sandbox --help)')}

target and credentials (from the environment; a password is never a flag):
  CUBE_ACCOUNT or CUBE_BASE_URL       https://ACCOUNT.headshed.com, or the full base URL
  CUBE_TOKEN                          Token auth (recommended by Headshed)
  CUBE_USERNAME + CUBE_PASSWORD       Basic auth; or --username with --password-stdin

output: --format json|ndjson|csv|xlsx, -o FILE (a regular file is replaced whole or not at all,
  keeping its mode; a device or FIFO is written into; symlinks are followed).
  ndjson streams in bounded memory. .xlsx is the format for people: ids and phones stay
  text. CSV guards against formula injection: a cell starting with = + - @ tab or CR is
  written with a leading ' (OWASP); --no-formula-guard writes cells as they are.
  An .xlsx cell holds at most 32,767 characters: a longer one is cut, and a warning line
  on stderr names its row and column (even with --quiet, like errors).

${EXIT_CODES_TEXT}

examples:
  CUBE_ACCOUNT=acme CUBE_TOKEN=… cube whoami
  cube customers --data-owner 12 --crm B2C --format ndjson > customers.ndjson
  cube outcomes --campaign 3 --from 2024-01-01 --to 2024-01-31 -o january.xlsx
  cube sync --data-owner 12 --crm B2C --state crm-12.state -o changes.xlsx
  cube import-sheet crm-export.csv -o cube-import.xlsx
  npx cube-integration sandbox --port 8787 --fault status=503:0.1
`;
}
