import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ROOT } from '../support/app-process';
import {
  BrowserTarget,
  describeWithChromium,
  startBrowserTarget,
  signInOnLoginPage,
} from '../support/chromium';

const ARTIFACTS = path.join(ROOT, 'test/artifacts');
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describeWithChromium('seeing and ending sessions in headless Chromium', () => {
  let target: BrowserTarget;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    target = await startBrowserTarget({ MAIL_URL: 'none' });
    ({ browser, base } = target);
  }, 60_000);

  afterAll(() => target?.close());

  async function signedIn(userAgent: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ userAgent });
    const page = await context.newPage();
    await signInOnLoginPage(page, base);
    return { context, page };
  }

  it('lists both devices on the account page and signs the other one out from its row', async () => {
    const laptop = await signedIn(FIREFOX);
    const desktop = await signedIn(CHROME);

    await laptop.page.goto(`${base}/account`);
    const rows = laptop.page.locator('#sessions .session-row');
    await expectRows(rows, 2);
    expect(await rows.nth(0).textContent()).toContain('Chrome on Windows');
    expect(await rows.nth(1).textContent()).toContain('this device');
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await laptop.page.screenshot({
      path: path.join(ARTIFACTS, 'account-sessions.png'),
      fullPage: true,
    });

    await Promise.all([
      laptop.page.waitForURL(`${base}/account#sessions`),
      rows.nth(0).getByRole('button', { name: 'Sign out' }).click(),
    ]);
    await expectRows(laptop.page.locator('#sessions .session-row'), 1);

    await desktop.page.goto(`${base}/dashboard`);
    expect(desktop.page.url()).toBe(`${base}/login?next=/dashboard`);
    await laptop.page.goto(`${base}/dashboard`);
    expect(laptop.page.url()).toBe(`${base}/dashboard`);
    await laptop.context.close();
    await desktop.context.close();
  }, 60_000);
});

async function expectRows(rows: ReturnType<Page['locator']>, count: number): Promise<void> {
  expect(await rows.count()).toBe(count);
}
