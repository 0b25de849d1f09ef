// A WritableStream that keeps what it is given, for the tests of the sync's streamed outputs
// (snapshot, report, update files): its bytes, its chunks, how many writes, and whether it was
// closed or aborted (and why).

export function collector() {
  const chunks = [];
  const seen = { closed: false, aborted: null, writes: 0 };
  const stream = new WritableStream({
    write: (chunk) => {
      seen.writes += 1;
      chunks.push(Uint8Array.from(chunk));
    },
    close: () => {
      seen.closed = true;
    },
    abort: (reason) => {
      seen.aborted = reason;
    },
  });
  return { stream, chunks, seen, bytes: () => Buffer.concat(chunks) };
}
