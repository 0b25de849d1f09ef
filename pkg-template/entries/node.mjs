// Node.js ESM `import`: the same instance as `require`, so `instanceof CubeError` holds
// whichever way a program loads the package.
import api from './index.cjs';

export const {
  CubeClient, CubeError, Pager, ERROR_CODES, EXIT_CODES, exitCodeFor, ready, isCrmType,
  diff, sync, changedSince, labelRecords, unlabelRecords, customerViews, toCsv, toXlsx, importSheet, readCsv,
  changeRows, changeSheet, updateFile, mappingPreset,
} = api;
