import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { deleteKeys, describeWithRedis, uniquePrefix } from '../support/redis';
import { PassportTestModule } from '../support/passport-test.module';
import { cookiePair, createSessionTestApp, sessionSetCookie } from '../support/session-test-app';
import { sessionAgent } from '../support/session-transaction';

/** Passport 0.7 on the Express platform: `req.login` and `req.logout` call `regenerate` and `save`. */
function describePassport(store: string, makeEnv: () => Record<string, string>): void {
  describe(`Passport 0.7 login and logout with the ${store} store (express)`, () => {
    let app: INestApplication;
    beforeAll(async () => {
      app = await createSessionTestApp({ HTTP_ADAPTER: 'express', ...makeEnv() }, [
        PassportTestModule,
      ]);
    });
    afterAll(async () => {
      await app.close();
    });

    it('logs in with a regenerated session, stays logged in, and logs out', async () => {
      const agent = sessionAgent(app);
      const anonymous = await agent.post('/s/set').send({ anonymous_cart: ['x'] });
      const anonymousCookie = cookiePair(sessionSetCookie(anonymous.headers)!);

      const login = await agent
        .post('/p/login')
        .send({ email: 'test@example.com', password: 'password' })
        .expect(200);
      const loginCookie = cookiePair(sessionSetCookie(login.headers)!);
      expect(loginCookie).not.toBe(anonymousCookie);
      expect((await agent.get('/p/me').expect(200)).body).toEqual({
        user: { id: 1, email: 'test@example.com' },
      });
      expect((await agent.get('/s')).body).toEqual({ passport: { user: 1 } }); // anonymous data dropped

      const logout = await agent.post('/p/logout').expect(204);
      expect(sessionSetCookie(logout.headers)).toMatch(/^session=;/);
      expect((await agent.get('/p/me')).body).toEqual({ user: null });

      const replay = await request(app.getHttpServer()).get('/p/me').set('Cookie', loginCookie);
      // Stores revoke on logout; a cookie-store cookie copied before logout stays valid until it expires.
      expect(replay.body).toEqual(
        store === 'cookie' ? { user: { id: 1, email: 'test@example.com' } } : { user: null },
      );
    });

    it('refuses wrong credentials without setting a session cookie', async () => {
      const res = await request(app.getHttpServer())
        .post('/p/login')
        .send({ email: 'test@example.com', password: 'nope' })
        .expect(401);
      expect(sessionSetCookie(res.headers)).toBeUndefined();
    });
  });
}

describePassport('cookie', () => ({ SESSION_STORE: 'cookie' }));
describePassport('memory', () => ({ SESSION_STORE: 'memory' }));
describeWithRedis('Passport with Redis', (url) => {
  const prefix = uniquePrefix('passport');
  afterAll(() => deleteKeys(url, prefix));
  describePassport('redis', () => ({
    SESSION_STORE: 'redis',
    REDIS_URL: url,
    APP_SESSION_KEY_PREFIX: prefix,
  }));
});
