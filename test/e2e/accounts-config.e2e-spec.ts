import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { ACCOUNT_LIMITS } from '../../src/accounts/account-limits';
import { createApp } from '../../src/create-app';
import { TokenService } from '../../src/tokens/token.service';
import { UsersService } from '../../src/users/users.service';
import { csrfFrom, SEED_EMAIL, SEED_PASSWORD, uniqueEmail } from '../support/auth-setup';
import { RecentAuthProbeModule } from '../support/recent-auth-probe';
import { describeWithRedis, REDIS_URL } from '../support/redis';
import { startSmtp, TestSmtp, tokenOf } from '../support/smtp';
import { TcpProxy } from '../support/tcp-proxy';
import { PLATFORMS, testConfig } from '../support/test-app';

const PASSWORD = 'first password';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(() => smtp?.close());

describe.each(PLATFORMS)('account settings on %s', (platform) => {
  const apps: INestApplication[] = [];
  afterAll(() => Promise.all(apps.map((app) => app.close())));

  async function appWith(env: Record<string, string>): Promise<INestApplication> {
    const config = testConfig({
      HTTP_ADAPTER: platform,
      DATABASE_URL: 'sqlite::memory:',
      PUBLIC_URL: 'http://localhost:3000',
      MAIL_URL: smtp.url,
      ...env,
    });
    const app = await createApp(config, { logger: ['error'], imports: [RecentAuthProbeModule] });
    apps.push(app);
    return app;
  }

  const json = (app: INestApplication): TestAgent =>
    request.agent(app.getHttpServer()).set('Accept', 'application/json');

  async function register(app: INestApplication, email = uniqueEmail('cfg')) {
    await json(app).post('/register').send({ email, password: PASSWORD }).expect(201);
    return email;
  }

  describe('MAIL_URL=none with EMAIL_VERIFICATION=optional', () => {
    let app: INestApplication;
    beforeAll(async () => {
      app = await appWith({ MAIL_URL: 'none' });
    });

    it('registers (201, no mail); forgot, resend and email change answer 503 naming MAIL_URL', async () => {
      const email = await register(app);
      const forgot = await json(app).post('/password/forgot').send({ email }).expect(503);
      expect(forgot.body.error).toMatch(/MAIL_URL=none/);
      const me = json(app);
      await me.post('/login').send({ email, password: PASSWORD }).expect(200);
      expect((await me.post('/verify-email/resend').send({}).expect(503)).body.error).toMatch(
        /MAIL_URL/,
      );
      await me
        .post('/account/email')
        .send({ email: uniqueEmail('n'), password: PASSWORD })
        .expect(503);
      const done = await request(app.getHttpServer()).get('/register/done').expect(200);
      expect(done.text).toContain('Your account is ready; you can log in now.');
      expect(smtp.pending(email)).toEqual([]);
    });
  });

  describe('EMAIL_VERIFICATION=off', () => {
    it('mails nothing at registration, and the verification routes answer 404 naming the setting', async () => {
      const app = await appWith({ APP_EMAIL_VERIFICATION: 'off' });
      const email = await register(app);
      const me = json(app);
      await me.post('/login').send({ email, password: PASSWORD }).expect(200);
      const resend = await me.post('/verify-email/resend').send({}).expect(404);
      expect(resend.body.error).toMatch(/EMAIL_VERIFICATION=off/);
      await json(app).post('/verify-email').send({ token: 'a.b' }).expect(404);
      await sleep(200);
      expect(smtp.pending(email)).toEqual([]);
    });
  });

  describe('EMAIL_VERIFICATION=required', () => {
    let app: INestApplication;
    beforeAll(async () => {
      app = await appWith({ APP_EMAIL_VERIFICATION: 'required' });
    });

    it('refuses an unverified login with 403 and no session, mails a fresh link (at most 3 an hour), then signs in once verified', async () => {
      const email = await register(app);
      await smtp.nextMail(email);
      for (let i = 1; i <= ACCOUNT_LIMITS.verificationMails.points; i++) {
        const res = await json(app).post('/login').send({ email, password: PASSWORD });
        expect(res.status).toBe(403);
        expect(res.body).toEqual({ error: 'email not verified' });
        expect(res.headers['set-cookie']).toBeUndefined();
      }
      await json(app).post('/login').send({ email, password: 'wrong' }).expect(401);
      await sleep(200);
      // The registration mail counted: two fresh links, then none.
      expect(smtp.pending(email)).toHaveLength(ACCOUNT_LIMITS.verificationMails.points - 1);
      const link = (await smtp.nextMail(email)).links[0];
      await json(app)
        .post('/verify-email')
        .send({ token: tokenOf(link) })
        .expect(200);
      await json(app).post('/login').send({ email, password: PASSWORD }).expect(200);
      await json(app)
        .post('/login')
        .send({ email: SEED_EMAIL, password: SEED_PASSWORD })
        .expect(200);
    });
  });

  describe('re-authentication', () => {
    let app: INestApplication;
    beforeAll(async () => {
      app = await appWith({ APP_REAUTH_TIMEOUT: '1' });
    });

    it('allows a sensitive route right after login, asks again after REAUTH_TIMEOUT, and POST /reauth renews it', async () => {
      const email = await register(app);
      const me = json(app);
      await me.post('/login').send({ email, password: PASSWORD }).expect(200);
      await me.get('/test/recent-auth').expect(200);
      await sleep(2100);
      const refused = await me.get('/test/recent-auth').expect(401);
      expect(refused.body).toEqual({ error: 'reauthentication required' });

      await me.post('/reauth').send({ password: 'wrong' }).expect(403);
      const code = await me.post('/reauth').send({ code: '123456' }).expect(400);
      expect(code.body.field).toBe('code');
      await me.post('/reauth').send({}).expect(400);
      await me.post('/reauth').send({ password: PASSWORD }).expect(204);
      await me.get('/test/recent-auth').expect(200);
      await me.post('/test/recent-auth').send({}).expect(204);
    });

    it('sends a browser to /reauth?next=…, for a page and for a form post, and back after', async () => {
      const email = await register(app);
      const browser = request.agent(app.getHttpServer());
      const login = await browser.get('/login').expect(200);
      await browser
        .post('/login')
        .type('form')
        .send({ _csrf: csrfFrom(login.text), email, password: PASSWORD })
        .expect(302);
      await sleep(2100);
      const page = await browser.get('/test/recent-auth?x=1').expect(302);
      expect(page.headers.location).toBe('/reauth?next=/test/recent-auth%3Fx%3D1');
      const account = await browser.get('/account').expect(200);
      const post = await browser
        .post('/test/recent-auth')
        .type('form')
        .send({ _csrf: csrfFrom(account.text) })
        .expect(302);
      expect(post.headers.location).toBe('/reauth?next=/account');

      const form = await browser.get('/reauth?next=/test/recent-auth').expect(200);
      expect(form.headers['cache-control']).toBe('no-store');
      const back = await browser
        .post('/reauth')
        .type('form')
        .send({ _csrf: csrfFrom(form.text), password: PASSWORD, next: '/test/recent-auth' })
        .expect(302);
      expect(back.headers.location).toBe('/test/recent-auth');
      await browser.get('/test/recent-auth').expect(200);
    });
  });

  describeWithRedis('while Redis (the account counters) is cut', () => {
    const redis = new URL(REDIS_URL ?? 'redis://127.0.0.1:6379');
    const proxy = new TcpProxy(redis.hostname, Number(redis.port || 6379));
    afterAll(() => proxy.stop());

    it('refuses forgot and link checks with 503 naming Redis, never an unthrottled check', async () => {
      await proxy.start();
      const app = await appWith({
        REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
        APP_SESSION_KEY_PREFIX: `test:accounts-cut:${process.pid}:${Date.now()}:`,
      });
      const email = await register(app);
      const token = tokenOf((await smtp.nextMail(email)).links[0]);
      await proxy.stop();
      for (const res of [
        await json(app).post('/password/forgot').send({ email }),
        await json(app).post('/verify-email').send({ token }),
      ]) {
        expect(res.status).toBe(503);
        expect(res.body.error).toMatch(/^Redis at REDIS_URL is unreachable/);
        expect(res.headers['retry-after']).toBe('5');
      }
      await sleep(300);
      expect(smtp.pending(email)).toEqual([]);
      await proxy.start();
      for (let i = 0; ; i++) {
        const res = await json(app).post('/verify-email').send({ token });
        if (res.status === 200) break;
        expect(i).toBeLessThan(50);
        await sleep(100);
      }
    });
  });

  describe('SECRET_KEY rotation', () => {
    it('accepts a reset link signed under the old key while it is a fallback', async () => {
      const [oldKey, newKey] = [
        'old-key-for-links-0123456789abcdef',
        'new-key-for-links-0123456789abcdef',
      ];
      const app = await appWith({ SECRET_KEY: newKey, SECRET_KEY_FALLBACKS: oldKey });
      const email = await register(app);
      const record = await app.get(UsersService).findRecordByEmail(email);
      const lifetimes = {
        'password-reset': 3600,
        'email-verification': 3600,
        'email-change': 3600,
      };
      const old = new TokenService({ secrets: [oldKey], lifetimes });
      const token = old.sign('password-reset', { uid: record!.id }, [record!.passwordHash, email]);
      await json(app)
        .post('/password/reset')
        .send({ token, password: 'rotated password' })
        .expect(204);
      await json(app).post('/login').send({ email, password: 'rotated password' }).expect(200);
      const foreign = new TokenService({
        secrets: ['another-key-0123456789abcdef0123'],
        lifetimes,
      });
      const bad = foreign.sign('password-reset', { uid: record!.id }, ['x', email]);
      await json(app)
        .post('/password/reset')
        .send({ token: bad, password: 'rotated again' })
        .expect(400);
    });
  });
});
