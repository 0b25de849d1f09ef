// The `cube` command line, as installed from the packed package, against a sandbox over
// HTTP: help and version, every endpoint command, the four formats read back, the CSV
// formula guard and its opt-out, credentials from the environment and stdin, typed usage
// errors before any request, one exit code per CubeError code, and no secret in any output.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CubeClient, EXIT_CODES, exitCodeFor } from '../../../pkg/node/index.mjs';
import { startSandbox } from '../support/sandbox.mjs';
import { parseCsv, readXlsx } from '../support/demo.mjs';
import { installCli, runCli, tempDir, cleanup, transcripts, baseEnv } from './run.mjs';

// Credentials that appear nowhere else, so a leak is unmistakable.
const USER = 'ola.nordmann@example.no';
const PASSWORD = 'Hemmelig-blåbær-7731';
const TOKEN = 'tok-Sekret-9f3a1c77';
const CUSTOMERS = 1200;
const crmFlags = ['--data-owner', '1', '--crm', 'B2C'];

let sb;
let bin;
let work;
let reference; // customer ids of the library's own read, in order
let info;

const token = () => ({ CUBE_BASE_URL: sb.url, CUBE_TOKEN: TOKEN });
const basic = () => ({ CUBE_BASE_URL: sb.url, CUBE_USERNAME: USER, CUBE_PASSWORD: PASSWORD });
const cube = (args, options = {}) => runCli(bin, args, { env: token(), ...options });
const apiRequests = async () => (await sb.requests()).length;
const file = (name) => path.join(work, name);
const lines = (buffer) => buffer.toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));

before(async () => {
  [sb, { bin }] = await Promise.all([
    startSandbox(['--customers', String(CUSTOMERS), '--page-size', '250', '--today', '2026-06-30', '--username', USER, '--password', PASSWORD, '--token', TOKEN]),
    installCli(),
  ]);
  work = tempDir('cli-commands');
  info = await sb.info();
  const client = new CubeClient({ baseUrl: sb.url, auth: { token: TOKEN } });
  reference = (await client.customers({ dataOwnerId: 1, crmType: 'B2C' }).toArray()).map((c) => c.crm__customer_id);
}, { timeout: 120_000 });
after(() => {
  sb?.stop();
  cleanup();
});

test('--version, --help and every command\'s --help; the commands come from the endpoint table', { timeout: 60_000 }, async () => {
  const pkg = JSON.parse(readFileSync(path.join(path.dirname(bin), '../cube-integration/package.json'), 'utf8'));
  const version = await cube(['--version']);
  assert.equal(version.code, 0);
  assert.equal(version.stdout.toString().trim(), pkg.version);
  const help = await cube(['--help']);
  assert.equal(help.code, 0);
  const text = help.stdout.toString();
  const commands = ['whoami', 'campaigns', 'client-access-campaigns', 'customers', 'customer', 'custom-fields', 'callflow-customers',
    'outcomes', 'products', 'legacy-customers', 'legacy-responses', 'legacy-create-customer', 'sync', 'import-sheet'];
  for (const c of commands) assert.match(text, new RegExp(`^  ${c} `, 'm'), `${c} is listed`);
  for (const code of ['0', '2', '10', '20', '25', '30', '130']) assert.match(text, new RegExp(`^  ${code} `, 'm'), `exit code ${code} documented`);
  assert.match(text, /formula injection/);
  assert.match(text, /\.xlsx is the format for people/);
  for (const c of commands) {
    const r = await cube([c, '--help']);
    assert.equal(r.code, 0, `${c} --help`);
    assert.match(r.stdout.toString(), new RegExp(`^usage: cube ${c}`), c);
  }
  const outcomes = (await cube(['outcomes', '--help'])).stdout.toString();
  for (const flag of ['--campaign', '--data-owner', '--crm', '--from', '--to', '--page', '--limit', '--format', '--output']) assert.ok(outcomes.includes(flag), flag);
  // The alias of a command is its method's kebab-case name.
  assert.equal((await cube(['call-outcomes', '--help'])).code, 0);
  const none = await cube([]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /usage: cube COMMAND/);
});

test('whoami with a token, with Basic from the environment, and with --password-stdin', { timeout: 30_000 }, async () => {
  const withToken = await cube(['whoami']);
  assert.equal(withToken.code, 0, withToken.stderr);
  assert.equal(JSON.parse(withToken.stdout).username, USER);
  const withBasic = await runCli(bin, ['whoami'], { env: basic() });
  assert.equal(withBasic.code, 0, withBasic.stderr);
  assert.equal(JSON.parse(withBasic.stdout).username, USER);
  // Which credentials reached the server, run by run (the log cleared before each, so the
  // Basic run above cannot answer for the stdin runs).
  const authorizations = async () => (await sb.requests()).map((r) => r.headers.authorization);
  await sb.clearRequests();
  const fromStdin = await runCli(bin, ['whoami', '--username', USER, '--password-stdin', '--base-url', sb.url], { env: {}, input: `${PASSWORD}\n` });
  assert.equal(fromStdin.code, 0, fromStdin.stderr);
  assert.equal(JSON.parse(fromStdin.stdout).email, USER);
  assert.deepEqual(await authorizations(), [`Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`], 'the --password-stdin run sent the password it read as Basic');
  await sb.clearRequests();
  const tokenStdin = await runCli(bin, ['whoami', '--token-stdin', '--base-url', sb.url], { env: {}, input: TOKEN });
  assert.equal(tokenStdin.code, 0, tokenStdin.stderr);
  assert.deepEqual(await authorizations(), [`Token ${TOKEN}`], 'the --token-stdin run sent the token it read');
});

test('usage errors are one line, exit 2, and send nothing', { timeout: 60_000 }, async () => {
  await sb.clearRequests();
  const cases = [
    [['nope'], {}, /unknown command "nope"/],
    [['customers', '--bogus', '1', ...crmFlags], {}, /unknown option "--bogus"/],
    [['customers', '--data-owner', '1', '--crm', 'B2X'], {}, /invalid_argument \(--crm\).*B2X/],
    [['customers', '--data-owner', '1'], {}, /invalid_argument \(--crm\)/],
    [['outcomes', '--campaign', '101', '--from', '2026-06-01'], {}, /invalid_argument \(--to\).*both/],
    [['outcomes', '--campaign', '101', '--from', '2026-13-01', '--to', '2026-06-30'], {}, /invalid_argument \(--from\)/],
    [['customers', ...crmFlags, '--format', 'xml'], {}, /unknown format "xml"/],
    [['customers', ...crmFlags, '--concurrency', 'lots'], {}, /--concurrency must be a whole number/],
    [['customers', ...crmFlags, '--page', '0'], {}, /--page must be a whole number from 1/],
    [['whoami'], { env: {} }, /no Cube to talk to.*CUBE_ACCOUNT/],
    [['whoami'], { env: { CUBE_BASE_URL: 'http://127.0.0.1:1' } }, /no credentials.*CUBE_TOKEN/],
    [['whoami'], { env: { CUBE_BASE_URL: 'http://example.com', CUBE_TOKEN: TOKEN } }, /invalid_argument \(--base-url or CUBE_BASE_URL\).*https/i],
    [['whoami'], { env: { CUBE_BASE_URL: `https://u:${PASSWORD}@acme.headshed.com`, CUBE_TOKEN: TOKEN } }, /credentials in the URL are refused/],
    [['whoami', '--password', PASSWORD], {}, /never put a password on the command line.*CUBE_PASSWORD/],
    [['whoami', `--password=${PASSWORD}`], {}, /never put a password on the command line/],
    [['whoami', '--token', TOKEN], {}, /never put a token on the command line.*CUBE_TOKEN/],
    [['customer', ...crmFlags], {}, /customerId is required/],
    [['legacy-create-customer'], {}, /needs --data FILE/],
  ];
  for (const [args, options, message] of cases) {
    const r = await cube(args, options);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout.length, 0, args.join(' '));
    const out = r.stderr.trimEnd().split('\n');
    assert.equal(out.length, 1, `one line: ${r.stderr}`);
    assert.match(out[0], /^cube: /);
    assert.match(out[0], message, args.join(' '));
  }
  assert.equal(await apiRequests(), 0, 'no request reached the server');
});

test('usage errors never show a URL\'s query, fragment or user-info, nor a 100 KB value whole', { timeout: 120_000 }, async () => {
  await sb.clearRequests();
  const IN_URL = 'qtok-Sekret-5e6f7a8b';
  const huge = 'x'.repeat(100_000);
  const x80 = 'x{80}…" \\(100,000 characters\\)';
  const cases = [
    [['whoami', '--base-url', `https://acme.headshed.com/?token=${IN_URL}`], {},
      /invalid_argument \(--base-url or CUBE_BASE_URL\): baseUrl "https:\/\/acme\.headshed\.com\/\?…" is not usable/],
    [['whoami'], { env: { CUBE_BASE_URL: `https://u:${IN_URL}@acme.headshed.com/x#${IN_URL}`, CUBE_TOKEN: TOKEN } },
      /baseUrl "https:\/\/…@acme\.headshed\.com\/x#…" is not usable/],
    [['customers', '--data-owner', huge, '--crm', 'B2C'], {}, new RegExp(`invalid_argument \\(--data-owner\\): customers\\(\\): dataOwnerId must be a positive integer id, got "${x80}`)],
    [['whoami', '--base-url', `https://acme.headshed.com/${huge}?q=1`], {}, /baseUrl "https:\/\/acme\.headshed\.com\/x+…" \(100,028 characters\)/],
    [['whoami', '--account', huge], { env: { CUBE_TOKEN: TOKEN } }, new RegExp(`account "${x80} is not a Cube account name`)],
    [['whoami', '--username', huge], { env: { CUBE_BASE_URL: sb.url } }, new RegExp(`no password for "${x80}`)],
    [[huge], {}, new RegExp(`unknown command "${x80}`)],
    [[`--${huge}=1`], {}, /unknown command "--x{78}…" \(100,002 characters\)/],
    [['customers', ...crmFlags, `--${huge}`], {}, /unknown option "--x{78}…" \(100,002 characters\)/],
    [['customers', ...crmFlags, '--format', huge], {}, new RegExp(`unknown format "${x80}`)],
    [['customers', ...crmFlags, '--format', 'csv', '--delimiter', huge], {}, new RegExp(`unknown delimiter "${x80}`)],
    [['customers', ...crmFlags, '--concurrency', huge], {}, new RegExp(`--concurrency must be a whole number from 1, got "${x80}`)],
    [['sync', '--list', huge], {}, new RegExp(`--list "${x80} is not a list`)],
  ];
  for (const [args, options, message] of cases) {
    const r = await cube(args, options);
    const what = args.join(' ').slice(0, 100);
    assert.equal(r.code, 2, `${what}: ${r.stderr.slice(0, 500)}`);
    assert.equal(r.stdout.length, 0, what);
    const out = r.stderr.trimEnd().split('\n');
    assert.equal(out.length, 1, `one line: ${r.stderr.slice(0, 500)}`);
    assert.ok(out[0].length < 400, `${what}: a line of ${out[0].length} characters: ${out[0].slice(0, 500)}`);
    assert.match(out[0], message, what);
    assert.ok(!r.stderr.includes(IN_URL), `${what}: the URL's secret shows: ${r.stderr.replaceAll(IN_URL, '[it]')}`);
  }
  assert.equal(await apiRequests(), 0, 'no request reached the server');
});

test('customers as ndjson on stdout: every record once, in order', { timeout: 60_000 }, async () => {
  const r = await cube(['customers', ...crmFlags, '--format', 'ndjson', '--concurrency', '3']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(lines(r.stdout).map((c) => c.crm__customer_id), reference);
  // A limit, and a start page (resume).
  const limited = await cube(['customers', ...crmFlags, '--format', 'ndjson', '--limit', '300']);
  assert.equal(lines(limited.stdout).length, 300);
  const resumed = await cube(['customers', ...crmFlags, '--format', 'ndjson', '--page', '3']);
  assert.deepEqual(lines(resumed.stdout).map((c) => c.crm__customer_id), reference.slice(500));
});

test('a reader that stops early (`cube … | head`) ends the run quietly, exit 0', { timeout: 30_000 }, async () => {
  const child = spawn(bin, ['customers', ...crmFlags, '--format', 'ndjson', '--concurrency', '1', '-q'], { env: baseEnv(token()), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.once('data', () => child.stdout.destroy());
  const code = await new Promise((resolve) => child.on('close', resolve));
  assert.equal(code, 0, stderr);
  assert.equal(stderr, '');
});

test('-o FILE: json, ndjson, csv and xlsx read back; the format follows the extension', { timeout: 60_000 }, async () => {
  for (const name of ['all.json', 'all.ndjson', 'all.csv', 'all.xlsx']) {
    const r = await cube(['customers', ...crmFlags, '-o', file(name)]);
    assert.equal(r.code, 0, `${name}: ${r.stderr}`);
    assert.equal(r.stdout.length, 0, 'nothing on stdout');
    assert.match(r.stderr, new RegExp(`customers: ${CUSTOMERS} records, 5 pages → .*${name}`));
  }
  assert.deepEqual(JSON.parse(readFileSync(file('all.json'), 'utf8')).map((c) => c.crm__customer_id), reference);
  assert.deepEqual(lines(readFileSync(file('all.ndjson'))).map((c) => c.crm__customer_id), reference);
  const csv = parseCsv(readFileSync(file('all.csv'), 'utf8'));
  assert.equal(csv[0][0], 'crm__customer_id');
  assert.deepEqual(csv.slice(1).map((row) => row[0]), reference);
  const { rows } = await readXlsx(readFileSync(file('all.xlsx')));
  assert.equal(rows.length, CUSTOMERS + 1);
  const padded = rows.slice(1).filter((row) => /^0\d{5}$/.test(row[0].value));
  assert.ok(padded.length > 0);
  for (const row of padded) assert.equal(row[0].type, 'inlineStr', 'ids are text cells');
  assert.deepEqual(rows.slice(1).map((row) => row[0].value), reference);
  // Phones as people type them: kept as text in .xlsx, guarded in CSV.
  const phoneColumn = csv[0].indexOf('crm__standard_info__phone_1');
  const plus = csv.slice(1).map((row) => row[phoneColumn]).filter((p) => p.startsWith("'+"));
  assert.ok(plus.length > 0, 'a +47 phone is written with a leading quote in CSV');
  const xlsxPhones = rows.slice(1).map((row) => row[phoneColumn]?.value ?? '');
  assert.ok(xlsxPhones.some((p) => p.startsWith('+47')), '.xlsx keeps "+47…" exactly');
  // Binary output to a terminal is refused only for a terminal; a pipe gets the bytes.
  const piped = await cube(['campaigns', '--format', 'xlsx']);
  assert.equal(piped.code, 0);
  assert.equal(piped.stdout.subarray(0, 2).toString(), 'PK');
});

test('CSV formula guard (OWASP) by default, --no-formula-guard to opt out; .xlsx keeps the text', { timeout: 60_000 }, async () => {
  // Campaign 102 is B2B: the B2C list the other tests compare with stays as it was.
  const customer = { customer_id: 'FX-1', assignment_id: 102, name: '=1+1', phone_1: '+4791234567', email: '@evil', city: '-2+3' };
  const created = await cube(['legacy-create-customer', '--data', '-'], { input: JSON.stringify(customer) });
  assert.equal(created.code, 0, created.stderr);
  assert.equal(JSON.parse(created.stdout).customer_id, 'FX-1');
  const one = ['customer', '--data-owner', '1', '--crm', 'B2B', '--id', 'FX-1'];
  const guarded = await cube([...one, '--format', 'csv']);
  assert.equal(guarded.code, 0, guarded.stderr);
  const [header, row] = parseCsv(guarded.stdout.toString());
  const cell = (field) => row[header.indexOf(field)];
  assert.equal(cell('crm__customer_id'), 'FX-1');
  assert.equal(cell('crm__standard_info__name'), "'=1+1");
  assert.equal(cell('crm__standard_info__phone_1'), "'+4791234567");
  assert.equal(cell('crm__standard_info__email'), "'@evil");
  const raw = await cube([...one, '--format', 'csv', '--no-formula-guard', '--delimiter', ';', '--bom']);
  assert.deepEqual([...raw.stdout.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const [h2, r2] = parseCsv(raw.stdout.subarray(3).toString(), ';');
  assert.equal(r2[h2.indexOf('crm__standard_info__name')], '=1+1');
  assert.equal(r2[h2.indexOf('crm__standard_info__phone_1')], '+4791234567');
  const xlsx = await cube([...one, '-o', file('one.xlsx')]);
  assert.equal(xlsx.code, 0, xlsx.stderr);
  const { rows, xml } = await readXlsx(readFileSync(file('one.xlsx')));
  assert.doesNotMatch(xml, /<f>/, 'no formula in the sheet');
  assert.equal(rows[1][rows[0].findIndex((c) => c.value === 'crm__standard_info__name')].value, '=1+1');
});

test('an export or a sync report to .xlsx cuts a cell over 32,767 characters with a warning line naming it, even with --quiet', { timeout: 60_000 }, async () => {
  // Campaign 102 is B2B: the B2C list the other tests compare with stays as it was.
  const customer = { customer_id: 'LONG-1', assignment_id: 102, name: 'Lang', city: 'c'.repeat(40_000) };
  const created = await cube(['legacy-create-customer', '--data', '-'], { input: JSON.stringify(customer) });
  assert.equal(created.code, 0, created.stderr);
  const r = await cube(['customer', '--data-owner', '1', '--crm', 'B2B', '--id', 'LONG-1', '-o', file('long.xlsx'), '--quiet']);
  assert.equal(r.code, 0, r.stderr);
  const { rows } = await readXlsx(readFileSync(file('long.xlsx')));
  const at = rows[1].findIndex((c) => c.value === 'c'.repeat(32_767));
  assert.ok(at >= 0 && at < 26, 'the city is cut to 32,767 characters');
  const letter = String.fromCharCode(65 + at);
  assert.equal(r.stderr, `cube: warning: row 2, column ${letter} (${rows[0][at].value}): 40,000 characters cut to 32,767 (the most an .xlsx cell holds)\n`);
  // The changes report of a sync too: the long name of an added customer (column C, Name).
  const named = { customer_id: 'LONG-2', assignment_id: 102, name: 'n'.repeat(40_000) };
  assert.equal((await cube(['legacy-create-customer', '--data', '-'], { input: JSON.stringify(named) })).code, 0);
  const sync = await cube(['sync', '--data-owner', '1', '--crm', 'B2B', '--state', file('long.state'), '-o', file('long-changes.xlsx'), '--quiet']);
  assert.equal(sync.code, 10, sync.stderr);
  const report = (await readXlsx(readFileSync(file('long-changes.xlsx')))).rows;
  const row = report.findIndex((cells) => cells[1]?.value === 'LONG-2');
  assert.equal(report[row][2].value, 'n'.repeat(32_767));
  assert.equal(sync.stderr, `cube: warning: row ${row + 1}, column C (Name): 40,000 characters cut to 32,767 (the most an .xlsx cell holds)\n`);
});

test('every endpoint command answers', { timeout: 90_000 }, async () => {
  const campaign = String(info.campaigns.find((c) => c.id === 101)?.id ?? info.campaigns[0].id);
  const dates = ['--from', '2026-06-01', '--to', '2026-06-30'];
  const runs = [
    [['campaigns'], 'array'],
    [['client-access-campaigns'], 'array'],
    [['custom-fields', ...crmFlags], 'array'],
    [['customer', ...crmFlags, '--id', reference[0]], 'object'],
    [['callflow-customers', '--campaign', campaign, '--call-state', 'Ready'], 'array'],
    [['callflow-customers', ...crmFlags, '--limit', '10'], 'array'],
    [['outcomes', '--campaign', campaign, ...dates], 'array'],
    [['outcomes', ...crmFlags, ...dates], 'array'],
    [['outcomes', ...dates], 'array'],
    [['products', '--campaign', campaign, ...dates], 'array'],
    [['products', ...crmFlags, ...dates], 'array'],
    [['legacy-customers', '--assignment', campaign], 'array'],
    [['legacy-responses', '--campaign', campaign, '--from', '2026-06-01'], 'array'],
  ];
  for (const [args, shape] of runs) {
    const r = await cube([...args, '--quiet']);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr, '', '--quiet: nothing on stderr');
    const value = JSON.parse(r.stdout);
    assert.equal(Array.isArray(value), shape === 'array', args.join(' '));
    if (shape === 'array') assert.ok(value.length > 0, `${args.join(' ')} gave records`);
  }
  const callState = JSON.parse((await cube(['callflow-customers', '--campaign', campaign, '--call-state', 'Ready', '-q'])).stdout);
  assert.ok(callState.every((c) => c.callflow__callstate__name === 'Ready'));
});

test('an exit code for each CubeError code: the one exitCodeFor gives the library\'s error for the same request', { timeout: 90_000 }, async () => {
  const route = '/api/v1/campaigns';
  const fault = (rule) => sb.faults({ rules: [{ route, times: 20, ...rule }] });
  const fast = ['--max-retries', '0'];
  // The library's client for the same target and credentials as the command line's run.
  const client = (options = {}, env = {}) => new CubeClient({
    baseUrl: env.CUBE_BASE_URL ?? sb.url,
    auth: env.CUBE_USERNAME ? { username: env.CUBE_USERNAME, password: env.CUBE_PASSWORD } : { token: env.CUBE_TOKEN ?? TOKEN },
    ...options,
  });
  const campaigns = (options) => (env) => client(options, env).campaigns();
  const cases = [
    ['unauthorized', 20, () => null, ['campaigns'], { env: { CUBE_BASE_URL: sb.url, CUBE_TOKEN: 'not-the-token' } }, campaigns()],
    ['forbidden', 21, () => null, ['campaigns'], { env: { CUBE_BASE_URL: sb.url, CUBE_USERNAME: 'partner@example.com', CUBE_PASSWORD: 'partner' } }, campaigns()],
    ['not_found', 22, () => null, ['customer', ...crmFlags, '--id', 'no-such-customer'], {}, (env) => client({}, env).customer({ dataOwnerId: 1, crmType: 'B2C', customerId: 'no-such-customer' })],
    ['bad_request', 23, () => fault({ kind: 'status', status: 400 }), ['campaigns'], {}, campaigns()],
    ['rate_limited', 24, () => fault({ kind: 'status', status: 429, retryAfter: 1 }), ['campaigns', ...fast], {}, campaigns({ maxRetries: 0 })],
    ['server', 25, () => fault({ kind: 'status', status: 503 }), ['campaigns', ...fast], {}, campaigns({ maxRetries: 0 })],
    ['timeout', 26, () => fault({ kind: 'delay', latencyMs: 3000 }), ['campaigns', ...fast, '--timeout-ms', '300'], {}, campaigns({ maxRetries: 0, timeoutMs: 300 })],
    ['network', 27, () => null, ['campaigns', ...fast], { env: { CUBE_BASE_URL: 'http://127.0.0.1:1', CUBE_TOKEN: TOKEN } }, campaigns({ maxRetries: 0 })],
    ['invalid_response', 28, () => fault({ kind: 'html' }), ['campaigns', ...fast], {}, campaigns({ maxRetries: 0 })],
    ['invalid_argument', 2, () => null, ['customers', '--data-owner', '1', '--crm', 'B2X'], {}, async (env) => client({}, env).customers({ dataOwnerId: 1, crmType: 'B2X' }).toArray()],
  ];
  for (const [code, exit, setup, args, options, library] of cases) {
    await setup();
    const failure = await library(options.env ?? {}).then(() => assert.fail(`${code}: the library's call succeeded`), (e) => e);
    await sb.clearFaults();
    assert.equal(failure.code, code, `the library's error: ${failure.message}`);
    assert.equal(exitCodeFor(failure), exit, `exitCodeFor(${code})`);
    assert.equal(exit, EXIT_CODES[code === 'invalid_argument' ? 'usage' : code]);
    await setup();
    const r = await cube(args, options);
    await sb.clearFaults();
    assert.equal(r.code, exit, `${code}: ${r.stderr}`);
    assert.equal(r.stdout.length, 0);
    const out = r.stderr.trimEnd().split('\n');
    assert.equal(out.length, 1, `one line: ${r.stderr}`);
    assert.match(out[0], new RegExp(`^cube: ${code}(?: \\(--[a-z-]+\\))?: .+ What to do: .+`), code);
  }
  // A failed list read written to stdout says where to resume.
  await sb.faults({ rules: [{ route: '/api/v1/data_owners/', kind: 'status', status: 500, skip: 2 }] });
  const partial = await cube(['customers', ...crmFlags, '--format', 'ndjson', '--concurrency', '1', ...fast]);
  await sb.clearFaults();
  assert.equal(partial.code, 25);
  assert.match(partial.stderr, /Pages 1–2 were written; to continue, run the same command with --page 3\./);
  assert.equal(lines(partial.stdout).length, 500);
  const rest = await cube(['customers', ...crmFlags, '--format', 'ndjson', '--page', '3']);
  assert.deepEqual([...lines(partial.stdout), ...lines(rest.stdout)].map((c) => c.crm__customer_id), reference);
});

test('-o FILE is written whole or not at all: a failed read leaves the old file and no temporary file', { timeout: 60_000 }, async () => {
  const target = file('kept.ndjson');
  writeFileSync(target, 'the previous export\n');
  await sb.faults({ rules: [{ route: '/api/v1/data_owners/', kind: 'status', status: 500, skip: 2 }] });
  const r = await cube(['customers', ...crmFlags, '-o', target, '--max-retries', '0', '--concurrency', '1']);
  await sb.clearFaults();
  assert.equal(r.code, 25);
  assert.match(r.stderr, /Nothing was written to .*kept\.ndjson: run the same command again\./);
  assert.equal(readFileSync(target, 'utf8'), 'the previous export\n');
  assert.deepEqual(readdirSync(work).filter((f) => f.endsWith('.tmp')), []);
  const missing = await cube(['customers', ...crmFlags, '-o', path.join(work, 'no/such/dir/x.ndjson')]);
  assert.equal(missing.code, 30);
  assert.match(missing.stderr, /the folder of -o ".*x\.ndjson" \(.*no\/such\/dir\) does not exist/);
  assert.ok(!existsSync(path.join(work, 'no')));
});

test('no output of any run carries the password, the token or the Basic header', () => {
  assert.ok(transcripts.length > 40, `${transcripts.length} runs checked`);
  const basicHeader = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
  for (const { args, stdout, stderr } of transcripts) {
    for (const secret of [PASSWORD, TOKEN, basicHeader, 'not-the-token']) {
      assert.ok(!stdout.includes(secret), `stdout of ${args.join(' ')}`);
      assert.ok(!stderr.includes(secret), `stderr of ${args.join(' ')}: ${stderr}`);
    }
  }
});
