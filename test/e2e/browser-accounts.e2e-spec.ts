import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { ROOT } from '../support/app-process';
import { BrowserTarget, describeWithChromium, startBrowserTarget } from '../support/chromium';
import { startSmtp, TestSmtp } from '../support/smtp';

const ARTIFACTS = path.join(ROOT, 'test/artifacts');

describeWithChromium('the account flow in headless Chromium', () => {
  let target: BrowserTarget;
  let browser: Browser;
  let smtp: TestSmtp;
  let base: string;

  beforeAll(async () => {
    smtp = await startSmtp();
    target = await startBrowserTarget({ MAIL_URL: smtp.url });
    ({ browser, base } = target);
  }, 60_000);

  afterAll(async () => {
    await target?.close();
    await smtp?.close();
  });

  it('registers, follows the mailed link, logs in and changes the password', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const email = `browser-${Date.now().toString(36)}@example.com`;

    await page.goto(`${base}/`);
    await page.click('header >> text=Register');
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', 'first password');
    await Promise.all([
      page.waitForURL(`${base}/register/done`),
      page.click('button[type=submit]'),
    ]);
    expect(await page.textContent('main')).toContain('We mailed you a link');

    const [link] = (await smtp.nextMail(email)).links;
    expect(link.startsWith(`${base}/verify-email?token=`)).toBe(true);
    await page.goto(link);
    await Promise.all([
      page.waitForURL(`${base}/verify-email`),
      page.click('button:has-text("Confirm")'),
    ]);
    expect(await page.textContent('h1')).toBe('Address confirmed');

    await page.goto(`${base}/login`);
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', 'first password');
    await Promise.all([page.waitForURL(`${base}/dashboard`), page.click('button[type=submit]')]);
    await page.click('header >> text=Account');
    expect(await page.textContent('#email-state')).toBe('verified');
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'account.png'), fullPage: true });

    const form = page.locator('form[action="/account/password"]');
    await form.locator('input[name=currentPassword]').fill('first password');
    await form.locator('input[name=password]').fill('second password');
    await Promise.all([
      page.waitForURL(`${base}/account/password`),
      form.locator('button').click(),
    ]);
    expect(await page.textContent('h1')).toBe('Password changed');
    expect((await smtp.nextMail(email)).subject).toMatch(/password was changed$/);

    await page.goto(`${base}/dashboard`);
    expect(await page.textContent('#who')).toBe(email); // this session stayed signed in
    await Promise.all([page.waitForURL(`${base}/`), page.click('text=Log out')]);
    await page.goto(`${base}/login`);
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', 'second password');
    await Promise.all([page.waitForURL(`${base}/dashboard`), page.click('button[type=submit]')]);
    await context.close();
  }, 60_000);
});
