// Options a call refuses before any request: each case `[options, param]` must reject with a
// CubeError `invalid_argument` naming `param`, and the sandbox must have seen no request of
// the list (`path` containing `listPath`).
import assert from 'node:assert/strict';

export async function assertRefusedBeforeAnyRequest(sb, cases, call, { CubeError, listPath = '/customers', label = JSON.stringify } = {}) {
  await sb.clearRequests();
  for (const [options, param] of cases) {
    await assert.rejects(call(options), (e) => {
      assert.ok(e instanceof CubeError, String(e));
      assert.equal(e.code, 'invalid_argument', e.message);
      assert.equal(e.param, param, e.message);
      return true;
    }, label(options));
  }
  const listed = (await sb.requests()).filter((r) => r.path.includes(listPath));
  assert.deepEqual(listed, [], 'no list request');
}
