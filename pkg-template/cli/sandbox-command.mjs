// `cube sandbox [flags]` (also `npx cube-integration sandbox`): the Cube sandbox on a port,
// the same core as `createSandbox()` and the native `cube-sandbox`, with the same flags. By
// default it serves the package's demo page at `/` and the package itself under `/pkg/`.
// Its users and passwords are the sandbox's own, so its flags are not refused as secrets.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadSandboxCore } from '../sandbox/node.js';
import { listen } from '../sandbox/serve.js';

const PROGRAM = 'npx cube-integration sandbox';

export function help(wasm) {
  return `${wasm.sandboxHelp(PROGRAM)}
Served by default (when --static-dir / --pkg-dir are not given): the package's demo page at /
and the package under /pkg/. Stop with Ctrl-C.
`;
}

/** Runs until SIGINT/SIGTERM; resolves to the exit code. */
export async function run(argv, { stdout = process.stdout, stderr = process.stderr } = {}) {
  const wasm = loadSandboxCore();
  if (argv.includes('--help') || argv.includes('-h')) {
    stdout.write(help(wasm));
    return 0;
  }
  if (argv.includes('--version') || argv.includes('-V')) {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    stdout.write(`cube-integration sandbox ${manifest.version}\n`);
    return 0;
  }
  // The signals are ours before the banner tells anyone the port: a Ctrl-C right after it
  // still ends with 130, not with Node's default death by signal.
  let onSignal;
  const stopped = new Promise((done) => {
    onSignal = (signal) => done(signal === 'SIGTERM' ? 143 : 130);
  });
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let running;
  try {
    running = await listen(wasm, argv, {
      staticDir: fileURLToPath(new URL('../demo/', import.meta.url)),
      pkgDir: fileURLToPath(new URL('../', import.meta.url)),
    });
  } catch (e) {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    const text = e.code === 'EADDRINUSE' ? `cannot listen: ${e.message}` : e.message;
    stderr.write(`cube sandbox: ${text}\n`);
    return e.code === 'EADDRINUSE' ? 1 : 2;
  }
  stdout.write(running.banner);
  const code = await stopped;
  running.server.closeAllConnections?.();
  await new Promise((done) => running.server.close(done));
  running.core.free();
  return code;
}
