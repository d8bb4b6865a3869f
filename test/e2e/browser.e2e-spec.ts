import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { AppProcess, ROOT, startApp, waitForHttp } from '../support/app-process';
import { SEED_EMAIL, SEED_PASSWORD } from '../support/auth-setup';
import { describeWithChromium, launchChromium } from '../support/chromium';

const ARTIFACTS = path.join(ROOT, 'test/artifacts');

describeWithChromium('the login flow in headless Chromium', () => {
  let app: AppProcess;
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'browser-e2e-'));
    app = await startApp({
      NODE_ENV: 'test',
      SECRET_KEY: 'browser-test-key-0123456789abcdef0123456789',
      INSTANCE_PATH: dir,
    });
    await waitForHttp(`http://127.0.0.1:${app.port}/healthz`);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('logs in with remember me, fills the cart, logs out', async () => {
    const base = `http://127.0.0.1:${app.port}`;
    const context = await browser.newContext();
    const page = await context.newPage();

    await page.goto(`${base}/`);
    await page.click('text=Log in');
    await page.fill('input[name=email]', SEED_EMAIL);
    await page.fill('input[name=password]', SEED_PASSWORD);
    await page.check('input[name=remember]');
    await Promise.all([page.waitForURL(`${base}/dashboard`), page.click('button[type=submit]')]);
    expect(await page.textContent('#who')).toBe(SEED_EMAIL);
    const [session] = (await context.cookies()).filter((c) => c.name === 'session');
    expect(session.expires).toBeGreaterThan(Date.now() / 1000 + 86_400); // remember me: a lasting cookie

    await page.goto(`${base}/cart`);
    for (const item of ['apple', '<b>x</b>']) {
      await page.fill('input[name=item]', item);
      await Promise.all([page.waitForURL(`${base}/cart`), page.click('text=Add to cart')]);
    }
    expect(await page.locator('#items li').allTextContents()).toEqual(['apple', '<b>x</b>']);
    expect(await page.locator('#items b').count()).toBe(0); // shown as text, not markup

    await page.goto(`${base}/dashboard`);
    expect(await page.textContent('main')).toContain('2 items');
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard.png'), fullPage: true });

    await Promise.all([page.waitForURL(`${base}/`), page.click('text=Log out')]);
    await page.goto(`${base}/dashboard`);
    expect(page.url()).toBe(`${base}/login?next=/dashboard`);
    await context.close();
  }, 60_000);
});
