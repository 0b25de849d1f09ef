// Headless Debian Chromium through playwright-core (no browser download).
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './sandbox.mjs';

export const ARTIFACTS = path.join(ROOT, 'tests/artifacts');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function executablePath() {
  return process.env.CUBE_CHROMIUM ?? '/usr/bin/chromium';
}

export async function launch() {
  return chromium.launch({ executablePath: executablePath(), headless: true, args: CHROMIUM_ARGS });
}

/** Save a screenshot into the gitignored tests/artifacts/ folder. */
export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}
