// Replacing a regular file whole or not at all: a temporary file beside it (mode 0600 while it
// is written, so no other user can read a half-written copy), fsync, then the mode and owner
// the file should have, rename over it, fsync of the folder.
//
// * The mode: an existing file keeps its mode (and, when root runs this, its owner and group);
//   a new file gets the mode asked for (0666 less the umask for outputs, as a shell's `>`
//   gives; 0600 for state files, which hold personal data).
// * Temporary files are named `.NAME.PID.RANDOM.tmp`. Every exit path removes this process's
//   own; `removeLeftovers` removes those of runs that were killed (their PID is gone).

import { closeSync, fsyncSync, openSync, readdirSync, lstatSync, unlinkSync } from 'node:fs';
import { link, lstat, open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { FileError } from './errors.mjs';
import { isAlive } from './processes.mjs';

const pending = new Set();

/** Remove every temporary file this process has not committed (on a forced exit). */
export function removeTemporaryFiles() {
  for (const file of pending) {
    try {
      unlinkSync(file);
    } catch {
      // already gone
    }
  }
  pending.clear();
}

function temporaryName(name) {
  const random = Math.random().toString(36).slice(2, 8).padEnd(6, '0');
  return path.join(path.dirname(name), `.${path.basename(name)}.${process.pid}.${random}.tmp`);
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Remove the temporary files a killed run left beside `name` (`.NAME.PID.RANDOM.tmp` whose
 * process is gone); returns how many. Never touches a live run's file, a link or a folder.
 */
export function removeLeftovers(name) {
  const folder = path.dirname(name);
  const pattern = new RegExp(`^\\.${escapeRegExp(path.basename(name))}\\.(\\d+)\\.[a-z0-9]{6}\\.tmp$`);
  let removed = 0;
  let entries;
  try {
    entries = readdirSync(folder);
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const m = pattern.exec(entry);
    if (!m || Number(m[1]) === process.pid || isAlive(Number(m[1]))) continue;
    const file = path.join(folder, entry);
    try {
      if (!lstatSync(file).isFile()) continue;
      unlinkSync(file);
      removed += 1;
    } catch {
      // gone already, or not ours to remove
    }
  }
  return removed;
}

function fileError(what, shown, e) {
  return new FileError(`cannot ${what} ${shown}: ${e.code ?? e.message}`, 'Check the path and its permissions.');
}

/** The mode a new file gets: `mode` less this process's umask. */
function lessUmask(mode) {
  const mask = process.umask();
  return mode & ~mask;
}

/** Link `tmp` as `name` only if `name` does not exist (atomically where hard links work). */
async function linkIfAbsent(tmp, name) {
  try {
    await link(tmp, name);
  } catch (e) {
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'].includes(e.code)) throw e;
    // A file system without hard links: checked, then renamed (a small window, not atomic).
    const there = await lstat(name).then(() => true, (x) => (x.code === 'ENOENT' ? false : Promise.reject(x)));
    if (there) throw Object.assign(new Error('file exists'), { code: 'EEXIST' });
    await rename(tmp, name);
    return;
  }
  await unlink(tmp).catch(() => {});
}

/**
 * A file being written in place of `name` (a regular file, or none yet): `write(chunk)`,
 * then `commit()` (rename into place) or `discard()`. `existing` is `name`'s stat or null;
 * `newMode` the mode of a new file before the umask (outputs 0o666) or after (`exact`).
 * `noClobber`: `commit()` never replaces a file that exists by then; it fails with a
 * FileError whose `kept` is true, and the temporary file is removed.
 */
export async function replacement(name, { existing = null, newMode = 0o666, exact = false, shown = name, noClobber = false } = {}) {
  const tmp = temporaryName(name);
  let handle;
  try {
    handle = await open(tmp, 'wx', 0o600);
  } catch (e) {
    throw fileError('write', shown, e);
  }
  pending.add(tmp);
  let finished = false;
  const discard = async () => {
    if (finished) return;
    finished = true;
    await handle.close().catch(() => {});
    await unlink(tmp).catch(() => {});
    pending.delete(tmp);
  };
  return {
    async write(chunk) {
      try {
        await handle.write(chunk);
      } catch (e) {
        throw fileError('write', shown, e);
      }
    },
    async commit() {
      try {
        const mode = existing ? existing.mode & 0o7777 : exact ? newMode : lessUmask(newMode);
        await handle.chmod(mode);
        if (existing && process.getuid?.() === 0) {
          await handle.chown(existing.uid, existing.gid);
        }
        await handle.sync();
        await handle.close();
        if (noClobber) await linkIfAbsent(tmp, name);
        else await rename(tmp, name);
        finished = true;
        pending.delete(tmp);
      } catch (e) {
        await discard();
        if (noClobber && e.code === 'EEXIST') {
          throw Object.assign(new FileError(`${shown} exists, and --no-clobber keeps it`, 'Name another file.'), { kept: true });
        }
        throw fileError('write', shown, e);
      }
      syncFolder(name);
    },
    discard,
  };
}

/** Make a rename in `name`'s folder durable (best effort: not every file system allows it). */
function syncFolder(name) {
  try {
    const fd = openSync(path.dirname(name), 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // a folder that cannot be opened or synced: the rename is still atomic
  }
}

/** Replace `name` with `bytes` whole or not at all (see `replacement`). */
export async function writeFileAtomically(name, bytes, options = {}) {
  const file = await replacement(name, options);
  await file.write(bytes);
  await file.commit();
}
