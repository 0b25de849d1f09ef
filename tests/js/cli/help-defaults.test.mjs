// Every default a command's --help states, against what the command does. The flag lines of
// every `cube COMMAND --help` are read, and each one that says "default" must be in CLAIMS
// below with the value it states; each claim is then checked by running the installed
// `cube` against the sandbox: leaving the flag out gives the same output as giving the stated
// default (or the observed value is it). The client options' defaults are the engine's (the
// command line passes nothing when a flag is left out): those are read from the Rust source
// and index.d.ts, and retries and concurrency are observed too.
//
// `cube sandbox --help` is left out: clap writes its "[default: …]" from the flag table itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, startSandbox, DEMO } from '../support/sandbox.mjs';
import { readXlsx } from '../support/demo.mjs';
import { installCli, runCli, tempDir, cleanup, writeSandboxPreload } from './run.mjs';

const ENDPOINTS = ['whoami', 'campaigns', 'client-access-campaigns', 'customers', 'customer', 'custom-fields', 'callflow-customers',
  'outcomes', 'products', 'legacy-customers', 'legacy-responses', 'legacy-create-customer'];
const COMMANDS = [...ENDPOINTS, 'sync', 'import-sheet'];
const TALKING = [...ENDPOINTS, 'sync']; // the commands with connection and -o/--format flags
const crm = ['--data-owner', '1', '--crm', 'B2C'];

/**
 * Each default a help states: the commands whose help says it, the flag, the words that say
 * it (the value captured) and the value.
 */
const CLAIMS = [
  { commands: TALKING, flag: 'output', says: /\(default, or -: (standard output)\)/, value: 'standard output' },
  { commands: ['import-sheet'], flag: 'output', says: /; default (standard output)$/, value: 'standard output' },
  { commands: TALKING, flag: 'format', says: /\(default: (from the -o extension, else json)\)/, value: 'from the -o extension, else json' },
  { commands: ['import-sheet'], flag: 'format', says: /^FMT {4}(xlsx) \(default\) or csv \(from the -o extension when not given\)$/, value: 'xlsx' },
  { commands: TALKING, flag: 'delimiter', says: /"(,)" \(default\)/, value: ',' },
  { commands: ['import-sheet'], flag: 'delimiter', says: /\(default: (detected)\)/, value: 'detected' },
  { commands: TALKING, flag: 'no-formula-guard', says: /\(default: (prefixed with ')\)/, value: "prefixed with '" },
  { commands: ENDPOINTS, flag: 'sheet-name', says: /\(default (\S+)\)$/, value: 'Sheet1' },
  { commands: ['sync'], flag: 'sheet-name', says: /\(default (\S+)\)$/, value: 'Changes' },
  { commands: ['import-sheet'], flag: 'sheet-name', says: /\(default (\S+)\)$/, value: 'Customers' },
  { commands: TALKING, flag: 'domain', says: /(\S+) \(default\)/, value: 'headshed.com' },
  { commands: TALKING, flag: 'timeout-ms', says: /\(default (\d+)\)$/, value: '30000' },
  { commands: TALKING, flag: 'max-retries', says: /\(default (\d+)\)$/, value: '4' },
  { commands: TALKING, flag: 'retry-delay-ms', says: /\(default (\d+)\)$/, value: '300' },
  { commands: TALKING, flag: 'concurrency', says: /\(default (\d+)\)$/, value: '6' },
  { commands: ['sync'], flag: 'list', says: /\(default (\S+)\)$/, value: 'customers' },
  { commands: ['sync'], flag: 'key', says: /\(default (\w+)(?:; customer_id for the legacy lists)?\)$/, value: 'crm__customer_id' },
  { commands: ['sync'], flag: 'store', says: /^WHAT {3}(\w+) \(default: field-level changes\)/, value: 'values' },
  { commands: ['sync'], flag: 'created', says: /\(default: beside --updates, (NAME-created\.EXT)\)$/, value: 'NAME-created.EXT' },
  { commands: ['sync'], flag: 'removed', says: /\(default: beside --updates, (NAME-removed\.EXT)\)$/, value: 'NAME-removed.EXT' },
];

let sb;
let bin;
let work;
const env = () => ({ CUBE_BASE_URL: sb.url, CUBE_TOKEN: DEMO.token });
const cube = (args, options = {}) => runCli(bin, args, { env: env(), ...options });
const file = (name) => path.join(work, name);
const apiRequests = async () => (await sb.requests()).filter((r) => r.path.startsWith('/api/'));

/** A run that must succeed: its stdout. */
async function ok(args, options) {
  const r = await cube(args, options);
  assert.equal(r.code, 0, `cube ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

before(async () => {
  [sb, { bin }] = await Promise.all([startSandbox(['--customers', '1500', '--page-size', '125']), installCli()]);
  work = tempDir('cli-defaults');
}, { timeout: 120_000 });
after(() => {
  sb?.stop();
  cleanup();
});

/** The flag lines of a help: [{ flag, text }] (the text after the flag's name). */
function flagLines(help) {
  return [...help.matchAll(/^ {2}(?:-\w, | {4})--([a-z-]+) +(.*)$/gm)].map((m) => ({ flag: m[1], text: m[2] }));
}

test('every default a --help states is a claim checked here, with the value the command uses', { timeout: 60_000 }, async () => {
  const used = new Set();
  const unknown = [];
  for (const command of COMMANDS) {
    const help = (await ok([command, '--help'])).toString();
    for (const { flag, text } of flagLines(help)) {
      if (!/default/i.test(text)) continue;
      const claim = CLAIMS.find((c) => c.flag === flag && c.commands.includes(command));
      if (!claim) {
        unknown.push(`${command} --${flag}: ${text}`);
        continue;
      }
      used.add(claim);
      const m = claim.says.exec(text);
      assert.ok(m, `${command} --${flag} says its default as ${claim.says}: ${text}`);
      assert.equal(m[1], claim.value, `${command} --${flag}: ${text}`);
    }
    // A claim for this command that its help no longer makes is stale.
    for (const claim of CLAIMS.filter((c) => c.commands.includes(command))) {
      assert.ok(flagLines(help).some((l) => l.flag === claim.flag && /default/i.test(l.text)), `${command} --help states the default of --${claim.flag}`);
    }
  }
  assert.deepEqual(unknown, [], 'defaults stated in a --help with no claim (add one to CLAIMS, with a check)');
  assert.equal(used.size, CLAIMS.length);
});

test('--sheet-name: Sheet1 for an export, Changes for sync, Customers for import-sheet', { timeout: 60_000 }, async () => {
  const sheetOf = async (name) => /<sheet name="([^"]*)"/.exec((await readXlsx(readFileSync(file(name)))).workbook)[1];
  await ok(['customers', ...crm, '--limit', '3', '-o', file('export.xlsx'), '-q']);
  assert.equal(await sheetOf('export.xlsx'), 'Sheet1');
  const r = await cube(['sync', ...crm, '--state', file('sheet.state'), '-o', file('changes.xlsx'), '-q']);
  assert.equal(r.code, 10, r.stderr);
  assert.equal(await sheetOf('changes.xlsx'), 'Changes');
  writeFileSync(file('crm.csv'), 'id;phone\n007;+4791234567\n');
  await ok(['import-sheet', file('crm.csv'), '-o', file('import.xlsx'), '-q']);
  assert.equal(await sheetOf('import.xlsx'), 'Customers');
});

test('-o, --format, --delimiter: left out, the same bytes as the stated default', { timeout: 60_000 }, async () => {
  const campaigns = await ok(['campaigns', '-q']);
  assert.ok(JSON.parse(campaigns).length > 0, 'json on standard output');
  assert.deepEqual(await ok(['campaigns', '-o', '-', '--format', 'json', '-q']), campaigns);
  // The -o extension decides, else json.
  await ok(['campaigns', '-o', file('campaigns.csv'), '-q']);
  assert.deepEqual(readFileSync(file('campaigns.csv')), await ok(['campaigns', '--format', 'csv', '--delimiter', ',', '-q']));
  assert.deepEqual(await ok(['campaigns', '--format', 'csv', '-q']), readFileSync(file('campaigns.csv')));
  // import-sheet: xlsx on standard output; the input's delimiter detected.
  writeFileSync(file('semicolons.csv'), 'id;name;phone\n007;Åse;+4791234567\n008;Per, Ola;\n');
  const sheet = await ok(['import-sheet', file('semicolons.csv'), '-q']);
  assert.deepEqual([...sheet.subarray(0, 2)], [0x50, 0x4b], 'an .xlsx (a zip)');
  assert.deepEqual(await ok(['import-sheet', file('semicolons.csv'), '-o', '-', '--format', 'xlsx', '--delimiter', ';', '-q']), sheet);
  await ok(['import-sheet', file('semicolons.csv'), '-o', file('import.csv'), '-q']);
  assert.deepEqual(readFileSync(file('import.csv')), await ok(['import-sheet', file('semicolons.csv'), '--format', 'csv', '--delimiter', ';', '-q']));
});

test('--no-formula-guard left out: a cell starting with = + - @ is written with a leading \'', { timeout: 60_000 }, async () => {
  const customer = { customer_id: 'DF-1', assignment_id: 102, name: '=1+1', phone_1: '+4791234567' };
  await ok(['legacy-create-customer', '--data', '-', '-q'], { input: JSON.stringify(customer) });
  const csv = (await ok(['customer', '--data-owner', '1', '--crm', 'B2B', '--id', 'DF-1', '--format', 'csv', '-q'])).toString();
  assert.match(csv, /,'=1\+1,'\+4791234567,/);
  assert.doesNotMatch((await ok(['customer', '--data-owner', '1', '--crm', 'B2B', '--id', 'DF-1', '--format', 'csv', '--no-formula-guard', '-q'])).toString(), /'=/);
});

test('sync --list, --key, --store left out: the same report and the same state as customers, crm__customer_id, values', { timeout: 90_000 }, async () => {
  const plain = await cube(['sync', ...crm, '--state', file('plain.state'), '--format', 'json']);
  assert.equal(plain.code, 10, plain.stderr);
  assert.match(plain.stderr, /^sync customers: /m);
  const given = await cube(['sync', ...crm, '--state', file('given.state'), '--format', 'json', '--list', 'customers', '--key', 'crm__customer_id', '--store', 'values', '-q']);
  assert.equal(given.code, 10, given.stderr);
  assert.deepEqual(plain.stdout, given.stdout);
  assert.deepEqual(readFileSync(file('plain.state')), readFileSync(file('given.state')));
  // …and not what another key or store gives.
  assert.equal((await cube(['sync', ...crm, '--state', file('fingerprints.state'), '--store', 'fingerprints', '-q'])).code, 10);
  assert.notDeepEqual(readFileSync(file('fingerprints.state')), readFileSync(file('plain.state')));
});

test('--domain left out: headshed.com', { timeout: 60_000 }, async () => {
  // Only https://acme.headshed.com reaches the sandbox (a preload maps it); any other host fails.
  const preload = writeSandboxPreload(work, sb.url);
  const options = { env: { NODE_OPTIONS: `--import ${preload}`, CUBE_TOKEN: DEMO.token } };
  const me = await ok(['whoami', '--account', 'acme', '-q'], options);
  assert.equal(JSON.parse(me).username, DEMO.username);
  assert.deepEqual(await ok(['whoami', '--account', 'acme', '--domain', 'headshed.com', '-q'], options), me);
});

test('--max-retries and --concurrency left out: 4 retries and 6 pages in flight, as when given', { timeout: 90_000 }, async () => {
  const attempts = async (flags) => {
    await sb.faults({ rules: [{ route: '/api/v1/campaigns', kind: 'status', status: 503 }] });
    await sb.clearRequests();
    const r = await cube(['campaigns', '--retry-delay-ms', '1', '-q', ...flags]);
    await sb.clearFaults();
    assert.equal(r.code, 25, r.stderr);
    return (await apiRequests()).length;
  };
  assert.equal(await attempts([]), 5, 'the first attempt and 4 retries');
  assert.equal(await attempts(['--max-retries', '4']), 5);
  // Slow pages, so that every page the client allows is in flight at once.
  const inFlight = async (flags) => {
    await sb.faults({ latencyMs: 150, rules: [] });
    await sb.clearRequests();
    await ok(['customers', ...crm, '-o', '/dev/null', '-q', ...flags]);
    await sb.clearFaults();
    return Math.max(...(await apiRequests()).map((r) => r.inFlight));
  };
  assert.equal(await inFlight([]), 6);
  assert.equal(await inFlight(['--concurrency', '6']), 6);
});

test('--timeout-ms, --max-retries, --retry-delay-ms, --concurrency: the engine\'s defaults (the Rust source and index.d.ts)', () => {
  const source = (rel) => readFileSync(path.join(ROOT, rel), 'utf8');
  const rust = (rel, field) => Number(new RegExp(`^\\s+${field}: ([\\d_]+),$`, 'm').exec(source(rel))[1].replaceAll('_', ''));
  const dts = source('pkg-template/index.d.ts');
  // The doc comment just above `  option?:` in index.d.ts says "Default N.".
  const documented = (option) => {
    const before = dts.slice(0, dts.indexOf(`\n  ${option}?:`));
    const comment = before.slice(before.lastIndexOf('/**'));
    return Number(/Default (\d+)\./.exec(comment)?.[1]);
  };
  const engine = {
    'timeout-ms': [rust('src/config/limits.rs', 'timeout_ms'), 'timeoutMs'],
    concurrency: [rust('src/config/limits.rs', 'concurrency'), 'concurrency'],
    'max-retries': [rust('src/retry/mod.rs', 'max_retries'), 'maxRetries'],
    'retry-delay-ms': [rust('src/retry/mod.rs', 'base_delay_ms'), 'retryDelayMs'],
  };
  for (const [flag, [value, option]] of Object.entries(engine)) {
    assert.equal(String(value), CLAIMS.find((c) => c.flag === flag).value, `--${flag}: the engine's default`);
    assert.equal(documented(option), value, `index.d.ts documents ${option}'s default`);
  }
  // The command line passes a client option only when its flag is given.
  assert.match(source('pkg-template/cli/args.mjs'), /const n = integer\(values, flag, min\);\n\s+if \(n !== undefined\) out\[option\] = n;/);
});

test('sync --created, --removed left out: the files beside --updates, NAME-created.EXT and NAME-removed.EXT', { timeout: 90_000 }, async () => {
  const crm = ['--data-owner', '1', '--crm', 'B2C'];
  const run = async (name, extra) => {
    await sb.reset();
    const state = file(`${name}.state`);
    await ok(['sync', ...crm, '--state', state, '--baseline', '-q']);
    await sb.edits({ count: 3, dataOwnerId: 1, crmType: 'B2C', seed: 5 });
    const sheet = 'Customer ID,Name\nNEW-1,Åse Ødegård\n';
    await fetch(`${sb.url}/_sandbox/import?dataOwnerId=1&crmType=B2C`, { method: 'POST', body: sheet });
    const r = await cube(['sync', ...crm, '--state', state, '--mapping', 'salesforce', '--updates', file(`${name}.csv`), ...extra]);
    assert.equal(r.code, 10, r.stderr);
  };
  await run('implicit', []);
  await run('explicit', ['--created', file('explicit-created.csv'), '--removed', file('explicit-removed.csv')]);
  const created = readFileSync(file('implicit-created.csv'));
  assert.ok(created.toString('utf8').includes('NEW-1'), 'the added customer');
  assert.ok(created.equals(readFileSync(file('explicit-created.csv'))));
  assert.ok(readFileSync(file('implicit.csv')).equals(readFileSync(file('explicit.csv'))));
  // No customer removed: neither run writes a removed file.
  assert.equal(existsSync(file('implicit-removed.csv')), existsSync(file('explicit-removed.csv')));
});
