// The previous snapshot of a streaming sync, read twice over: once from start to end, in
// pieces, into the records module's index; then, as the sync needs them, the byte spans of
// the changed and removed records' values. From bytes (a Uint8Array, an ArrayBuffer, the text
// or 0.1.0's snapshot object) the pieces are views; from a Blob (a File, an OPFS file's
// getFile(), Node's fs.openAsBlob()) each piece and span is read when needed, so the snapshot
// is never held whole.

import { invalid } from './errors.js';
import { snapshotBytes } from './inputs.js';

const PIECE = 4 << 20;

const isBlob = (v) => typeof Blob === 'function' && v instanceof Blob;

function join(parts) {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function bytesSource(bytes) {
  return {
    *pieces() {
      for (let at = 0; at < bytes.length; at += PIECE) yield bytes.subarray(at, at + PIECE);
    },
    async read(spans) {
      const parts = [];
      for (let i = 0; i < spans.length; i += 2) parts.push(bytes.subarray(spans[i], spans[i + 1]));
      return join(parts);
    },
  };
}

// A Blob that stops being readable (its file changed or went away) is named as `previous`.
async function readBlob(blob, start, end) {
  try {
    return new Uint8Array(await blob.slice(start, end).arrayBuffer());
  } catch (e) {
    throw invalid('previous', `sync(): previous could not be read (${e?.name ?? 'Error'}: ${e?.message ?? e}); was its file changed or removed during the sync?`);
  }
}

function blobSource(blob) {
  return {
    async *pieces() {
      for (let at = 0; at < blob.size; at += PIECE) yield await readBlob(blob, at, Math.min(blob.size, at + PIECE));
    },
    async read(spans) {
      const reads = [];
      for (let i = 0; i < spans.length; i += 2) reads.push(readBlob(blob, spans[i], spans[i + 1]));
      return join(await Promise.all(reads));
    },
  };
}

// `null` for no previous snapshot (a first sync).
function previousSource(previous) {
  if (previous === undefined || previous === null) return null;
  if (isBlob(previous)) return blobSource(previous);
  return bytesSource(snapshotBytes(previous));
}

export { previousSource };
