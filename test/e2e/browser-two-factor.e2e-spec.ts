import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { ROOT } from '../support/app-process';
import { SEED_EMAIL, SEED_PASSWORD } from '../support/auth-setup';
import {
  BrowserTarget,
  describeWithChromium,
  startBrowserTarget,
  signInOnLoginPage,
} from '../support/chromium';
import { roomInStep, totpCode } from '../support/totp';

const ARTIFACTS = path.join(ROOT, 'test/artifacts');

describeWithChromium('two-factor authentication in headless Chromium', () => {
  let target: BrowserTarget;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    target = await startBrowserTarget({ MAIL_URL: 'none' });
    ({ browser, base } = target);
  }, 60_000);

  afterAll(() => target?.close());

  it('turns TOTP on from the account page with the code of the key shown, then signs in with password + code', async () => {
    await roomInStep(15);
    const context = await browser.newContext();
    const page = await context.newPage();
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
    });

    await signInOnLoginPage(page, base);

    await page.goto(`${base}/account`);
    expect(await page.locator('#two-factor-state').textContent()).toBe('off');
    await Promise.all([
      page.waitForURL(`${base}/account/2fa/totp`),
      page.getByRole('button', { name: 'Turn on two-factor authentication' }).click(),
    ]);
    const qr = page.locator('#totp-qr svg');
    expect(await qr.isVisible()).toBe(true);
    expect((await qr.boundingBox())?.width).toBeGreaterThan(100);
    const secret = (await page.locator('#totp-secret').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'two-factor-setup.png'), fullPage: true });

    await page.getByLabel('Code from the app').fill(totpCode(secret, -1));
    await Promise.all([
      page.waitForURL(`${base}/account/2fa/totp/confirm`),
      page.getByRole('button', { name: 'Turn on' }).click(),
    ]);
    const codes = await page.locator('#recovery-codes code').allTextContents();
    expect(codes).toHaveLength(10);
    await page.screenshot({
      path: path.join(ARTIFACTS, 'two-factor-recovery-codes.png'),
      fullPage: true,
    });
    await page.goto(`${base}/account`);
    expect(await page.locator('#two-factor-state').textContent()).toBe('on');

    await Promise.all([
      page.waitForURL(`${base}/`),
      page.locator('header').getByRole('button', { name: 'Log out' }).click(),
    ]);
    await page.goto(`${base}/login?next=/cart`);
    await page.getByLabel('Email').fill(SEED_EMAIL);
    await page.getByLabel('Password').fill(SEED_PASSWORD);
    await Promise.all([
      page.waitForURL(`${base}/login/2fa`),
      page.click('form button[type=submit]'),
    ]);
    await page.goto(`${base}/dashboard`);
    expect(page.url()).toBe(`${base}/login?next=/dashboard`); // not signed in between the steps
    await page.goto(`${base}/login/2fa`);
    await page.getByLabel('Code').fill(totpCode(secret));
    await Promise.all([page.waitForURL(`${base}/cart`), page.click('form button[type=submit]')]);
    await page.goto(`${base}/dashboard`);
    expect(page.url()).toBe(`${base}/dashboard`);
    expect(blocked).toEqual([]);
    await context.close();
  }, 60_000);
});
