// The state file of `cube sync`: read (a regular file only), replaced whole (mode 0600 when new,
// the existing mode otherwise) by a temporary file the sync streams the new snapshot into, and
// the marker that tells the next run it may repeat changes.
//
// A sync writes the changes first and the state after. A run stopped between the two (a
// crash, `kill -9`, a full disk) has delivered changes that its state does not record, so the
// next run reports them again: at least once, never lost. The marker `.NAME.pending` beside
// the state is written just before the changes and removed once the state is saved; a run
// that finds it says that its changes may repeat those of the run it names.

import * as fs from 'node:fs';
import { closeSync, constants, fstatSync, openSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { FileError } from './errors.mjs';
import { replacement, writeFileAtomically } from './atomic-file.mjs';
import { quotePath } from './quote.mjs';

const PRIVATE = 0o600;

/** The previous state (a Blob of the file where Node has fs.openAsBlob, else its bytes), or null before the first sync (`target` from stateTarget). */
export async function readState(target, shown) {
  if (!target.stat) return null;
  let fd;
  try {
    // O_NONBLOCK: if the name became a FIFO since it was checked, this does not wait for a writer.
    fd = openSync(target.name, constants.O_RDONLY | constants.O_NONBLOCK);
    if (!fstatSync(fd).isFile()) throw new FileError(`the state file ${shown} is no longer a regular file`, 'Give the path of a regular file.');
    // A Blob of the file (Node 19.8+): the sync reads it in pieces and by span, never whole.
    // The state is locked for the run, so nothing changes it meanwhile.
    if (typeof fs.openAsBlob === 'function') return await fs.openAsBlob(target.name);
    return readFileSync(fd);
  } catch (e) {
    if (e instanceof FileError) throw e;
    if (e.code === 'ENOENT') return null;
    throw new FileError(`cannot read the state file ${shown}: ${e.code ?? e.message}`, 'Check the path and its permissions.');
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The new state, written as the sync reads its pages and put in place by `commit()` (the
 * existing file's mode and owner kept; 0600 when new), or dropped by `discard()`. `stream` is
 * the WritableStream the sync writes the snapshot to (`pager.sync`'s `snapshotTo`): closing it
 * only ends the writing, so that the state is replaced after the changes are delivered.
 */
export async function newState(target, shown) {
  let existing = null;
  try {
    existing = statSync(target.name);
  } catch {
    // the first sync: a new file
  }
  const file = await replacement(target.name, { existing, newMode: PRIVATE, exact: true, shown: `the state file ${shown}` });
  const stream = new WritableStream({ write: (chunk) => file.write(chunk) });
  return { stream, commit: () => file.commit(), discard: () => file.discard() };
}

function markerName(target) {
  return path.join(path.dirname(target.name), `.${path.basename(target.name)}.pending`);
}

/** What the last run left in its marker (`{ at, output }`), or null if it finished cleanly. */
export function readPending(target) {
  try {
    const marker = JSON.parse(readFileSync(markerName(target), 'utf8'));
    return typeof marker === 'object' && marker ? marker : {};
  } catch (e) {
    return e.code === 'ENOENT' ? null : {};
  }
}

/** Note that changes are about to be delivered to `output` before the state is saved. */
export async function markPending(target, output) {
  const marker = JSON.stringify({ at: new Date().toISOString(), output });
  await writeFileAtomically(markerName(target), `${marker}\n`, { newMode: PRIVATE, exact: true });
}

/** The state is saved: the next run repeats nothing. */
export function clearPending(target) {
  try {
    unlinkSync(markerName(target));
  } catch {
    // never written, or gone
  }
}

/**
 * A refused state (`param: 'previous'`) in the command line's words: the package's message
 * names its option, the command line has a flag for it.
 */
export function inCommandLineWords(error) {
  if (error?.param === 'previous') {
    error.message = error.message.replace('pass { allowOtherOrigin: true }; else pass null to start over', 'add --allow-other-origin; else start over with another --state file');
  }
  return error;
}

/** The warning a run prints when the last one stopped between the changes and the state. */
export function pendingWarning(marker, shown) {
  const at = typeof marker.at === 'string' ? ` of ${marker.at.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}` : '';
  const to = marker.output === 'standard output' ? ' to standard output' : typeof marker.output === 'string' ? ` to ${quotePath(marker.output)}` : '';
  return `warning: the run${at} delivered its changes${to} but stopped before saving the state ${shown}: the changes this run reports may repeat some of those.`;
}
