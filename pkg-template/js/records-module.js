// The records module's instance: started on first use, thrown away when it traps. A trap (a
// `WebAssembly.RuntimeError`) leaves the instance's memory and borrows as they were when it
// stopped, so nothing more is asked of it; the caller gets a CubeError (`out_of_memory` when
// an allocation had failed, else `internal`) with the trap as its `cause`, and the next call
// a fresh instance of the same compiled module (the glue's `__wbg_reset_state`). The bundler
// build's glue cannot make one: there the instance is kept.

import { CubeError, toCubeError } from './errors.js';
import { startOnce } from './startup.js';

const isTrap = (e) => typeof WebAssembly === 'object' && e instanceof WebAssembly.RuntimeError;

// The CubeError for a trap of `module`'s instance.
function trapError(module, e) {
  let failed = 0;
  try {
    failed = Number(module.records_allocation_failure());
  } catch {
    // An instance that cannot even answer this: any other fault.
  }
  if (failed > 0) {
    return new CubeError(
      `the records module ran out of memory: an allocation of ${failed} bytes failed (wasm32 holds at most 4 GB). ` +
        'Nothing it was making was returned; the next call starts a fresh instance. ' +
        'Keep less in memory: store fingerprints ({ store: "fingerprints" }), or work on fewer records per call',
      { code: 'out_of_memory', cause: e },
    );
  }
  return new CubeError(
    `the records module stopped on an internal fault (${e.message}): this is a bug in cube-integration, please report it. The next call starts a fresh instance`,
    { code: 'internal', cause: e },
  );
}

// One instance: the module's exports while it has not trapped.
class RecordsInstance {
  #trapped = false;
  #current;

  constructor(module, current) {
    this.module = module;
    this.#current = current;
  }

  // The error a call into this instance threw, as the caller should see it. A trap marks the
  // instance to be replaced. An `out_of_memory` the module returned without trapping (a page
  // body that did not fit) leaves it as it is: its futures and requests are still its own.
  failure(e) {
    if (isTrap(e)) {
      this.#trapped = true;
      return trapError(this.module, e);
    }
    return toCubeError(e);
  }

  get trapped() {
    return this.#trapped;
  }

  // Whether objects made by this instance may still be freed: not after it trapped (a trap
  // leaves them borrowed), nor once another instance replaced it (their pointers would be into
  // the new one).
  usable() {
    return !this.#trapped && this.#current() === this;
  }

  // Whether its objects may still be asked to stop (`cancel()`, which only aborts requests):
  // also just after a trap, so that the requests in flight end in this instance.
  current() {
    return this.#current() === this;
  }
}

// `load` starts the module once and gives its exports; `instance()` gives the instance to use,
// a fresh one when the last trapped.
function recordsModule(load) {
  const start = startOnce('cube_records_bg.wasm', load);
  let instance = null;
  const current = () => instance;
  const get = async () => {
    const module = await start.run();
    if (instance === null) {
      instance = new RecordsInstance(module, current);
    } else if (instance.trapped) {
      if (typeof module.__wbg_reset_state === 'function') module.__wbg_reset_state();
      instance = new RecordsInstance(module, current);
    }
    return instance;
  };
  // internal, for tests only: cap the bytes the instance may have in use (see
  // `__test_set_allocation_limit` in records/wasm/src/traps.rs); resolves to its size now, in bytes.
  const testSetAllocationLimit = async (bytes) => (await get()).module.__test_set_allocation_limit(bytes);
  // internal, for tests only: the most bytes the instance had in use at once since the last
  // call (see `__test_take_peak_bytes`).
  const testTakePeakBytes = async () => (await get()).module.__test_take_peak_bytes();
  return { instance: get, testSetAllocationLimit, testTakePeakBytes };
}

export { recordsModule, isTrap };
