import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { payload, sealCookie } from '../support/forge-cookie';
import { cookiePair, createSessionTestApp, sessionSetCookie } from '../support/session-test-app';
import { PLATFORMS, TEST_SECRET_KEY } from '../support/test-app';

const DAY_MS = 24 * 3600 * 1000;

describe.each(PLATFORMS)('cookie store on %s', (platform) => {
  let app: INestApplication;
  const get = (cookie: string) => request(app.getHttpServer()).get('/s').set('Cookie', cookie);

  beforeAll(async () => {
    app = await createSessionTestApp({ HTTP_ADAPTER: platform });
  });
  afterAll(async () => {
    await app.close();
  });

  it('encrypts the payload: the cookie does not show the data', async () => {
    const res = await request(app.getHttpServer()).post('/s/set').send({ card: 'visible-secret' });
    const value = cookiePair(sessionSetCookie(res.headers)!).split('=')[1];
    expect(Buffer.from(value, 'base64url').toString('latin1')).not.toContain('visible-secret');
    expect((await get(`session=${value}`)).body).toEqual({ card: 'visible-secret' });
  });

  it('opens a cookie sealed under a key derived from SECRET_KEY', async () => {
    expect((await get(`session=${sealCookie(payload({ a: 1 }))}`)).body).toEqual({ a: 1 });
  });

  it('refuses a cookie sealed under another key', async () => {
    expect((await get(`session=${sealCookie(payload({ a: 1 }), 'another-key')}`)).body).toEqual({});
  });

  it('refuses a permanent session older than PERMANENT_SESSION_LIFETIME, whatever the browser sends', async () => {
    expect((await get(`session=${sealCookie(payload({ a: 1 }, 30 * DAY_MS, true))}`)).body).toEqual(
      { a: 1 },
    );
    expect((await get(`session=${sealCookie(payload({ a: 1 }, 32 * DAY_MS, true))}`)).body).toEqual(
      {},
    );
  });

  it('bounds a non-permanent session by the same lifetime', async () => {
    expect(
      (await get(`session=${sealCookie(payload({ a: 1 }, 32 * DAY_MS, false))}`)).body,
    ).toEqual({});
  });

  it.each([
    ['not JSON', 'this is not json'],
    ['JSON but not a session', '[1,2,3]'],
    ['data that is not an object', payload('[1]')],
  ])('reads a sealed payload that is %s as an empty session', async (_kind, text) => {
    const res = await get(`session=${sealCookie(text)}`).expect(200);
    expect(res.body).toEqual({});
  });

  it('cannot pollute prototypes through __proto__ or constructor keys', async () => {
    const hostile =
      '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"ok":{"__proto__":{"polluted":true}}}';
    const res = await get(`session=${sealCookie(payload(hostile))}`).expect(200);
    expect(res.body).toEqual({ ok: {} });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(res.body.ok)).toBe(Object.prototype);
  });
});

describe.each(PLATFORMS)('cookie store key rotation on %s', (platform) => {
  const apps: INestApplication[] = [];
  const boot = async (env: Record<string, string>) => {
    const app = await createSessionTestApp({ HTTP_ADAPTER: platform, ...env });
    apps.push(app);
    return app;
  };
  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  it('reads a cookie of a fallback key and re-issues it under the current key in the same response', async () => {
    const old = await boot({ SECRET_KEY: TEST_SECRET_KEY });
    const set = await request(old.getHttpServer()).post('/s/set').send({ a: 1 });
    const oldCookie = cookiePair(sessionSetCookie(set.headers)!);

    const rotated = await boot({
      SECRET_KEY: 'the-new-key',
      SECRET_KEY_FALLBACKS: JSON.stringify([TEST_SECRET_KEY]),
    });
    const read = await request(rotated.getHttpServer())
      .get('/s')
      .set('Cookie', oldCookie)
      .expect(200);
    expect(read.body).toEqual({ a: 1 });
    const reissued = sessionSetCookie(read.headers);
    expect(reissued).toBeDefined();

    const done = await boot({ SECRET_KEY: 'the-new-key' });
    const after = await request(done.getHttpServer())
      .get('/s')
      .set('Cookie', cookiePair(reissued!));
    expect(after.body).toEqual({ a: 1 });
    expect((await request(done.getHttpServer()).get('/s').set('Cookie', oldCookie)).body).toEqual(
      {},
    );
  });

  it('does not re-issue a cookie that the current key opened', async () => {
    const app = await boot({
      SECRET_KEY: 'the-new-key',
      SECRET_KEY_FALLBACKS: JSON.stringify([TEST_SECRET_KEY]),
    });
    const set = await request(app.getHttpServer()).post('/s/set').send({ a: 1 });
    const read = await request(app.getHttpServer())
      .get('/s')
      .set('Cookie', cookiePair(sessionSetCookie(set.headers)!));
    expect(sessionSetCookie(read.headers)).toBeUndefined();
  });
});

describe.each(PLATFORMS)('MAX_COOKIE_SIZE on %s', (platform) => {
  const apps: INestApplication[] = [];
  afterAll(async () => {
    for (const app of apps) await app.close();
  });
  const boot = async (maxCookieSize: string) => {
    const app = await createSessionTestApp({
      HTTP_ADAPTER: platform,
      APP_MAX_COOKIE_SIZE: maxCookieSize,
      APP_SESSION_COOKIE_DOMAIN: 'example.test',
    });
    apps.push(app);
    return app;
  };

  it('refuses an oversized session with 413 naming the size and SESSION_STORE=redis; the old cookie stays', async () => {
    const app = await boot('4093');
    const agent = request.agent(app.getHttpServer());
    const first = await agent.post('/s/set').send({ kept: true }).expect(200);
    const cookie = cookiePair(sessionSetCookie(first.headers)!);
    const res = await request(app.getHttpServer())
      .post('/s/big/5000')
      .set('Cookie', cookie)
      .set('Accept', 'application/json')
      .expect(413);
    expect(res.body.error).toMatch(/would be \d+ bytes, over MAX_COOKIE_SIZE \(4093 bytes\)/);
    expect(res.body.error).toContain('SESSION_STORE=redis');
    expect(sessionSetCookie(res.headers)).toBeUndefined();
    expect((await request(app.getHttpServer()).get('/s').set('Cookie', cookie)).body).toEqual({
      kept: true,
    });
  });

  it('counts the whole Set-Cookie value, attributes included', async () => {
    const unlimited = await boot('0');
    const res = await request(unlimited.getHttpServer()).post('/s/big/100').expect(200);
    const header = sessionSetCookie(res.headers)!;
    const valueBytes = Buffer.byteLength(cookiePair(header));
    const limited = await boot(String(Buffer.byteLength(header) - 1));
    expect(Buffer.byteLength(header) - 1).toBeGreaterThan(valueBytes);
    await request(limited.getHttpServer()).post('/s/big/100').expect(413);
  });

  it('turns the guard off with MAX_COOKIE_SIZE=0', async () => {
    const app = await boot('0');
    const res = await request(app.getHttpServer()).post('/s/big/5000').expect(200);
    expect(sessionSetCookie(res.headers)).toBeDefined();
  });
});
