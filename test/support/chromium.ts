import * as fs from 'node:fs';
import { Browser, chromium } from 'playwright-core';
import { describeIfAvailable } from './service-available';

/** Debian's Chromium, or `CHROMIUM_PATH`. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const MISSING = `${CHROMIUM} not found: the browser test needs Debian's chromium (apt-get install -y chromium)`;

/** Runs when Chromium is installed; else a one-line skip, or a failure under `CI`. */
export function describeWithChromium(name: string, body: () => void): void {
  describeIfAvailable(name, fs.existsSync(CHROMIUM) ? undefined : MISSING, body);
}

/** Headless Chromium through playwright-core, quiet: no sandbox (root in CI), GPU, sync or updates. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
