import { freePort } from '../support/app-process';
import { describeWithPostgres, POSTGRES_URL, testDatabases } from '../support/database';
import { SEED_EMAIL, SEED_PASSWORD, uniqueEmail } from '../support/auth-setup';
import { HostileTarget, signIn, startHostileTarget } from '../support/reliability/apps';
import { jsonOf, RawClient, RawResponse } from '../support/reliability/http-client';
import {
  eventually,
  hasRedisServer,
  RedisServerProcess,
} from '../support/reliability/redis-server';
import { describeWithRedis } from '../support/redis';
import { TcpProxy } from '../support/tcp-proxy';
import { PLATFORMS } from '../support/test-app';

const JSON_HEADERS = { Accept: 'application/json', 'Content-Type': 'application/json' };

const errorOf = (res: RawResponse) => String((jsonOf(res) as { error?: unknown })?.error);

function get(client: RawClient, path: string, cookie?: string) {
  return client.send({ path, headers: { ...JSON_HEADERS, ...(cookie ? { Cookie: cookie } : {}) } });
}

function post(client: RawClient, path: string, body: object, cookie?: string) {
  return client.send({
    method: 'POST',
    path,
    headers: { ...JSON_HEADERS, ...(cookie ? { Cookie: cookie } : {}) },
    body: JSON.stringify(body),
  });
}

async function expectReady(client: RawClient): Promise<void> {
  expect((await get(client, '/readyz')).status).toBe(200);
}

/** The session store unreachable, on the whole app: session routes 503 naming Redis, probes honest, no restart. */
describeWithRedis('reliability: Redis cut while the app serves', (url) => {
  describe.each(PLATFORMS)('on %s', (platform) => {
    const target = new URL(url);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 6379));
    let app: HostileTarget;

    beforeAll(async () => {
      await proxy.start();
      app = await startHostileTarget(platform, 'redis', {
        REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
      });
    });
    afterAll(async () => {
      await app?.close();
      await proxy.stop();
    });

    it('answers 503 naming Redis, keeps /healthz 200, /readyz 503, then resumes with the data kept', async () => {
      const { cookie } = await signIn(app.client);
      expect((await post(app.client, '/cart/items', { item: 'before' }, cookie)).status).toBe(201);

      await proxy.stop();
      for (const res of [
        await get(app.client, '/dashboard', cookie),
        await get(app.client, '/cart', cookie),
        await post(app.client, '/cart/items', { item: 'during' }, cookie),
      ]) {
        expect(res.status).toBe(503);
        expect(errorOf(res)).toContain('Redis');
      }
      expect((await get(app.client, '/healthz')).status).toBe(200);
      const ready = await get(app.client, '/readyz');
      expect(ready.status).toBe(503);
      expect(errorOf(ready)).toContain('session store (Redis');

      await proxy.start();
      await eventually(() => expectReady(app.client));
      expect((await get(app.client, '/dashboard', cookie)).status).toBe(200);
      expect(jsonOf(await get(app.client, '/cart', cookie))).toEqual({ items: ['before'] });
    });
  });
});

const NO_REDIS_SERVER =
  'redis-server is not on PATH: the restart test starts and stops its own (apt-get install redis-server)';

/** `describe` when `redis-server` can be started; else a skip with the reason, or under `CI` a failure. */
function describeWithRedisServer(name: string, body: () => void): void {
  if (hasRedisServer()) return describe(name, body);
  if (process.env.CI)
    return describe(name, () =>
      it('needs redis-server', () => {
        throw new Error(`${NO_REDIS_SERVER} (CI is set, so this fails)`);
      }),
    );
  process.stderr.write(`SKIP ${name}: ${NO_REDIS_SERVER}\n`);
  describe.skip(name, body);
}

/** A real `redis-server` stopped and started again: the app never restarts; with no persistence, sessions are gone. */
describeWithRedisServer('reliability: a real redis-server restart', () => {
  let redis: RedisServerProcess;
  let app: HostileTarget;

  beforeAll(async () => {
    redis = new RedisServerProcess(await freePort());
    await redis.start();
    app = await startHostileTarget('fastify', 'redis', { REDIS_URL: redis.url });
  });
  afterAll(async () => {
    await app?.close();
    await redis?.stop();
  });

  it('answers 503 while it is down and serves again once it is back, without an app restart', async () => {
    const { cookie } = await signIn(app.client);
    await redis.stop();
    const down = await get(app.client, '/dashboard', cookie);
    expect(down.status).toBe(503);
    expect(errorOf(down)).toContain('Redis');
    expect((await get(app.client, '/healthz')).status).toBe(200);
    expect((await get(app.client, '/readyz')).status).toBe(503);

    await redis.start();
    await eventually(() => expectReady(app.client));
    // `--save ""`: the restarted server is empty, so the old session is an empty one (401, not a 5xx).
    expect((await get(app.client, '/dashboard', cookie)).status).toBe(401);
    const again = await signIn(app.client);
    expect((await get(app.client, '/dashboard', again.cookie)).status).toBe(200);
  });
});

/** The database cut after boot: logins and registrations get 503 with a clear message; nothing crashes. */
describeWithPostgres('reliability: PostgreSQL cut while the app serves', () => {
  const target = new URL(POSTGRES_URL);
  const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
  const dbs = testDatabases('postgres');
  let app: HostileTarget;

  beforeAll(async () => {
    await proxy.start();
    const url = new URL(await dbs.fresh());
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    app = await startHostileTarget('express', 'cookie', { DATABASE_URL: url.toString() });
  });
  afterAll(async () => {
    await app?.close();
    await proxy.stop();
  });

  it('answers POST /login and /register with 503 naming the database, then recovers', async () => {
    const before = await signIn(app.client);
    await proxy.stop();
    const login = await post(app.client, '/login', { email: SEED_EMAIL, password: SEED_PASSWORD });
    expect(login.status).toBe(503);
    expect(errorOf(login)).toMatch(/^the database is unavailable \(.+\); check DATABASE_URL/);
    expect(errorOf(login)).not.toMatch(/postgres:\/\/|127\.0\.0\.1/);
    const register = await post(app.client, '/register', {
      email: uniqueEmail('outage'),
      password: 'long-enough-password',
    });
    expect(register.status).toBe(503);
    expect((await get(app.client, '/dashboard', before.cookie)).status).toBe(503);
    expect((await get(app.client, '/healthz')).status).toBe(200);
    const ready = await get(app.client, '/readyz');
    expect(ready.status).toBe(503);
    expect(errorOf(ready)).toContain('database');

    await proxy.start();
    await eventually(() => expectReady(app.client));
    expect((await get(app.client, '/dashboard', before.cookie)).status).toBe(200);
    await signIn(app.client);
  });
});
