import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ROOT } from '../support/app-process';
import { SEED_EMAIL, SEED_PASSWORD } from '../support/auth-setup';
import {
  BrowserTarget,
  describeWithChromium,
  startBrowserTarget,
  signInOnLoginPage,
} from '../support/chromium';

const ARTIFACTS = path.join(ROOT, 'test/artifacts');

/** A page whose browser has a platform authenticator with user verification, through the DevTools protocol. */
async function pageWithAuthenticator(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return page;
}

/** Signs the seed user in with the password through the login form. */
async function passwordLogin(page: Page, base: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel('Email').fill(SEED_EMAIL);
  await page.getByLabel('Password').fill(SEED_PASSWORD);
  await Promise.all([page.waitForURL(`${base}/dashboard`), page.click('form button[type=submit]')]);
}

describeWithChromium('passkeys in headless Chromium (virtual authenticator)', () => {
  let target: BrowserTarget;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    // WebAuthn needs a domain for the relying party: the page and PUBLIC_URL are http://localhost:<port>.
    target = await startBrowserTarget({ MAIL_URL: 'none' }, { host: 'localhost' });
    ({ browser, base } = target);
  }, 60_000);

  afterAll(() => target?.close());

  it('adds a passkey on the account page, then signs in with it from the login page', async () => {
    const page = await pageWithAuthenticator(browser);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });

    await signInOnLoginPage(page, base);

    await page.goto(`${base}/account`);
    expect(await page.locator('#passkeys .passkey-row').count()).toBe(0);
    await page.click('#passkey-add');
    await page.locator('#passkeys .passkey-row').waitFor();
    expect(await page.locator('#passkeys .passkey-row strong').textContent()).toBe(
      'Chrome on Linux',
    );
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'account-passkeys.png'), fullPage: true });

    const row = page.locator('#passkeys .passkey-row');
    await row.locator('input[name=name]').fill('This laptop');
    await Promise.all([
      page.waitForURL(`${base}/account#passkeys`),
      row.getByRole('button', { name: 'Rename' }).click(),
    ]);
    expect(await page.locator('#passkeys .passkey-row strong').textContent()).toBe('This laptop');

    await Promise.all([page.waitForURL(`${base}/`), page.click('header >> text=Log out')]);
    await page.goto(`${base}/dashboard`);
    expect(page.url()).toBe(`${base}/login?next=/dashboard`);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    // On failure, say what the page's script reported.
    await page.waitForURL(`${base}/dashboard`, { timeout: 10_000 }).catch(async () => {
      const status = await page.textContent('#passkey-status');
      throw new Error(`still at ${page.url()}: ${status} ${errors.join(' ')}`);
    });
    expect(await page.textContent('#who')).toBe(SEED_EMAIL);

    await page.goto(`${base}/account`);
    expect(await page.locator('#passkeys .hint').first().textContent()).toMatch(/last used/);
    await Promise.all([
      page.waitForURL(`${base}/account#passkeys`),
      page.locator('#passkeys').getByRole('button', { name: 'Delete' }).click(),
    ]);
    expect(await page.locator('#passkeys .passkey-row').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 60_000);
});

describeWithChromium('passkeys and re-authentication in headless Chromium', () => {
  let target: BrowserTarget;
  let browser: Browser;
  let base: string;
  const stale = () => new Promise((resolve) => setTimeout(resolve, 4200)); // past REAUTH_TIMEOUT=3

  beforeAll(async () => {
    target = await startBrowserTarget(
      { MAIL_URL: 'none', APP_REAUTH_TIMEOUT: '3' },
      { host: 'localhost' },
    );
    ({ browser, base } = target);
  }, 60_000);

  afterAll(() => target?.close());

  it('sends "Add a passkey" to /reauth when the password is stale, and takes the passkey there next time', async () => {
    const page = await pageWithAuthenticator(browser);
    await passwordLogin(page, base);
    await stale();
    await page.goto(`${base}/account`);
    await Promise.all([
      page.waitForURL(`${base}/reauth?next=/account`),
      page.click('#passkey-add'),
    ]);
    expect(await page.locator('#passkey-reauth').count()).toBe(0); // no passkey yet
    await page.getByLabel('Password').fill(SEED_PASSWORD);
    await Promise.all([
      page.waitForURL(`${base}/account`),
      page.getByRole('button', { name: 'Confirm' }).click(),
    ]);
    await page.click('#passkey-add');
    await page.locator('#passkeys .passkey-row').waitFor();

    await stale();
    await Promise.all([
      page.waitForURL(`${base}/reauth?next=/account`),
      page.locator('#passkeys').getByRole('button', { name: 'Delete' }).click(),
    ]);
    await Promise.all([
      page.waitForURL(`${base}/account`),
      page.getByRole('button', { name: 'Use a passkey instead' }).click(),
    ]);
    await Promise.all([
      page.waitForURL(`${base}/account#passkeys`),
      page.locator('#passkeys').getByRole('button', { name: 'Delete' }).click(),
    ]);
    expect(await page.locator('#passkeys .passkey-row').count()).toBe(0);
    await page.context().close();
  }, 60_000);
});
