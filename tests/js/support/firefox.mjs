// Headless Firefox ESR (Debian `firefox-esr`) through puppeteer-core over WebDriver BiDi: no
// browser download, no geckodriver. Playwright cannot drive a stock Firefox.
import { existsSync } from 'node:fs';
import puppeteer from 'puppeteer-core';

export function firefoxPath() {
  return process.env.CUBE_FIREFOX ?? '/usr/bin/firefox-esr';
}

/** Launch it; a missing Firefox fails (the test command installs it), never skips. */
export async function launchFirefox() {
  const executablePath = firefoxPath();
  if (!existsSync(executablePath)) {
    throw new Error(`no Firefox at ${executablePath}: \`cargo xtask setup\` installs Debian's firefox-esr`);
  }
  return puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    protocolTimeout: 120_000,
    // No update checks, telemetry or captive-portal probes: this machine's network is closed.
    extraPrefsFirefox: {
      'app.update.enabled': false,
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'toolkit.telemetry.enabled': false,
    },
  });
}

/** A page that records its errors: uncaught exceptions and console errors. */
export async function pageWithErrors(browser) {
  const page = await browser.newPage();
  page.setDefaultTimeout(30_000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return { page, errors };
}

/** The browser's name and version, e.g. "firefox/153.8.0". */
export async function firefoxVersion(browser) {
  return browser.version();
}
