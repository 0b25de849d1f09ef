// `cube sync --baseline`: the state of a complete sync, saved with no report. For a first night
// of a million customers, whose "every customer added" report would help nobody: the sync keeps
// no record for a report (pager.sync's { baseline: true }), and stderr gets the counts.
//
// Run by sync-command.mjs once its checks are done and the state file is locked; it keeps the
// same order (sync → state save). Nothing is delivered, so no pending marker is written; a
// marker left by an earlier run is removed once the state is saved (the state then records
// every record read: the next run repeats nothing).

import { EXIT } from './errors.mjs';
import { clearPending, inCommandLineWords, newState, readState } from './state-file.mjs';

/** The output flags a baseline run refuses (it writes no report): their names as typed. */
export function reportFlagsGiven(values, outputOptions) {
  return Object.keys(outputOptions)
    .filter((k) => values[k] !== undefined)
    .map((k) => (k === 'output' ? '-o' : `--${k}`));
}

/** The counts of a sync's changes, as the summary line gives them. */
export function countsText(counts) {
  return (
    `changed ${counts.changed}, added ${counts.added}, removed ${counts.removed}, unchanged ${counts.unchanged}, ` +
    `anonymized ${counts.anonymized} (not matched)${counts.duplicateKeys ? `, duplicated keys ${counts.duplicateKeys}` : ''}`
  );
}

/** The baseline sync, once the state file is locked: exit 0 (nothing is reported as changed). */
export async function baselineLocked({ values, invocation, list, pager, progress, syncOptions, state }) {
  let previous = await readState(state, values.state);
  const rebaseline = previous !== null;
  const next = await newState(state, values.state);
  try {
    const syncing = pager.sync(previous, { ...syncOptions, baseline: true, snapshotTo: next.stream });
    previous = null; // the sync has it: not held twice
    const { changes, records: recordCount, pages } = await syncing;
    await next.commit();
    clearPending(state);
    progress.done(
      `sync ${list.name}: baseline of ${recordCount} records, ${pages} pages; ${countsText(changes.counts)}` +
        `${rebaseline ? ' (against the last state; not reported)' : ' (not reported)'}; state saved to ${values.state}`,
    );
    return EXIT.ok;
  } catch (e) {
    progress.clear();
    await next.discard();
    inCommandLineWords(e);
    // A refused option or state was found before any request: nothing to resume.
    invocation.resume = e?.code === 'invalid_argument' ? undefined : `The state file ${values.state} is unchanged: run the same command again (a sync always starts over).`;
    throw e;
  }
}
