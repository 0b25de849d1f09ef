// Whether a process still runs: how a lock or a temporary file left by a killed run is told
// from one that a live run still holds.

/** True while `pid` runs (also when it belongs to another user). */
export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}
