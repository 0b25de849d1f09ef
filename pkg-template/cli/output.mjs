// Where results go: standard output, a device or FIFO written through, or a regular file
// written whole or not at all.
//
// `outputTarget` (targets.mjs) decides which before any request; `openOutput` makes the sink
// when there is something to write. A regular file is written to a temporary file beside it
// and renamed over it only when everything was written (`commit`): a failure, an abort or
// Ctrl-C removes the temporary file and leaves whatever was there untouched. A device, FIFO or
// open file (`-o /dev/null`, `-o "$fifo"`, `-o /dev/stdout`) is written into, like a shell's
// `>`: it is opened at the first write, so a FIFO waits for its reader only then, and the wait
// ends on Ctrl-C. Writes wait for the stream to drain, so streaming output runs in bounded
// memory however many records pass.

import { constants, createWriteStream, openSync, statSync } from 'node:fs';
import { once } from 'node:events';
import net from 'node:net';
import { FileError } from './errors.mjs';
import { replacement } from './atomic-file.mjs';

/**
 * Writes into the stream `out` with backpressure. An error of `out` (EPIPE: its reader went
 * away) is kept by one listener for the stream's life and fails the next write or the end;
 * nothing is added per write.
 */
function streamWriter(out) {
  let broken = null;
  out.on('error', (e) => {
    broken ??= e;
  });
  const check = () => {
    if (broken) throw broken;
  };
  return {
    async write(chunk) {
      check();
      if (!out.write(chunk)) await once(out, 'drain');
      check();
    },
    /** Resolves once everything written so far has been handed to the system. */
    async flush() {
      check();
      await new Promise((resolve) => out.write('', resolve));
      check();
    },
    /** Flushes and closes the stream. */
    async end() {
      check();
      await new Promise((resolve, reject) => out.end((e) => (e ? reject(e) : resolve())));
      check();
    },
  };
}

/** Standard output (or another descriptor of this process), with backpressure. */
function streamSink(out) {
  const writer = streamWriter(out);
  return {
    isFile: false,
    file: null,
    isTTY: Boolean(out.isTTY),
    /** Whether any of the output may have reached its reader. */
    delivered: false,
    async write(chunk) {
      this.delivered = true;
      await writer.write(chunk);
    },
    async commit() {
      await writer.flush();
    },
    async discard() {},
  };
}

const READER_POLL_MS = 100;

/**
 * Open the FIFO `name` for writing once it has a reader. A blocking open would hold one of
 * Node's threads until a reader came, and keep the process from exiting on Ctrl-C; a
 * non-blocking open fails with ENXIO while there is no reader, so it is retried until one
 * comes or `signal` aborts. The descriptor is then driven by a socket, which waits for a full
 * pipe to drain without blocking.
 */
async function openFifo(name, signal) {
  for (;;) {
    if (signal?.aborted) throw signal.reason;
    try {
      const fd = openSync(name, constants.O_WRONLY | constants.O_NONBLOCK);
      return new net.Socket({ fd, readable: false, writable: true });
    } catch (e) {
      if (e.code !== 'ENXIO') throw e;
    }
    await new Promise((resolve) => setTimeout(resolve, READER_POLL_MS));
  }
}

/** A writable stream into the device or FIFO `name`. */
async function openThrough(name, signal) {
  if (statSync(name).isFIFO()) return openFifo(name, signal);
  return createWriteStream(null, { fd: openSync(name, 'w') });
}

/** A device or FIFO, written into (nothing to rename, nothing to undo). */
function throughSink(name, shown, signal) {
  let out = null;
  let writer = null;
  const open = async () => {
    out = await openThrough(name, signal);
    writer = streamWriter(out);
  };
  const failed = (e) => new FileError(`cannot write ${shown}: ${e.code ?? e.message}${e.code === 'EPIPE' ? ' (its reader went away)' : ''}`, 'Check the path and its permissions.');
  return {
    isFile: false,
    file: shown,
    isTTY: false,
    delivered: false,
    async write(chunk) {
      try {
        if (!writer) await open();
        this.delivered = true;
        await writer.write(chunk);
      } catch (e) {
        if (signal?.aborted) throw signal.reason;
        throw failed(e);
      }
    },
    async commit() {
      try {
        // Nothing written (an empty answer): still open it, as `>` would, so a FIFO's reader ends.
        if (!writer) await open();
        await writer.end();
      } catch (e) {
        if (signal?.aborted) throw signal.reason;
        throw failed(e);
      }
    },
    async discard() {
      out?.destroy();
    },
  };
}

/** A regular file (or none yet), replaced whole when complete (never replaced: `noClobber`). */
async function fileSink(target, shown, noClobber) {
  let file = null;
  const ensure = async () => {
    file ??= await replacement(target.name, { existing: target.stat, shown, noClobber });
    return file;
  };
  return {
    isFile: true,
    file: shown,
    isTTY: false,
    delivered: false,
    async write(chunk) {
      await (await ensure()).write(chunk);
    },
    async commit() {
      await (await ensure()).commit();
      this.delivered = true;
    },
    async discard() {
      await file?.discard();
    },
  };
}

/**
 * The sink for a target from `outputTarget`; `file` is the name the user gave. `noClobber`: a
 * regular file that exists when the output is complete is kept, and the commit fails (as a
 * shell's `set -o noclobber`, it applies to regular files only).
 */
export async function openOutput(target, file, signal, { noClobber = false } = {}) {
  if (target.mode === 'stdout') return streamSink(process.stdout);
  if (target.mode === 'descriptor') return { ...streamSink(createWriteStream(null, { fd: target.fd, autoClose: false })), file };
  if (target.mode === 'through') return throughSink(target.name, file, signal);
  return fileSink(target, file, noClobber);
}
