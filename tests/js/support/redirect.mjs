// A refused redirect: the one CubeError every runtime gives (Node, Deno, Bun, workerd get the
// 3xx itself; browsers an `opaqueredirect` with status 0). Each runtime's test compares what it
// got with `refusedRedirect` — code, message, url, status and retries, field by field.

/** The route the runtime tests' sandbox redirects (a sandbox `redirect` fault). */
export const REDIRECT_ROUTE = '/api/v1/client_access/';

/** The sandbox fault rule: every call of `clientAccessCampaigns()` gets a 302 to `location`. */
export const redirectRule = (location) => ({ kind: 'redirect', route: REDIRECT_ROUTE, status: 302, location });

/** The same as a `--fault` flag (for sandboxes started with flags). */
export const redirectFlag = (location) => JSON.stringify(redirectRule(location));

/** What `clientAccessCampaigns()` on `baseUrl` must fail with, in every runtime. */
export function refusedRedirect(baseUrl) {
  const url = `${baseUrl}${REDIRECT_ROUTE}campaigns`;
  return {
    isCubeError: true,
    code: 'invalid_response',
    message: `GET ${url} was answered with a redirect, which is never followed (the credentials go only to the configured origin): set baseUrl to the address that answers itself, e.g. https://ACCOUNT.headshed.com, not an old, http:// or proxy address that forwards to it`,
    url,
    status: null,
    retries: 0,
  };
}

/**
 * Source text of `redirectProbe(api, baseUrl)`, pasted into pages, workers and programs of
 * every runtime: what `clientAccessCampaigns()` threw, as plain data.
 */
export const REDIRECT_PROBE_SOURCE = `
async function redirectProbe({ CubeClient, CubeError }, baseUrl) {
  try {
    await new CubeClient({ baseUrl, auth: { token: 'demo-token' }, retryDelayMs: 1 }).clientAccessCampaigns();
    return { thrown: false };
  } catch (e) {
    return { isCubeError: e instanceof CubeError, code: e.code, message: e.message, url: e.url, status: e.status ?? null, retries: e.retries };
  }
}`;
