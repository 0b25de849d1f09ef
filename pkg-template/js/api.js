// The package's public JavaScript layer, over the wasm-bindgen engine.
//
// It adds what is easier to say in JS than in wasm-bindgen attributes: the `CubeError`
// class, async iterators for `for await`, `Date` parameters, lazy start-up of the web build.
// `createApi` is a pure factory so that every build (web, bundler, workerd, Node ESM and
// CommonJS) makes its API from its own engine. The modules of this folder are plain ESM with
// one `export { … };` line each; the build derives their CommonJS copies (node/*.cjs).
//
//   errors.js   CubeError and the engine's errors
//   exit-codes.js  the `cube` command line's exit codes (EXIT_CODES, exitCodeFor)
//   inputs.js   what JS converts for the engine (dates, signals, JSON, bytes)
//   startup.js  starting a wasm module (failures not kept)
//   records-module.js  the records module's instance (replaced after a trap)
//   pager.js    Pager: for await, pages, toArray, count, sync
//   client.js   CubeClient and its scoped handles
//   helpers.js  the round-trip helpers

import { CubeError, ERROR_CODES } from './errors.js';
import { EXIT_CODES, exitCodeFor } from './exit-codes.js';
import { startOnce } from './startup.js';
import { isCrmType } from './inputs.js';
import { recordsModule } from './records-module.js';
import { Pager } from './pager.js';
import { bindClient } from './client.js';
import { bindHelpers } from './helpers.js';

function createApi(engine, init, loadRecords) {
  // Builds that load their wasm synchronously (Node, bundler) are ready at once; the web and
  // workerd builds instantiate on first use (or on `await ready()`).
  const client = init ? startOnce('cube_integration_bg.wasm', init) : null;
  // The round-trip helpers' module is loaded on first use (a sync-only integration never
  // downloads it), and replaced after a trap.
  const records = recordsModule(loadRecords);
  const rt = {
    engine,
    isReady: () => !client || client.started(),
    whenReady: async () => {
      if (client) await client.run();
    },
    // The records module's instance: `{ module, failure(e), usable() }`.
    records: records.instance,
    // internal, for tests only (never in the types): see records-module.js.
    _testSetAllocationLimit: records.testSetAllocationLimit,
    _testTakePeakBytes: records.testTakePeakBytes,
  };
  const run = async (fn) => {
    const instance = await rt.records();
    try {
      return fn(instance.module);
    } catch (e) {
      throw instance.failure(e);
    }
  };
  return { CubeClient: bindClient(rt), CubeError, Pager, ERROR_CODES, EXIT_CODES, exitCodeFor, ready: rt.whenReady, isCrmType, ...bindHelpers(run) };
}

export { createApi, CubeError, ERROR_CODES };
