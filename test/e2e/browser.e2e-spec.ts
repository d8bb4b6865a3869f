import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { AppProcess, ROOT } from '../support/app-process';
import { SEED_EMAIL, SEED_PASSWORD } from '../support/auth-setup';
import { BrowserTarget, describeWithChromium, startBrowserTarget } from '../support/chromium';

const ARTIFACTS = path.join(ROOT, 'test/artifacts');

describeWithChromium('the login flow in headless Chromium', () => {
  let target: BrowserTarget;
  let browser: Browser;
  let app: AppProcess;

  beforeAll(async () => {
    target = await startBrowserTarget();
    ({ browser, app } = target);
  }, 60_000);

  afterAll(() => target?.close());

  /** A page at that width that records what a person would not see: CSP refusals, failed files. */
  async function openPage(width = 1024, height = 720) {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) problems.push(message.text());
    });
    page.on('response', (response) => {
      if (response.status() >= 400 && response.request().resourceType() !== 'document')
        problems.push(`${response.status()} ${response.url()}`);
    });
    page.on('requestfailed', (request) => {
      // A navigation aborts what the page before it was still loading (often the favicon): not a failure.
      const error = request.failure()?.errorText;
      if (error !== 'net::ERR_ABORTED') problems.push(`${error} ${request.url()}`);
    });
    return { context, page, problems };
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  }

  /** The app's stylesheet is the page's one stylesheet, and it applied. (Page code is given as text: no DOM types here.) */
  async function expectStyled(page: Page): Promise<void> {
    const sheets = await page.evaluate<{ href: string; rules: number }[]>(
      '[...document.styleSheets].map((sheet) => ({ href: sheet.href, rules: sheet.cssRules.length }))',
    );
    expect(sheets).toEqual([
      { href: expect.stringMatching(/\/assets\/app\.css\?v=/), rules: expect.any(Number) },
    ]);
    expect(sheets[0].rules).toBeGreaterThan(20);
    const headerBackground = await page.evaluate<string>(
      "getComputedStyle(document.querySelector('.site-header')).backgroundColor",
    );
    expect(headerBackground).not.toBe('rgba(0, 0, 0, 0)');
  }

  it('logs in with remember me, fills the cart, logs out', async () => {
    const base = `http://127.0.0.1:${app.port}`;
    const { context, page, problems } = await openPage();

    await page.goto(`${base}/`);
    await expectStyled(page);
    await screenshot(page, 'home');
    await page.click('text=Log in');
    await screenshot(page, 'login');
    // Labels are tied to their inputs: the fields are found by their label, as a screen reader names them.
    await page.getByLabel('Email').fill(SEED_EMAIL);
    await page.getByLabel('Password').fill('wrong-password');
    await page.click('button[type=submit]');
    expect(await page.getByRole('alert').textContent()).toBe('invalid email or password');
    await screenshot(page, 'login-error');
    await page.getByLabel('Password').fill(SEED_PASSWORD);
    await page.getByLabel('Remember me').check();
    await Promise.all([page.waitForURL(`${base}/dashboard`), page.click('button[type=submit]')]);
    expect(await page.textContent('#who')).toBe(SEED_EMAIL);
    const [session] = (await context.cookies()).filter((c) => c.name === 'session');
    expect(session.expires).toBeGreaterThan(Date.now() / 1000 + 86_400); // remember me: a lasting cookie

    await page.goto(`${base}/cart`);
    for (const item of ['apple', '<b>x</b>']) {
      await page.getByLabel('Item').fill(item);
      await Promise.all([page.waitForURL(`${base}/cart`), page.click('text=Add to cart')]);
    }
    expect(await page.locator('#items li').allTextContents()).toEqual(['apple', '<b>x</b>']);
    expect(await page.locator('#items b').count()).toBe(0); // shown as text, not markup
    await screenshot(page, 'cart');

    await page.goto(`${base}/dashboard`);
    expect(await page.textContent('main')).toContain('2 items');
    await screenshot(page, 'dashboard');

    await Promise.all([page.waitForURL(`${base}/`), page.click('text=Log out')]);
    await page.goto(`${base}/dashboard`);
    expect(page.url()).toBe(`${base}/login?next=/dashboard`);
    const missing = await page.goto(`${base}/no-such-page`);
    expect(missing?.status()).toBe(404);
    await expectStyled(page);
    await screenshot(page, 'not-found');
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('reads well on a phone: no sideways scrolling, and keyboard focus is visible', async () => {
    const base = `http://127.0.0.1:${app.port}`;
    const { context, page, problems } = await openPage(390, 844);

    for (const route of ['/', '/login', '/cart', '/no-such-page']) {
      await page.goto(`${base}${route}`);
      const width = await page.evaluate<number>('document.documentElement.scrollWidth');
      expect([route, width]).toEqual([route, 390]);
    }
    await page.goto(`${base}/login`);
    await screenshot(page, 'login-phone');

    await page.keyboard.press('Tab'); // the skip link, then the first field after it
    expect(await page.evaluate<string>('document.activeElement.textContent')).toBe(
      'Skip to content',
    );
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate<{ name: string; outline: string; ring: string }>(`(() => {
      const style = getComputedStyle(document.activeElement);
      const name = document.activeElement.getAttribute('name');
      return { name, outline: style.outlineStyle, ring: style.boxShadow };
    })()`);
    expect(focused.name).toBe('email');
    expect(focused.outline !== 'none' || focused.ring !== 'none').toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('shows the API docs at /docs: Swagger UI loads its own files under the CSP of /docs', async () => {
    const base = `http://127.0.0.1:${app.port}`;
    const { context, page, problems } = await openPage(1280, 900);

    const docs = await page.goto(`${base}/docs`);
    await page.waitForSelector('.opblock-summary-path');
    const paths = await page.locator('.opblock-summary-path').allTextContents();
    expect(paths).toEqual(expect.arrayContaining(['/login', '/dashboard', '/cart/items']));
    expect(docs?.headers()['content-security-policy']).toMatch(/script-src 'self';/);
    await screenshot(page, 'api-docs');
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);
});
