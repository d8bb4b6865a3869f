import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { loadConfig } from '../../src/config/load-config';
import { cookiePair, createSessionTestApp, sessionSetCookie } from '../support/session-test-app';
import { sessionAgent } from '../support/session-transaction';
import { PLATFORMS } from '../support/test-app';

// pallets/flask tests/test_basic.py session tests, ported where they apply. Flask's APPLICATION_ROOT and
// SERVER_NAME have no equivalent here; SESSION_COOKIE_PATH/DOMAIN cover test_session_path and
// test_session_using_application_root. Flask's tagged JSON (tuples, bytes, Markup) has no JS equivalent:
// values are JSON (see test_session_special_types below).
describe.each(PLATFORMS)('Flask session tests on %s', (platform) => {
  const apps: INestApplication[] = [];
  const boot = async (env: Record<string, string | undefined> = {}) => {
    const app = await createSessionTestApp({ HTTP_ADAPTER: platform, ...env });
    apps.push(app);
    return app;
  };
  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  it('test_session', async () => {
    const agent = sessionAgent(await boot());
    await agent.post('/s/set').send({ value: '42' });
    expect((await agent.get('/s')).body).toEqual({ value: '42' });
  });

  it('test_session_path', async () => {
    const app = await boot({ APP_SESSION_COOKIE_PATH: '/foo' });
    const res = await request(app.getHttpServer()).post('/s/set').send({ testing: 42 });
    expect(sessionSetCookie(res.headers)!.toLowerCase()).toContain('path=/foo');
  });

  it('test_session_using_session_settings', async () => {
    const app = await boot({
      APP_SESSION_COOKIE_DOMAIN: '.example.com',
      APP_SESSION_COOKIE_HTTPONLY: 'false',
      APP_SESSION_COOKIE_SECURE: 'true',
      APP_SESSION_COOKIE_PARTITIONED: 'true',
      APP_SESSION_COOKIE_SAMESITE: 'Lax',
      APP_SESSION_COOKIE_PATH: '/',
    });
    const set = await request(app.getHttpServer()).post('/s/set').send({ testing: 42 });
    const setCookie = sessionSetCookie(set.headers)!;
    const cookie = setCookie.toLowerCase();
    expect(cookie).toMatch(/domain=\.?example\.com/);
    expect(cookie).toContain('path=/');
    expect(cookie).toContain('secure');
    expect(cookie).not.toContain('httponly');
    expect(cookie).toContain('samesite');
    expect(cookie).toContain('partitioned');
    const cleared = await request(app.getHttpServer())
      .post('/s/delete/testing')
      .set('Cookie', cookiePair(setCookie));
    const gone = sessionSetCookie(cleared.headers)!.toLowerCase();
    expect(gone).toContain('session=;');
    expect(gone).toMatch(/domain=\.?example\.com/);
    expect(gone).toContain('path=/');
    expect(gone).toContain('secure');
    expect(gone).toContain('samesite');
    expect(gone).toContain('partitioned');
  });

  it.each([
    ['None', 'samesite=none'],
    ['Strict', 'samesite=strict'],
    ['Lax', 'samesite=lax'],
  ])('test_session_using_samesite_attribute: %s', async (sameSite, expected) => {
    const app = await boot({
      APP_SESSION_COOKIE_SAMESITE: sameSite,
      APP_SESSION_COOKIE_SECURE: 'true',
    });
    const res = await request(app.getHttpServer()).post('/s/set').send({ a: 1 });
    expect(sessionSetCookie(res.headers)!.toLowerCase()).toContain(expected);
  });

  it('test_session_using_samesite_attribute: an invalid value stops the boot', () => {
    expect(() =>
      loadConfig(
        { NODE_ENV: 'test', SECRET_KEY: 'k', APP_SESSION_COOKIE_SAMESITE: 'invalid' },
        () => undefined,
      ),
    ).toThrow('SESSION_COOKIE_SAMESITE');
  });

  it('test_session_secret_key_fallbacks', async () => {
    const first = await boot({ SECRET_KEY: '0 key', SECRET_KEY_FALLBACKS: '["-1 key","-2 key"]' });
    const set = await request(first.getHttpServer()).post('/s/set').send({ a: 1 });
    const cookie = cookiePair(sessionSetCookie(set.headers)!);
    expect((await request(first.getHttpServer()).get('/s').set('Cookie', cookie)).body).toEqual({
      a: 1,
    });
    const changed = await boot({ SECRET_KEY: '? key' });
    expect((await request(changed.getHttpServer()).get('/s').set('Cookie', cookie)).body).toEqual(
      {},
    );
    const rotated = await boot({
      SECRET_KEY: '+1 key',
      SECRET_KEY_FALLBACKS: '["0 key","-1 key"]',
    });
    expect((await request(rotated.getHttpServer()).get('/s').set('Cookie', cookie)).body).toEqual({
      a: 1,
    });
  });

  it('test_session_expiration', async () => {
    const agent = sessionAgent(await boot());
    const permanent = await agent.post('/s/permanent/true');
    const expires = /expires=([^;]+)/i.exec(sessionSetCookie(permanent.headers)!)![1];
    const expected = new Date(Date.now() + 31 * 24 * 3600 * 1000);
    expect(new Date(expires).toISOString().slice(0, 10)).toBe(expected.toISOString().slice(0, 10));
    expect((await agent.get('/s/meta')).body.permanent).toBe(true);
    const browserSession = await agent.post('/s/permanent/false');
    expect(sessionSetCookie(browserSession.headers)).not.toMatch(/expires=/i);
  });

  it('test_session_special_types: values are JSON; a Date comes back as its ISO string', async () => {
    const agent = sessionAgent(await boot());
    const now = new Date();
    const values = {
      t: [1, 2, 3],
      u: 'ünïcödé ☃',
      d: now,
      n: null,
      tag: { ' t': 'not-a-tuple' },
      deep: { a: [{ b: 1 }] },
    };
    await agent.post('/s/set').send(values);
    expect((await agent.get('/s')).body).toEqual({ ...values, d: now.toISOString() });
  });

  it.each([
    [true, 'true', true],
    [true, 'false', false],
    [false, 'true', false],
    [false, 'false', false],
  ])(
    'test_session_cookie_setting: permanent=%s refresh=%s -> cookie on a read: %s',
    async (permanent, refresh, expectHeader) => {
      const agent = sessionAgent(await boot({ APP_SESSION_REFRESH_EACH_REQUEST: refresh }));
      await agent.post(`/s/permanent/${permanent}`);
      await agent.post('/s/cart').send({ item: 'a' });
      const read = await agent.get('/s');
      expect(sessionSetCookie(read.headers) !== undefined).toBe(expectHeader);
      expect(read.body).toEqual({ marker: 1, cart: ['a'] });
    },
  );

  it('test_session_vary_cookie', async () => {
    const agent = sessionAgent(await boot());
    const expectVary = (res: request.Response, value: string | undefined) => {
      expect(res.headers['vary']).toBe(value);
      expect(
        res.headers['vary']?.split(',').filter((v: string) => v.trim() === 'Cookie').length ?? 0,
      ).toBeLessThanOrEqual(1);
    };
    expectVary(await agent.post('/s/set').send({ test: 'test' }), 'Cookie');
    expectVary(await agent.get('/s'), 'Cookie');
    expectVary(await agent.get('/s/meta'), 'Cookie');
    expectVary(await agent.post('/s/clear'), 'Cookie');
    expectVary(await agent.get('/s/vary-preset'), 'Accept-Encoding, Accept-Language, Cookie');
    expectVary(await agent.get('/s/untouched'), undefined);
  });

  it('test_session_refresh_vary', async () => {
    const agent = sessionAgent(await boot());
    expect((await agent.post('/s/permanent/true')).headers['vary']).toBe('Cookie');
    expect((await agent.get('/s/untouched')).headers['vary']).toBe('Cookie');
  });
});
