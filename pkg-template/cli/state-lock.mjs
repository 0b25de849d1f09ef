// One run per state file: an exclusive lock, taken before any request and held until the
// state is saved, that a second run meets at once (exit 31) and a crashed run cannot leave
// stuck.
//
// On Linux the lock is a Unix socket in the abstract namespace, named after the state file's
// identity (the device and inode of its real folder, and its name): binding it is atomic, the
// kernel releases it when the process ends however it ends (`kill -9` included), and it leaves
// no file behind. Whoever holds it answers a connection with its PID and start time, which
// the refused run prints. Two names for one state (a symlink, a bind mount, `..`) meet at the
// same lock because the real folder is the same. Elsewhere (macOS, the BSDs) the lock is a file
// `.NAME.lock` beside the state, created exclusively, holding the PID; a lock whose process is
// gone is taken over.

import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { LockError } from './errors.mjs';
import { isAlive } from './processes.mjs';

const ANSWER_WAIT_MS = 2500;

function holderText(info) {
  if (!info || !Number.isInteger(info.pid)) return 'another run';
  const since = typeof info.since === 'string' ? `, running since ${info.since.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}` : '';
  return `another cube (PID ${info.pid}${since})`;
}

function refused(shown, info) {
  return new LockError(
    `the state file ${shown} is in use by ${holderText(info)}`,
    'Two syncs must not share a state: wait for that run to finish (a run that was killed releases the lock at once), then run this again.',
  );
}

function me() {
  return { pid: process.pid, since: new Date().toISOString() };
}

/** The abstract socket name of the lock on `name` (a state file's real path). */
function lockAddress(name) {
  const folder = statSync(path.dirname(name));
  const identity = `${folder.dev}:${folder.ino}/${path.basename(name)}`;
  return `\0cube-integration/state-lock/${createHash('sha256').update(identity).digest('hex').slice(0, 40)}`;
}

/** What the holder of `address` says about itself, or null if it does not answer in time. */
function askHolder(address) {
  return new Promise((resolve) => {
    let text = '';
    const socket = net.connect(address);
    const done = (value) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => done(null), ANSWER_WAIT_MS);
    socket.setEncoding('utf8');
    socket.on('data', (d) => {
      text += d;
      if (text.length > 1000) done(null);
    });
    socket.on('end', () => {
      try {
        done(JSON.parse(text));
      } catch {
        done(null);
      }
    });
    socket.on('error', () => done(null));
  });
}

async function socketLock(name, shown) {
  const address = lockAddress(name);
  const info = JSON.stringify(me());
  const server = net.createServer((client) => {
    client.on('error', () => {});
    client.end(info);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(address, resolve);
  }).catch(async (e) => {
    if (e.code === 'EADDRINUSE') throw refused(shown, await askHolder(address));
    throw e;
  });
  server.unref();
  return { release: () => server.close() };
}

function fileLock(name, shown) {
  const lock = path.join(path.dirname(name), `.${path.basename(name)}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lock, 'wx', 0o600);
      writeSync(fd, JSON.stringify(me()));
      closeSync(fd);
      return { release: () => unlinkSync(lock) };
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    let holder = null;
    try {
      holder = JSON.parse(readFileSync(lock, 'utf8'));
    } catch {
      // being written, or damaged: treated as held
    }
    if (!holder || isAlive(holder.pid)) throw refused(shown, holder);
    try {
      unlinkSync(lock);
    } catch {
      // another run took it over first
    }
  }
  throw refused(shown, null);
}

/**
 * Lock the state file `name` (its real path; `shown` is the name the user gave) for this run:
 * resolves to `{ release() }`, or rejects with a LockError naming the holder.
 */
export async function lockState(name, shown, { platform = process.platform } = {}) {
  return platform === 'linux' ? socketLock(name, shown) : fileLock(name, shown);
}
