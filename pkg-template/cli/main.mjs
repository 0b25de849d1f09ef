// The `cube` command line: picks the command, runs it with an abort signal wired to Ctrl-C
// (SIGINT) and SIGTERM, and turns every failure into one line on stderr and an exit code.

import { readFileSync } from 'node:fs';
import { COMMANDS, findCommand } from './endpoints.mjs';
import * as endpointCommand from './endpoint-command.mjs';
import * as syncCommand from './sync-command.mjs';
import * as importSheetCommand from './import-sheet-command.mjs';
import * as sandboxCommand from './sandbox-command.mjs';
import { EXIT, UsageError, describe, redact } from './errors.mjs';
import { mainHelp } from './help.mjs';
import { quote } from './quote.mjs';
import { refuseSecretsInArgv } from './args.mjs';
import { removeTemporaryFiles } from './atomic-file.mjs';
import { Invocation } from './invocation.mjs';

// Client options named in an `invalid_argument`, as the user gave them.
const CLIENT_OPTION_FLAGS = {
  baseUrl: '--base-url or CUBE_BASE_URL',
  account: '--account or CUBE_ACCOUNT',
  domain: '--domain or CUBE_DOMAIN',
  auth: 'the credentials',
  timeoutMs: '--timeout-ms',
  maxRetries: '--max-retries',
  retryDelayMs: '--retry-delay-ms',
  concurrency: '--concurrency',
};

export function version() {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  return manifest.version;
}

function dispatch(name) {
  if (name === 'sync') return (argv, invocation) => syncCommand.run(argv, invocation);
  if (name === 'import-sheet') return (argv, invocation) => importSheetCommand.run(argv, invocation);
  const command = findCommand(name);
  if (command) return (argv, invocation) => endpointCommand.run(command, argv, invocation);
  return null;
}

/** Run the command line; resolves to the exit code. */
export async function main(argv, { env = process.env, stdin = process.stdin } = {}) {
  // A server, not a request to Cube: its own signals, and flags such as --password that
  // name the sandbox's fake users, not a secret.
  if (argv[0] === 'sandbox') return sandboxCommand.run(argv.slice(1));
  const controller = new AbortController();
  const stops = watchStops(controller);
  const invocation = new Invocation({ signal: controller.signal, env, stdin });
  try {
    return await runCommand(argv, invocation);
  } catch (error) {
    if (stops.signalCode() !== null) {
      process.stderr.write(`cube: ${redact(`interrupted. ${invocation.resume ?? 'Run the same command again.'}`)}\n`);
      return stops.signalCode();
    }
    return report(error, invocation);
  } finally {
    stops.detach();
  }
}

/**
 * Ctrl-C (SIGINT), SIGTERM and a closed standard output abort `controller`; a second signal
 * exits at once. `signalCode()`: the exit code of the signal received (null: none).
 */
function watchStops(controller) {
  let signalCode = null;
  const onSignal = (signal) => {
    if (signalCode !== null) {
      // A second Ctrl-C: stop now, still leaving no partial file behind.
      removeTemporaryFiles();
      process.exit(signalCode);
    }
    signalCode = signal === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
    controller.abort();
  };
  const onStdoutError = (e) => {
    // The reader went away (`cube … | head`): stop reading, quietly.
    if (e.code === 'EPIPE') controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.stdout.on('error', onStdoutError);
  return {
    signalCode: () => signalCode,
    detach() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.stdout.off('error', onStdoutError);
    },
  };
}

/** The command `argv` names (or help, or the version), run; resolves to the exit code. */
async function runCommand(argv, invocation) {
  refuseSecretsInArgv(argv);
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(mainHelp(version()));
    return EXIT.ok;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    process.stdout.write(`${version()}\n`);
    return EXIT.ok;
  }
  if (name === undefined) {
    process.stderr.write(mainHelp(version()));
    return EXIT.usage;
  }
  const run = dispatch(name);
  if (!run) {
    // A flag is named without its value (`--x=value` is cut at `=`).
    const shown = name.startsWith('-') ? name.replace(/=.*/s, '') : name;
    throw new UsageError(
      `unknown command ${quote(shown)}`,
      `The commands are ${[...COMMANDS.map((c) => c.name), 'sync', 'import-sheet'].join(', ')}; see \`cube --help\`.`,
    );
  }
  invocation.command = name;
  return await run(rest, invocation);
}

/** A failure as one line on stderr (the flag an `invalid_argument` names, as given); its exit code. */
function report(error, invocation) {
  // The reader of standard output went away (`cube … | head`): done, as far as it cares.
  if (error?.code === 'EPIPE' || (error?.code === 'aborted' && process.stdout.destroyed)) return EXIT.ok;
  const flag = error?.code === 'invalid_argument' && error.param
    ? invocation.flagOfParam?.(error.param) ?? CLIENT_OPTION_FLAGS[error.param]
    : undefined;
  const { code, line } = describe(error, { resume: invocation.resume, command: invocation.command });
  process.stderr.write(`cube: ${redact(flag ? line.replace(/^invalid_argument:/, `invalid_argument (${flag}):`) : line)}\n`);
  return code;
}
