// Where results go: standard output, or a file written whole or not at all.
//
// A file is written to a temporary file next to it and renamed over it only when everything
// was written (`commit`); a failure, an abort or Ctrl-C removes the temporary file and leaves
// whatever was there before untouched. Writes wait for the stream to drain, so streaming
// output runs in bounded memory however many records pass.

import { closeSync, openSync, renameSync, unlinkSync, writeSync, fsyncSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { FileError } from './errors.mjs';
import { quote } from './quote.mjs';

const pending = new Set();

/** Remove every temporary file not yet committed (on a forced exit). */
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

function temporaryName(file) {
  const dir = path.dirname(file);
  const base = path.basename(file);
  return path.join(dir, `.${base}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`);
}

function fileError(what, file, e) {
  return new FileError(`cannot ${what} ${quote(file)}: ${e.code ?? e.message}`, 'Check the path and its permissions.');
}

/** Replace `file` with `bytes` atomically (temporary file, fsync, rename). */
export function writeFileAtomically(file, bytes) {
  const tmp = temporaryName(file);
  pending.add(tmp);
  try {
    const fd = openSync(tmp, 'w', 0o644);
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // never created
    }
    throw fileError('write', file, e);
  } finally {
    pending.delete(tmp);
  }
}

/** A file output: `write` chunks, then `commit` (rename into place) or `discard`. */
async function fileSink(file) {
  const tmp = temporaryName(file);
  let handle;
  try {
    handle = await open(tmp, 'w', 0o644);
  } catch (e) {
    throw fileError('write', file, e);
  }
  pending.add(tmp);
  let done = false;
  return {
    isFile: true,
    file,
    async write(chunk) {
      try {
        await handle.write(chunk);
      } catch (e) {
        throw fileError('write', file, e);
      }
    },
    async commit() {
      try {
        await handle.sync();
        await handle.close();
        await rename(tmp, file);
      } catch (e) {
        throw fileError('write', file, e);
      } finally {
        done = true;
        pending.delete(tmp);
      }
    },
    async discard() {
      if (done) return;
      done = true;
      await handle.close().catch(() => {});
      await unlink(tmp).catch(() => {});
      pending.delete(tmp);
    },
  };
}

/** Standard output, with backpressure. */
function stdoutSink() {
  const out = process.stdout;
  return {
    isFile: false,
    file: null,
    isTTY: Boolean(out.isTTY),
    async write(chunk) {
      if (!out.write(chunk)) await once(out, 'drain');
    },
    async commit() {},
    async discard() {},
  };
}

/** The sink for `-o FILE` (`-` or none: standard output). */
export async function openOutput(file) {
  return file === undefined || file === '-' ? stdoutSink() : fileSink(file);
}
