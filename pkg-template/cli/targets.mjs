// What a file named on the command line is, found before any request is made.
//
// A name the user gives is theirs: it may be a symlink, a device, a FIFO or a folder. Every
// symlink is followed to the name it finally points at (the last one may dangle: then that
// name is created), so a file is replaced where it really lives and the link stays a link.
// Devices, FIFOs and the open files under /dev/fd and /proc/*/fd are written through, as a
// shell's `>` does; a folder or a socket is refused. Each check runs before the first request,
// so a mistake costs nothing.

import { accessSync, constants, fstatSync, lstatSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { FileError, UsageError } from './errors.mjs';
import { quotePath } from './quote.mjs';

const MAX_LINKS = 40;

/** Names of open files: written into, never replaced. */
const OPEN_FILE = /^\/(dev\/fd|proc\/(self|thread-self|\d+)\/fd)\/(\d+)$/;

/** The descriptor `name` names in this process (/dev/fd/N, /proc/self/fd/N), or null. */
function ownDescriptor(name) {
  const m = OPEN_FILE.exec(name);
  if (!m) return null;
  const owner = m[2];
  return m[1] === 'dev/fd' || owner === 'self' || owner === 'thread-self' || Number(owner) === process.pid ? Number(m[3]) : null;
}

function fileError(message, hint = 'Check the path and its permissions.') {
  return new FileError(message, hint);
}

/** `name` with its folder resolved to a real path (every symlink in the folders followed). */
function inRealFolder(name, shown) {
  const folder = path.dirname(name);
  let real;
  try {
    real = realpathSync(folder);
  } catch (e) {
    throw fileError(`the folder of ${shown} (${folder}) ${e.code === 'ENOENT' ? 'does not exist' : `cannot be read: ${e.code}`}`, 'Create the folder first, or fix the path.');
  }
  return path.join(real, path.basename(name));
}

/**
 * The name `file` finally stands for: every symlink followed; `link` says whether one was.
 * An open-file name (/dev/stdout, /proc/self/fd/1, …) stops the walk: it names an open file.
 */
export function followLinks(file, shown = file) {
  let current = inRealFolder(path.resolve(file), shown);
  let link = false;
  for (let hops = 0; hops <= MAX_LINKS; hops++) {
    if (OPEN_FILE.test(current)) return { name: current, link, open: true };
    let st;
    try {
      st = lstatSync(current);
    } catch (e) {
      if (e.code === 'ENOENT') return { name: current, link, open: false };
      throw fileError(`cannot read ${shown}: ${e.code}`);
    }
    if (!st.isSymbolicLink()) return { name: current, link, open: false };
    link = true;
    const next = path.resolve(path.dirname(current), readlinkSync(current));
    current = inRealFolder(next, shown);
  }
  throw fileError(`${shown} is a loop of symlinks`, 'Fix the link.');
}

function kindOf(st) {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'folder';
  if (st.isFIFO()) return 'FIFO';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'device';
  if (st.isSocket()) return 'socket';
  return 'special file';
}

/** `{ kind, stat }` of what `name` points at now (`kind` 'missing' if nothing). */
function inspect(name, shown) {
  try {
    const stat = statSync(name);
    return { kind: kindOf(stat), stat };
  } catch (e) {
    if (e.code === 'ENOENT') return { kind: 'missing', stat: null };
    throw fileError(`cannot read ${shown}: ${e.code}`);
  }
}

function canWrite(name, shown, what = shown) {
  try {
    accessSync(name, constants.W_OK);
  } catch (e) {
    throw fileError(`cannot write ${what}: ${e.code}`);
  }
}

function canWriteFolderOf(name, shown) {
  const folder = path.dirname(name);
  try {
    accessSync(folder, constants.W_OK | constants.X_OK);
  } catch (e) {
    throw fileError(`cannot create files in the folder of ${shown} (${folder}): ${e.code}`, 'Pick a folder this user may write, or fix its permissions.');
  }
}

/**
 * Where `-o FILE` writes, checked: `{ mode: 'stdout' }`, `{ mode: 'descriptor', fd }` (one of
 * this process's open files, /dev/stdout or /proc/self/fd/3: written into as it is, whatever
 * it is — a pipe, a socket, a file opened for appending), `{ mode: 'through', name }` (a
 * device or FIFO: written into) or `{ mode: 'replace', name, stat }` (a regular file, or none
 * yet: a temporary file beside `name`, renamed over it when complete).
 */
export function outputTarget(file, flag = '-o') {
  if (file === undefined || file === '-') return { mode: 'stdout' };
  if (file === '') throw new UsageError(`${flag} needs a file name`, `Give ${flag} FILE, or ${flag} - for standard output.`);
  const shown = `${flag} ${quotePath(file)}`;
  const { name, open } = followLinks(file, shown);
  const fd = open ? ownDescriptor(name) : null;
  if (fd === 1) return { mode: 'stdout' };
  if (fd !== null) {
    try {
      fstatSync(fd);
    } catch (e) {
      throw fileError(`${shown} names descriptor ${fd}, which is not open: ${e.code}`, 'Open it in the shell that starts cube (e.g. 3>file), or name a file.');
    }
    return { mode: 'descriptor', fd };
  }
  const { kind, stat } = inspect(name, shown);
  if (open || kind === 'FIFO' || kind === 'device') {
    if (kind === 'missing') throw fileError(`${shown} names an open file that does not exist`);
    canWrite(name, shown);
    return { mode: 'through', name };
  }
  if (kind === 'folder') throw fileError(`${shown} is a folder`, `Name a file in it, e.g. ${flag} ${path.join(file, 'changes.xlsx')}.`);
  if (kind !== 'file' && kind !== 'missing') throw fileError(`${shown} is a ${kind}`, 'Name a regular file, a device or a FIFO.');
  if (kind === 'file') canWrite(name, shown);
  canWriteFolderOf(name, shown);
  return { mode: 'replace', name, stat };
}

/**
 * The state file of `sync`, checked: `{ name, stat }` where `name` is the real file (the
 * link's target when `--state` is a symlink) and `stat` is null before the first sync. It
 * must be a regular file: a FIFO would block the read, a device would not keep the state.
 */
export function stateTarget(file) {
  if (file === '') throw new UsageError('--state needs a file name', 'Give --state FILE (created by the first sync).');
  const shown = `--state ${quotePath(file)}`;
  const { name, open } = followLinks(file, shown);
  const { kind, stat } = inspect(name, shown);
  if (open || (kind !== 'file' && kind !== 'missing')) {
    throw fileError(`${shown} is a ${open ? 'descriptor of an open file' : kind}: the state must be a regular file`, 'Give the path of a file (created by the first sync).');
  }
  if (kind === 'file') {
    try {
      accessSync(name, constants.R_OK | constants.W_OK);
    } catch (e) {
      throw fileError(`cannot read and write ${shown}: ${e.code}`);
    }
  }
  canWriteFolderOf(name, shown);
  return { name, stat };
}
