import { INestApplication } from '@nestjs/common';
import { createClient } from 'redis';
import request from 'supertest';
import { SessionHealth, SessionStoreUnavailableError } from '../../src/session';
import { deleteKeys, describeWithRedis, uniquePrefix } from '../support/redis';
import { cookiePair, createSessionTestApp, sessionSetCookie } from '../support/session-test-app';
import { TcpProxy } from '../support/tcp-proxy';
import { PLATFORMS, TEST_SECRET_KEY } from '../support/test-app';

const LIFETIME_SECONDS = 31 * 24 * 3600;

async function fiftyParallelCartWrites(app: INestApplication): Promise<unknown> {
  const server = app.getHttpServer();
  const first = await request(server).post('/s/cart').send({ item: 'item-0' }).expect(201);
  const cookie = cookiePair(sessionSetCookie(first.headers)!);
  const writes = Array.from({ length: 49 }, (_, i) =>
    request(server)
      .post('/s/cart')
      .set('Cookie', cookie)
      .send({ item: `item-${i + 1}` })
      .expect(201),
  );
  await Promise.all(writes);
  return (await request(server).get('/s').set('Cookie', cookie)).body;
}

describe.each(PLATFORMS)('memory store on %s', (platform) => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createSessionTestApp({ HTTP_ADAPTER: platform, SESSION_STORE: 'memory' });
  });
  afterAll(async () => {
    await app.close();
  });

  it('puts only a signed id in the cookie (s:<id>.<signature>)', async () => {
    const res = await request(app.getHttpServer()).post('/s/set').send({ card: 'server-side' });
    const value = decodeURIComponent(cookiePair(sessionSetCookie(res.headers)!).split('=')[1]);
    expect(value).toMatch(/^s:[\w-]+\.[\w+/]+$/);
    expect(value).not.toContain('server-side');
  });

  it('refuses an id whose signature does not verify', async () => {
    const res = await request(app.getHttpServer()).post('/s/set').send({ a: 1 });
    const value = decodeURIComponent(cookiePair(sessionSetCookie(res.headers)!).split('=')[1]);
    const forged = `s:${value.slice(2).split('.')[0]}.${'A'.repeat(43)}`;
    const read = await request(app.getHttpServer())
      .get('/s')
      .set('Cookie', `session=${encodeURIComponent(forged)}`);
    expect(read.body).toEqual({});
  });

  it('serialises parallel writes to one session: fifty cart writes leave fifty items', async () => {
    const body = (await fiftyParallelCartWrites(app)) as { cart: string[] };
    expect(body.cart).toHaveLength(50);
  });
});

describeWithRedis('redis store', (url) => {
  const prefix = uniquePrefix('store');
  const redis = createClient({ url });
  const apps: INestApplication[] = [];
  const boot = async (env: Record<string, string | undefined>) => {
    const app = await createSessionTestApp({
      SESSION_STORE: 'redis',
      REDIS_URL: url,
      APP_SESSION_KEY_PREFIX: prefix,
      ...env,
    });
    apps.push(app);
    return app;
  };

  beforeAll(() => redis.connect());
  afterAll(async () => {
    for (const app of apps) await app.close();
    await deleteKeys(url, prefix);
    redis.destroy();
  });

  describe.each(PLATFORMS)('on %s', (platform) => {
    it('keeps the data in Redis under the prefix: an hour for a visitor, the lifetime once signed in', async () => {
      const app = await boot({ HTTP_ADAPTER: platform });
      const anonymous = await request(app.getHttpServer()).post('/s/set').send({ a: 1 });
      const cookie = cookiePair(sessionSetCookie(anonymous.headers)!);
      const id = decodeURIComponent(cookie.split('=')[1]).slice(2).split('.')[0];
      const stored = JSON.parse((await redis.get(`${prefix}${id}`))!);
      expect(stored.data).toEqual({ a: 1 });
      const ttl = () => redis.ttl(`${prefix}${id}`);
      expect(await ttl()).toBeGreaterThan(3600 - 10);
      expect(await ttl()).toBeLessThanOrEqual(3600);

      await request(app.getHttpServer()).post('/s/set').set('Cookie', cookie).send({ user_id: 1 });

      expect(await ttl()).toBeGreaterThan(LIFETIME_SECONDS - 10);
      expect(await ttl()).toBeLessThanOrEqual(LIFETIME_SECONDS);
    });

    it('verifies with every key and re-issues a fallback-signed id under the current key', async () => {
      const old = await boot({ HTTP_ADAPTER: platform });
      const set = await request(old.getHttpServer()).post('/s/set').send({ a: 1 });
      const oldCookie = cookiePair(sessionSetCookie(set.headers)!);
      const rotated = await boot({
        HTTP_ADAPTER: platform,
        SECRET_KEY: 'new-key',
        SECRET_KEY_FALLBACKS: JSON.stringify([TEST_SECRET_KEY]),
      });
      const read = await request(rotated.getHttpServer()).get('/s').set('Cookie', oldCookie);
      expect(read.body).toEqual({ a: 1 });
      const reissued = cookiePair(sessionSetCookie(read.headers)!);
      expect(reissued).not.toBe(oldCookie);
      const done = await boot({ HTTP_ADAPTER: platform, SECRET_KEY: 'new-key' });
      expect((await request(done.getHttpServer()).get('/s').set('Cookie', reissued)).body).toEqual({
        a: 1,
      });
      expect((await request(done.getHttpServer()).get('/s').set('Cookie', oldCookie)).body).toEqual(
        {},
      );
    });

    it('serialises parallel writes to one session: fifty cart writes leave fifty items', async () => {
      const app = await boot({ HTTP_ADAPTER: platform });
      const body = (await fiftyParallelCartWrites(app)) as { cart: string[] };
      expect(body.cart).toHaveLength(50);
      expect(new Set(body.cart).size).toBe(50);
    });
  });

  describe.each(PLATFORMS)('when Redis goes away, on %s', (platform) => {
    const proxy = new TcpProxy(new URL(url).hostname, Number(new URL(url).port || 6379));
    let app: INestApplication;
    let health: SessionHealth;

    beforeAll(async () => {
      await proxy.start();
      app = await boot({ HTTP_ADAPTER: platform, REDIS_URL: `redis://127.0.0.1:${proxy.port}` });
      health = app.get(SessionHealth);
    });
    afterAll(() => proxy.stop());

    it('answers 503 naming Redis for session requests, keeps /healthz at 200, and resumes by itself', async () => {
      const server = app.getHttpServer();
      const set = await request(server).post('/s/set').send({ a: 1 }).expect(200);
      const cookie = cookiePair(sessionSetCookie(set.headers)!);
      await health.ping();

      await proxy.stop();
      const down = await request(server)
        .get('/s')
        .set('Cookie', cookie)
        .set('Accept', 'application/json')
        .expect(503);
      expect(down.body.error).toContain('Redis');
      expect(sessionSetCookie(down.headers)).toBeUndefined();
      await request(server).post('/s/set').send({ b: 2 }).expect(503);
      await request(server).get('/healthz').set('Cookie', cookie).expect(200);
      await request(server).get('/s/untouched').set('Cookie', cookie).expect(200);
      await expect(health.ping()).rejects.toThrow(SessionStoreUnavailableError);

      await proxy.start();
      await waitFor(() => health.ping());
      expect((await request(server).get('/s').set('Cookie', cookie).expect(200)).body).toEqual({
        a: 1,
      });
    });
  });

  it('boots without waiting forever when Redis is down, then answers 503', async () => {
    const started = Date.now();
    const app = await boot({ REDIS_URL: 'redis://127.0.0.1:1' });
    expect(Date.now() - started).toBeLessThan(10_000);
    const res = await request(app.getHttpServer()).post('/s/set').send({ a: 1 }).expect(503);
    expect(res.body.error).toContain('Redis');
    await expect(app.get(SessionHealth).ping()).rejects.toThrow(SessionStoreUnavailableError);
  });
});

async function waitFor(check: () => Promise<unknown>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
