// What a test file needs that may be missing on this machine: the built pkg/web, the sandbox
// binary, Chromium. Locally a missing piece skips the tests that need it (with the reason);
// with CI=true it is an error, never a skip: CI must run every test. `cargo xtask test` also
// fails when anything was skipped, unless --allow-skips (or CUBE_ALLOW_SKIPS=1).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT, PKG } from './sandbox.mjs';
import { executablePath } from './browser.mjs';

/** Whether this run is CI's (CI=true, as CI services set it, or CI=1). */
export function onCi() {
  return ['true', '1'].includes(String(process.env.CI ?? '').toLowerCase());
}

/** The reasons the needs are not met here (empty when they are). */
export function missing({ webDir = null, chromium = false, sandbox = true } = {}) {
  const reasons = [];
  if (webDir && !existsSync(path.join(webDir, 'web/index.js'))) {
    reasons.push(`${path.relative(ROOT, webDir) || webDir}/web is not built (cargo xtask build)`);
  }
  const bin = process.env.CUBE_SANDBOX_BIN ?? path.join(ROOT, 'target/debug/cube-sandbox');
  if (sandbox && !existsSync(bin)) reasons.push(`no sandbox binary at ${bin} (cargo build -p cube-sandbox)`);
  if (chromium && !existsSync(executablePath())) reasons.push(`no Chromium at ${executablePath()} (apt-get install chromium)`);
  return reasons;
}

/**
 * `false` when the needs are met, else the reason to skip (a test's `skip` option). On CI it
 * throws instead, so the test file fails.
 */
export function skipUnless({ web = false, webDir = web ? PKG : null, chromium = false, sandbox = true } = {}) {
  const reasons = missing({ webDir, chromium, sandbox });
  if (reasons.length === 0) return false;
  const reason = reasons.join('; ');
  if (onCi()) throw new Error(`CI=true: cannot run, and will not skip: ${reason}`);
  return reason;
}
