#!/usr/bin/env node
// The `cube` command line of cube-integration (`npx cube-integration --help`, or `cube --help`
// once the package is installed). See the README's "Command line" section.
import { main } from '../cli/main.mjs';

const code = await main(process.argv.slice(2));
process.exitCode = code;
// Nothing should be left running; if something is (a socket kept alive), do not hang a cron job.
setTimeout(() => process.exit(code), 2000).unref();
