import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { ConfigService } from '@nestjs/config';
import { LIMITS } from '../../src/auth/login-throttle.service';
import {
  authMatrix,
  AuthSetup,
  csrfFrom,
  SEED_EMAIL,
  SEED_PASSWORD,
  uniqueEmail,
} from '../support/auth-setup';
import { sessionAgent, signInAs } from '../support/session-transaction';
import { createTestApp } from '../support/test-app';

const JSON_HEADERS = { Accept: 'application/json' };

for (const { name, setup, describe: describeRow } of authMatrix()) {
  describeRow(`auth app on ${name}`, () => authSuite(setup));
}

function authSuite(setup: AuthSetup): void {
  let app: INestApplication;

  beforeAll(async () => {
    app = await setup.createApp();
  });

  afterAll(async () => {
    await app?.close();
    await setup.cleanup();
  });

  const agent = (): TestAgent => sessionAgent(app);

  function loginJson(client: TestAgent, body: object = {}) {
    return client.post('/login').send({ email: SEED_EMAIL, password: SEED_PASSWORD, ...body });
  }

  async function formToken(client: TestAgent, path = '/login'): Promise<string> {
    const page = await client.get(path).expect(200);
    return csrfFrom(page.text);
  }

  describe("the guide's tests", () => {
    it('session works after login', async () => {
      const res = await loginJson(agent());
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ user: { id: expect.any(Number), email: SEED_EMAIL } });
    });

    it('session persists across requests', async () => {
      const client = agent();
      const res = await loginJson(agent());
      await signInAs(client, res.body.user.id);
      const dashboard = await client.get('/dashboard').set(JSON_HEADERS).expect(200);
      expect(dashboard.body).toEqual({ user: { id: res.body.user.id, email: SEED_EMAIL } });
    });

    it('secret key is set', () => {
      const secretKey = app.get(ConfigService).get<string | null>('session.secretKey');
      expect(secretKey).not.toBeNull();
      expect(secretKey?.length).toBeGreaterThan(0);
    });
  });

  describe('POST /login', () => {
    it('signs in with JSON: 200, the user, and a browser-session cookie', async () => {
      const client = agent();
      const res = await loginJson(client).expect(200);
      const cookie = String(res.headers['set-cookie']);
      expect(cookie).toMatch(/^session=/);
      expect(cookie).not.toMatch(/Expires=|Max-Age=/i);
      await client.get('/dashboard').set(JSON_HEADERS).expect(200);
    });

    it('makes the session permanent with remember', async () => {
      const res = await loginJson(agent(), { remember: true }).expect(200);
      expect(String(res.headers['set-cookie'])).toMatch(/Max-Age=2678400|Expires=/i);
    });

    it('signs in with the form: 302 to /dashboard, or to a safe local next', async () => {
      const client = agent();
      const token = await formToken(client);
      await client
        .post('/login')
        .type('form')
        .send({ email: SEED_EMAIL, password: SEED_PASSWORD, _csrf: token, next: '/cart' })
        .expect(302)
        .expect('Location', '/cart');
      const page = await client.get('/dashboard').expect(200);
      expect(page.text).toContain(SEED_EMAIL);
    });

    it.each(['//evil.example', 'https://evil.example/', '/\\evil.example'])(
      'ignores next=%s',
      async (next) => {
        const client = agent();
        const token = await formToken(client);
        const res = await client
          .post('/login')
          .type('form')
          .send({ email: SEED_EMAIL, password: SEED_PASSWORD, _csrf: token, next });
        expect(res.status).toBe(302);
        expect(res.headers.location).toBe('/dashboard');
      },
    );

    it('regenerates the session: data from before login is gone (no fixation)', async () => {
      const client = agent();
      await client.post('/cart/items').send({ item: 'anonymous' }).expect(201);
      const before = String(
        (await client.get('/cart').set(JSON_HEADERS)).headers['set-cookie'] ?? '',
      );
      await loginJson(client).expect(200);
      const cart = await client.get('/cart').set(JSON_HEADERS).expect(200);
      expect(cart.body).toEqual({ items: [] });
      expect(before).not.toContain('user_id');
    });

    it('answers a wrong password and an unknown email with the same 401 and no cookie', async () => {
      const wrong = await loginJson(agent(), { email: SEED_EMAIL, password: 'wrong-password' });
      const unknown = await loginJson(agent(), {
        email: uniqueEmail('nobody'),
        password: 'whatever1',
      });
      for (const res of [wrong, unknown]) {
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ error: 'invalid email or password' });
        expect(res.headers['set-cookie']).toBeUndefined();
      }
    });

    it.each<[string, object, string]>([
      ['a missing email', { password: 'x' }, 'email'],
      ['a malformed email', { email: 'not-an-email', password: 'x' }, 'email'],
      ['a numeric password', { email: SEED_EMAIL, password: 12345678 }, 'password'],
      ['a missing password', { email: SEED_EMAIL }, 'password'],
    ])('refuses %s with 400 naming the field', async (_case, body, field) => {
      const res = await agent().post('/login').send(body).expect(400);
      expect(res.body.field).toBe(field);
      expect(res.body.error).toMatch(new RegExp(`^${field}: `));
    });

    it('refuses a form post without a valid CSRF token with 403', async () => {
      const client = agent();
      await formToken(client);
      await client
        .post('/login')
        .type('form')
        .send({ email: SEED_EMAIL, password: SEED_PASSWORD })
        .expect(403);
      await client
        .post('/login')
        .type('form')
        .send({ email: SEED_EMAIL, password: SEED_PASSWORD, _csrf: 'forged' })
        .expect(403);
    });

    it('throttles repeated failures for one email with 429 and Retry-After; a success resets it', async () => {
      const email = uniqueEmail('throttled');
      await agent().post('/register').send({ email, password: 'correct-horse' }).expect(201);
      for (let i = 0; i < LIMITS.pair.points - 1; i++) {
        await loginJson(agent(), { email, password: 'wrong-password' }).expect(401);
      }
      await loginJson(agent(), { email, password: 'correct-horse' }).expect(200);
      for (let i = 0; i < LIMITS.pair.points; i++) {
        await loginJson(agent(), { email, password: 'wrong-password' }).expect(401);
      }
      const blocked = await loginJson(agent(), { email, password: 'correct-horse' }).expect(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect(blocked.body.error).toMatch(/too many failed logins/);
    });
  });

  describe('POST /register', () => {
    it('creates a user: 201, then the user can log in', async () => {
      const email = uniqueEmail('new');
      const res = await agent()
        .post('/register')
        .send({ email, password: 'long-enough' })
        .expect(201);
      expect(res.body).toEqual({ user: { id: expect.any(Number), email, emailVerified: false } });
      await loginJson(agent(), { email, password: 'long-enough' }).expect(200);
    });

    it('refuses a duplicate email (any case) with 409', async () => {
      const email = uniqueEmail('dup');
      await agent().post('/register').send({ email, password: 'long-enough' }).expect(201);
      const res = await agent()
        .post('/register')
        .send({ email: email.toUpperCase(), password: 'long-enough' });
      expect(res.status).toBe(409);
      expect(res.body.error).toMatch(/already registered/);
    });

    it.each<[string, object, string]>([
      ['a short password', { email: 'short@example.com', password: 'short' }, 'password'],
      ['a malformed email', { email: 'nope', password: 'long-enough' }, 'email'],
    ])('refuses %s with 400', async (_case, body, field) => {
      const res = await agent().post('/register').send(body).expect(400);
      expect(res.body.field).toBe(field);
    });

    it('gives concurrent registrations distinct ids', async () => {
      const emails = Array.from({ length: 10 }, (_, i) => uniqueEmail(`concurrent${i}`));
      const results = await Promise.all(
        // Each from its own address: registrations are limited per client address.
        emails.map((email, i) =>
          agent()
            .post('/register')
            .set('X-Forwarded-For', `198.51.100.${i + 1}`)
            .send({ email, password: 'long-enough' }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(emails.map(() => 201));
      expect(new Set(results.map((r) => (r.body as { user: { id: number } }).user.id)).size).toBe(
        10,
      );
    });
  });

  describe('POST /logout', () => {
    it('destroys the session and expires the cookie: JSON 204', async () => {
      const client = agent();
      await loginJson(client).expect(200);
      const res = await client
        .post('/logout')
        .set('Content-Type', 'application/json')
        .send({})
        .expect(204);
      expect(String(res.headers['set-cookie'])).toMatch(/^session=;.*Expires=Thu, 01 Jan 1970/);
      await client.get('/dashboard').set(JSON_HEADERS).expect(401);
    });

    it('redirects a form to / and needs the CSRF token', async () => {
      const client = agent();
      await loginJson(client).expect(200);
      await client.post('/logout').type('form').send({}).expect(403);
      const token = csrfFrom((await client.get('/dashboard').expect(200)).text);
      await client
        .post('/logout')
        .type('form')
        .send({ _csrf: token })
        .expect(302)
        .expect('Location', '/');
      await client.get('/dashboard').set(JSON_HEADERS).expect(401);
    });
  });

  describe('GET /dashboard', () => {
    it('answers JSON clients signed out with 401 {"error":"login required"}', async () => {
      const res = await agent().get('/dashboard').set(JSON_HEADERS).expect(401);
      expect(res.body).toEqual({ error: 'login required' });
    });

    it('sends browsers signed out to /login?next=/dashboard', async () => {
      await agent().get('/dashboard').expect(302).expect('Location', '/login?next=/dashboard');
    });

    it('is private: Cache-Control no-store, and security headers', async () => {
      const client = agent();
      await loginJson(client).expect(200);
      const res = await client.get('/dashboard').expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toBeDefined();
    });
  });

  describe('cart', () => {
    it('works signed out, appends in order, and empties', async () => {
      const client = agent();
      await client.get('/cart').set(JSON_HEADERS).expect(200, { items: [] });
      await client
        .post('/cart/items')
        .send({ item: 'apple' })
        .expect(201, { items: ['apple'], count: 1 });
      await client
        .post('/cart/items')
        .send({ item: 'pear' })
        .expect(201, { items: ['apple', 'pear'], count: 2 });
      await client
        .get('/cart')
        .set(JSON_HEADERS)
        .expect(200, { items: ['apple', 'pear'] });
      await client.delete('/cart').set(JSON_HEADERS).expect(204);
      await client.get('/cart').set(JSON_HEADERS).expect(200, { items: [] });
    });

    it.each<[string, object]>([
      ['an empty item', { item: '  ' }],
      ['an item over 100 characters', { item: 'x'.repeat(101) }],
      ['a non-string item', { item: ['a'] }],
      ['a lone surrogate', { item: 'a\ud800b' }],
      ['no item', {}],
    ])('refuses %s with 400 naming item', async (_case, body) => {
      const res = await agent().post('/cart/items').send(body).expect(400);
      expect(res.body.error).toMatch(/^item: /);
    });

    it('adds from the form and shows items escaped', async () => {
      const client = agent();
      const token = await formToken(client, '/cart');
      await client
        .post('/cart/items')
        .type('form')
        .send({ item: '<b>x</b>', _csrf: token })
        .expect(302);
      const page = await client.get('/cart').expect(200);
      expect(page.text).toContain('&lt;b&gt;x&lt;/b&gt;');
      expect(page.text).not.toContain('<b>x</b>');
    });
  });

  describe('bodies', () => {
    it('refuses a body over 100 KB with 413', async () => {
      await agent()
        .post('/cart/items')
        .send({ item: 'x'.repeat(101 * 1024) })
        .expect(413);
    });

    it.each(['{"item": ', '[1,2]', '"text"'])(
      'refuses the malformed JSON %s with a 4xx',
      async (body) => {
        const res = await agent()
          .post('/cart/items')
          .set('Content-Type', 'application/json')
          .send(body);
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
      },
    );

    it('is not polluted by __proto__ keys', async () => {
      await agent()
        .post('/login')
        .set('Content-Type', 'application/json')
        .send('{"email":"a@b.co","password":"x","__proto__":{"polluted":true}}');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });

  describe('pages', () => {
    it('home shows who is signed in', async () => {
      const client = agent();
      expect((await client.get('/').expect(200)).text).toContain('not signed in');
      await loginJson(client).expect(200);
      expect((await client.get('/').expect(200)).text).toContain(SEED_EMAIL);
      expect((await client.get('/').set(JSON_HEADERS).expect(200)).body.user.email).toBe(
        SEED_EMAIL,
      );
    });

    it('the login form has a remember-me box and a CSRF token', async () => {
      const page = await agent().get('/login').expect(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toMatch(/name="remember"/);
      expect(csrfFrom(page.text).length).toBeGreaterThan(10);
    });

    it('a wrong password on the form shows the form again with 401', async () => {
      const client = agent();
      const token = await formToken(client);
      const res = await client
        .post('/login')
        .type('form')
        .send({ email: SEED_EMAIL, password: 'wrong-password', _csrf: token })
        .expect(401);
      expect(res.text).toContain('invalid email or password');
    });
  });

  describe('GET /readyz', () => {
    it('is 200 when the database and the session store answer', async () => {
      const res = await request(app.getHttpServer()).get('/readyz').expect(200);
      expect(res.body.status).toBe('ok');
    });
  });
}

describe('missing session (an app built with no SECRET_KEY)', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp({ SECRET_KEY: undefined, DATABASE_URL: 'sqlite::memory:' });
  });

  afterAll(async () => app?.close());

  it('reads an empty session, and a write fails with the message', async () => {
    await request(app.getHttpServer()).get('/cart').set(JSON_HEADERS).expect(200, { items: [] });
    const res = await request(app.getHttpServer()).post('/cart/items').send({ item: 'x' });
    expect(res.status).toBe(500);
    expect(res.body.error).toContain('The session is unavailable because no secret key was set');
  });
});
