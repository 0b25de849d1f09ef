// The client's fault matrix (issue #6): on the CRM routes, 10% 503, 5% 429 with Retry-After:
// 1 s, 2% connection resets, 1% truncated bodies (the first rule that fires wins, so the later
// rates are slightly lower in effect). Run against the native sandbox (node/faults.test.mjs)
// and in-process (sandbox/faults.test.mjs).
export const ROUTE = '/api/v1/data_owners/';

export const matrix = (seed) => ({
  seed,
  rules: [
    { route: ROUTE, kind: 'status', status: 503, rate: 0.1 },
    { route: ROUTE, kind: 'status', status: 429, retryAfter: 1, rate: 0.05 },
    { route: ROUTE, kind: 'reset', rate: 0.02 },
    { route: ROUTE, kind: 'truncate', rate: 0.01 },
  ],
});
