import { INestApplication } from '@nestjs/common';
import * as fs from 'node:fs';
import * as path from 'node:path';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { csrfFrom, SEED_EMAIL, SEED_PASSWORD } from '../support/auth-setup';
import { PLATFORMS, createTestApp } from '../support/test-app';

const CSS_FILE = path.join(__dirname, '../../src/assets/public/app.css');

/** The `href` of the page's stylesheet link: `/assets/app.css?v=…`. */
function stylesheetOf(page: string): string {
  const href = /<link rel="stylesheet" href="([^"]+)"/.exec(page)?.[1];
  if (!href) throw new Error('the page links no stylesheet');
  return href.replace(/&amp;/g, '&');
}

/** Every problem of a page's markup that the CSP or a screen reader would meet, as readable lines. */
function markupProblems(page: string): string[] {
  const problems: string[] = [];
  if (/<style[\s>]/i.test(page)) problems.push('a <style> element');
  if (/\sstyle\s*=/i.test(page)) problems.push('a style= attribute');
  if (/<script(?![^>]*\ssrc=)[^>]*>/i.test(page)) problems.push('an inline <script>');
  const ids = [...page.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i)))
    problems.push(`id "${id}" used twice`);
  for (const [tag] of page.matchAll(/<(input|select|textarea)\b[^>]*>/g)) {
    if (/type="hidden"/.test(tag)) continue;
    const id = /\sid="([^"]+)"/.exec(tag)?.[1];
    if (!id || !page.includes(`<label for="${id}"`)) problems.push(`no label for ${tag}`);
  }
  return problems;
}

describe.each(PLATFORMS)('pages and their stylesheet on %s', (platform) => {
  let app: INestApplication;
  const agent = (): TestAgent => request.agent(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp({ HTTP_ADAPTER: platform, DATABASE_URL: 'sqlite::memory:' });
  });
  afterAll(() => app.close());

  async function signedIn(remember = false): Promise<TestAgent> {
    const client = agent();
    await client
      .post('/login')
      .send({ email: SEED_EMAIL, password: SEED_PASSWORD, remember })
      .expect(200);
    return client;
  }

  /** Every page the app renders, signed out and in, with what the server answered. */
  async function everyPage(): Promise<[string, request.Response][]> {
    const visitor = agent();
    const login = await visitor.get('/login');
    const failed = await visitor
      .post('/login')
      .type('form')
      .send({ email: SEED_EMAIL, password: 'wrong-password', _csrf: csrfFrom(login.text) });
    const member = await signedIn();
    await member.post('/cart/items').send({ item: 'apple' }).expect(201);
    return [
      ['home, signed out', await visitor.get('/')],
      ['login', login],
      ['login with an error', failed],
      ['home, signed in', await member.get('/')],
      ['dashboard', await member.get('/dashboard')],
      ['cart with an item', await member.get('/cart')],
      ['a 404', await visitor.get('/no-such-page')],
      ['a CSRF refusal (403)', await visitor.post('/cart/items').type('form').send({ item: 'x' })],
    ];
  }

  it('serves the stylesheet as CSS, and for good at the URL the pages link', async () => {
    const page = await agent().get('/login').expect(200);
    const href = stylesheetOf(page.text);
    expect(href).toMatch(/^\/assets\/app\.css\?v=[0-9a-f]{10}$/);

    const linked = await agent().get(href).expect(200);
    expect(linked.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(linked.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(linked.text).toBe(fs.readFileSync(CSS_FILE, 'utf8'));

    const unversioned = await agent().get('/assets/app.css').expect(200);
    expect(unversioned.headers['cache-control']).toBe('no-cache');
    const stale = await agent().get('/assets/app.css?v=0000000000').expect(200);
    expect(stale.headers['cache-control']).toBe('no-cache');
  });

  it('answers HEAD for the stylesheet with its headers and no body', async () => {
    const res = await agent().head('/assets/app.css').expect(200);
    expect(res.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(res.text ?? '').toBe('');
  });

  it('serves the favicon the layout links', async () => {
    const page = await agent().get('/').expect(200);
    const href = /<link rel="icon" href="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const res = await agent().get(href).expect(200);
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
  });

  it('answers an unknown asset with a 404 in the app format', async () => {
    const json = await agent()
      .get('/assets/nope.css')
      .set('Accept', 'application/json')
      .expect(404);
    expect(json.body).toEqual({ error: 'no asset named nope.css' });
    const page = await agent().get('/assets/%3Cb%3E.css').expect(404);
    expect(page.text).toContain('<p class="error">no asset named &lt;b&gt;.css</p>');
  });

  it('opens no session for an asset: no cookie refresh, no Vary, while a page refreshes it', async () => {
    const client = await signedIn(true);
    const page = await client.get('/cart').expect(200);
    expect(page.headers['set-cookie']).toBeDefined(); // a permanent session is refreshed by a page

    const asset = await client.get('/assets/app.css').expect(200);
    expect(asset.headers['set-cookie']).toBeUndefined();
    expect(asset.headers.vary ?? '').not.toMatch(/cookie/i);
  });

  it('sends a CSP that allows styles from the app only, and no page has an inline style', async () => {
    for (const [name, res] of await everyPage()) {
      expect([name, res.headers['content-type']]).toEqual([name, 'text/html; charset=utf-8']);
      const csp = String(res.headers['content-security-policy']);
      const styleSrc = csp.split(';').find((d) => d.trim().startsWith('style-src'));
      expect([name, styleSrc?.trim()]).toEqual([name, "style-src 'self'"]);
      expect([name, markupProblems(res.text)]).toEqual([name, []]);
    }
  });

  it('keeps what forms and tests rely on: CSRF fields, names, ids and the signed-in address', async () => {
    const member = await signedIn();
    const dashboard = await member.get('/dashboard').expect(200);
    expect(dashboard.text).toContain(`<strong id="who">${SEED_EMAIL}</strong>`);
    expect(dashboard.text).toMatch(/<form[^>]*action="\/logout"/);
    expect(csrfFrom(dashboard.text).length).toBeGreaterThan(10);
    const login = await agent().get('/login?next=/cart').expect(200);
    expect(login.text).toContain('name="next" value="/cart"');
    for (const name of ['email', 'password', 'remember'])
      expect(login.text).toContain(`name="${name}"`);
  });
});
