import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { AppProcess, freePort, startApp, waitForHttp } from './app-process';
import { SEED_EMAIL, SEED_PASSWORD } from './auth-setup';
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

/** The built app in test mode on a port of its own, and a headless Chromium to drive it. */
export interface BrowserTarget {
  app: AppProcess;
  browser: Browser;
  /** `http://127.0.0.1:<port>` (or the host asked for), also the app's `PUBLIC_URL`. */
  base: string;
  close(): Promise<void>;
}

/**
 * Starts the built app (`NODE_ENV=test`, a fresh `INSTANCE_PATH`, `PUBLIC_URL` = where it listens, plus `env`)
 * and Chromium; `close()` stops both and removes the folder.
 */
export async function startBrowserTarget(
  env: Record<string, string> = {},
  options: { host?: string } = {},
): Promise<BrowserTarget> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'browser-'));
  const port = await freePort();
  // `host: 'localhost'` for WebAuthn, whose relying party ID must be a domain, never an IP address.
  const base = `http://${options.host ?? '127.0.0.1'}:${port}`;
  const app = await startApp({
    NODE_ENV: 'test',
    SECRET_KEY: 'browser-test-key-0123456789abcdef0123456789',
    INSTANCE_PATH: dir,
    PORT: String(port),
    PUBLIC_URL: base,
    ...env,
  });
  await waitForHttp(`${base}/healthz`);
  const browser = await launchChromium();
  return {
    app,
    browser,
    base,
    close: async () => {
      await browser.close();
      await app.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Signs the seeded user in on the login page of `base`, as a user types it, and waits for the dashboard. */
export async function signInOnLoginPage(page: Page, base: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel('Email').fill(SEED_EMAIL);
  await page.getByLabel('Password').fill(SEED_PASSWORD);
  await Promise.all([page.waitForURL(`${base}/dashboard`), page.click('form button[type=submit]')]);
}
