// Where the command line sends its requests, and with which credentials.
//
// Target: --base-url / --account (and --domain) flags, else CUBE_BASE_URL / CUBE_ACCOUNT
// (and CUBE_DOMAIN). Credentials: --password-stdin or --token-stdin, else CUBE_TOKEN, else
// CUBE_USERNAME with CUBE_PASSWORD. A password or token is never taken from argv (every user
// of the machine can read a process's argv); the credentials go only to the configured
// origin, and never into a message.

import { UsageError, addSecret } from './errors.mjs';
import { quote } from './quote.mjs';

const nonEmpty = (v) => (typeof v === 'string' && v !== '' ? v : undefined);

/** `{ baseUrl }` or `{ account, domain? }` from flags, else the environment. */
export function target(flags, env) {
  const pick = (baseUrl, account, domain, from) => {
    if (baseUrl && account) {
      throw new UsageError(`${from} give both a base URL and an account`, 'Give one: a base URL (https://ACCOUNT.headshed.com) or an account.');
    }
    if (baseUrl) return { baseUrl };
    if (account) return domain ? { account, domain } : { account };
    return null;
  };
  const chosen =
    pick(nonEmpty(flags['base-url']), nonEmpty(flags.account), nonEmpty(flags.domain), 'the flags') ??
    pick(nonEmpty(env.CUBE_BASE_URL), nonEmpty(env.CUBE_ACCOUNT), nonEmpty(flags.domain) ?? nonEmpty(env.CUBE_DOMAIN), 'CUBE_BASE_URL and CUBE_ACCOUNT');
  if (!chosen) {
    throw new UsageError(
      'no Cube to talk to',
      'Set CUBE_ACCOUNT (https://ACCOUNT.headshed.com) or CUBE_BASE_URL, or pass --account or --base-url.',
    );
  }
  return chosen;
}

async function readStdin(stdin) {
  if (stdin.isTTY) {
    throw new UsageError('--password-stdin / --token-stdin read standard input, which is a terminal', 'Pipe the secret in: `printf %s "$SECRET" | cube … --password-stdin`.');
  }
  const chunks = [];
  for await (const chunk of stdin) chunks.push(chunk);
  // One trailing newline is the end of the line `echo` wrote, not part of the secret.
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** `{ token }` or `{ username, password }`; every secret is registered for redaction. */
export async function credentials(flags, env, stdin = process.stdin) {
  let auth;
  if (flags['password-stdin'] && flags['token-stdin']) {
    throw new UsageError('--password-stdin and --token-stdin both read standard input', 'Use one of them.');
  }
  if (flags['password-stdin']) {
    const username = nonEmpty(flags.username) ?? nonEmpty(env.CUBE_USERNAME);
    if (!username) throw new UsageError('--password-stdin needs a user name', 'Pass --username EMAIL or set CUBE_USERNAME.');
    const password = await readStdin(stdin);
    if (password === '') throw new UsageError('standard input held no password', 'Pipe the password into --password-stdin.');
    auth = { username, password };
  } else if (flags['token-stdin']) {
    const token = (await readStdin(stdin)).trim();
    if (token === '') throw new UsageError('standard input held no token', 'Pipe the token into --token-stdin.');
    auth = { token };
  } else if (nonEmpty(env.CUBE_TOKEN) && !nonEmpty(flags.username)) {
    auth = { token: env.CUBE_TOKEN };
  } else {
    const username = nonEmpty(flags.username) ?? nonEmpty(env.CUBE_USERNAME);
    const password = nonEmpty(env.CUBE_PASSWORD);
    if (username && password) auth = { username, password };
    else if (username) {
      throw new UsageError(`no password for ${quote(username)}`, 'Set CUBE_PASSWORD or pipe it into --password-stdin.');
    } else {
      throw new UsageError(
        'no credentials',
        'Set CUBE_TOKEN, or CUBE_USERNAME and CUBE_PASSWORD, or pass --username with --password-stdin.',
      );
    }
  }
  addSecret(auth.password);
  addSecret(auth.token);
  if (auth.username && auth.password) addSecret(Buffer.from(`${auth.username}:${auth.password}`).toString('base64'));
  return auth;
}
