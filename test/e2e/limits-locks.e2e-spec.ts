import { request as httpRequest } from 'node:http';
import * as net from 'node:net';
import { HttpAdapterKind, SessionStoreKind } from '../../src/config/app-config';
import { jsonOf, RawClient, RawResponse, setCookiePair } from '../support/reliability/http-client';
import { HostileTarget, signIn, startHostileTarget } from '../support/reliability/apps';
import { createClient } from 'redis';
import type { RedisClient } from '../../src/redis/redis-client';
import { RedisSessionWrites } from '../../src/session/backends/store/redis-writes';
import { freePort } from '../support/app-process';
import { hasRedisServer, RedisServerProcess } from '../support/reliability/redis-server';
import { describeWithRedis, uniquePrefix } from '../support/redis';
import { describeIfAvailable } from '../support/service-available';
import { PLATFORMS } from '../support/test-app';

const JSON_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The app with the test-only `/s` routes on a real port, one store, and what to clean up after. */
function listening(
  platform: HttpAdapterKind,
  store: SessionStoreKind,
  env: Record<string, string> = {},
): Promise<HostileTarget> {
  return startHostileTarget(platform, store, env, { withSessionRoutes: true });
}

/** A JSON request with the session cookie, timed. */
async function timed(
  client: RawClient,
  method: string,
  route: string,
  cookie: string,
  body?: object,
): Promise<RawResponse & { ms: number }> {
  const started = Date.now();
  const res = await client.send({
    method,
    path: route,
    headers:
      method === 'GET'
        ? { Accept: 'application/json', Cookie: cookie }
        : { ...JSON_HEADERS, Cookie: cookie },
    // A JSON POST (CSRF-exempt) needs a body: Fastify refuses an empty one with 400.
    body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
    fresh: true,
  });
  return { ...res, ms: Date.now() - started };
}

/** A request whose client gives up after `giveUpMs`: the socket is destroyed before any answer. */
function abandoned(port: number, route: string, cookie: string, giveUpMs: number): Promise<void> {
  return new Promise((resolve) => {
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: route,
      headers: { ...JSON_HEADERS, Cookie: cookie },
      agent: false,
    });
    req.on('error', () => resolve());
    req.on('response', () => resolve());
    req.end(JSON.stringify({ item: 'abandoned' }));
    setTimeout(() => {
      req.destroy();
      resolve();
    }, giveUpMs);
  });
}

function eachStore(body: (platform: HttpAdapterKind, store: SessionStoreKind) => void): void {
  for (const platform of PLATFORMS) {
    describe(`on ${platform}, memory store`, () => body(platform, 'memory'));
    describeWithRedis(`on ${platform}, redis store`, () => body(platform, 'redis'));
  }
}

describe('no lock outlives its request', () => {
  eachStore((platform, store) => {
    let target: HostileTarget;
    beforeAll(async () => {
      target = await listening(platform, store);
    });
    afterAll(() => target?.close());

    it('lets a write whose client gave up while waiting leave the queue: the next write and the logout answer at once', async () => {
      const { cookie } = await signIn(target.client);
      const slow = timed(target.client, 'POST', '/s/slow/1500', cookie);
      await sleep(100);
      await abandoned(target.client.port, '/cart/items', cookie, 300);
      expect((await slow).status).toBe(200);

      const next = await timed(target.client, 'POST', '/cart/items', cookie, { item: 'next' });
      expect(next.status).toBe(201);
      expect(next.ms).toBeLessThan(1000);
      const logout = await timed(target.client, 'POST', '/logout', cookie);
      expect(logout.status).toBe(204);
      expect(logout.ms).toBeLessThan(1000);
    });

    it('answers eight parallel page views of a session right after its login with 200, every time', async () => {
      for (let round = 0; round < 5; round++) {
        const { cookie } = await signIn(target.client);
        const views = ['/', '/dashboard', '/cart', '/', '/dashboard', '/cart', '/', '/dashboard'];
        const pages = await Promise.all(
          views.map((route) =>
            target.client.send({ path: route, headers: { Accept: 'text/html', Cookie: cookie } }),
          ),
        );
        expect(pages.map((page) => page.status)).toEqual(views.map(() => 200));
        // A page view never writes the session: no new cookie, the signed-in one carries on.
        expect(pages.map((page) => setCookiePair(page, 'session'))).toEqual(
          views.map(() => undefined),
        );
      }
    });
  });
});

describe('a body trickled one byte every 2 s', () => {
  eachStore((platform, store) => {
    const REQUEST_TIMEOUT_S = 4;
    let target: HostileTarget;
    beforeAll(async () => {
      target = await listening(platform, store, { APP_REQUEST_TIMEOUT: String(REQUEST_TIMEOUT_S) });
    });
    afterAll(() => target?.close());

    it('holds no lock: another write to the session answers at once; the trickle gets 408 or a closed socket in time', async () => {
      const { cookie } = await signIn(target.client);
      const started = Date.now();
      const socket = net.connect(target.client.port, '127.0.0.1');
      let answer = '';
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
      const closed = new Promise<number>((resolve) =>
        socket.on('close', () => resolve(Date.now())),
      );
      socket.on('error', () => undefined);
      const body = JSON.stringify({ item: 'trickled-item' });
      socket.write(
        `POST /cart/items HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookie}\r\n` +
          `Content-Type: application/json\r\nAccept: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      );
      const trickle = setInterval(() => socket.writable && socket.write(body[0]), 2000);
      try {
        await sleep(300);
        const other = await timed(target.client, 'POST', '/cart/items', cookie, { item: 'other' });
        expect(other.status).toBe(201);
        expect(other.ms).toBeLessThan(1000);

        const end = await closed;
        expect(end - started).toBeLessThan((REQUEST_TIMEOUT_S + 2) * 1000);
        if (answer !== '') expect(answer).toMatch(/^HTTP\/1\.1 408 /);
        expect(answer).not.toMatch(/trickled-item/);
      } finally {
        clearInterval(trickle);
        socket.destroy();
      }
    }, 20_000);
  });
});

/** A Redis of the test's own (pausing the shared one would stall every other test on the machine). */
async function ownRedis(): Promise<RedisServerProcess> {
  const server = new RedisServerProcess(await freePort());
  await server.start();
  return server;
}

describeIfAvailable(
  'while Redis stalls (CLIENT PAUSE on a Redis of its own)',
  hasRedisServer() ? undefined : 'redis-server is not on PATH (apt-get install redis-server)',
  () => {
    describe.each(PLATFORMS)('on %s', (platform) => {
      let server: RedisServerProcess;
      let admin: RedisClient;
      let target: HostileTarget;
      beforeAll(async () => {
        server = await ownRedis();
        admin = createClient({ url: server.url });
        await admin.connect();
        target = await listening(platform, 'redis', { REDIS_URL: server.url });
      });
      afterAll(async () => {
        await target?.close();
        admin?.destroy();
        await server?.stop();
      });

      it('answers a signed-in write, a visitor page view and a dashboard read within 3.5 s, recovers, and loses nothing acknowledged', async () => {
        const { cookie } = await signIn(target.client);
        const before = await timed(target.client, 'POST', '/cart/items', cookie, {
          item: 'before',
        });
        expect(before.status).toBe(201);

        await admin.sendCommand(['CLIENT', 'PAUSE', '9000', 'ALL']);
        const pausedAt = Date.now();
        const [write, visitor, dashboard] = await Promise.all([
          timed(target.client, 'POST', '/cart/items', cookie, { item: 'during' }),
          timedPage(target.client, '/'),
          timed(target.client, 'GET', '/dashboard', cookie),
        ]);
        const took = { write: write.ms, visitor: visitor.ms, dashboard: dashboard.ms };
        expect(Math.max(...Object.values(took))).toBeLessThan(3500);
        expect(write.status).toBe(503);
        expect(write.headers['retry-after']).toBeDefined();
        expect(String((jsonOf(write) as { error: string }).error)).toMatch(/Redis/);
        expect(visitor.status).toBe(200);
        expect(dashboard.status).toBe(503);

        await sleep(Math.max(0, 9000 - (Date.now() - pausedAt)) + 300);
        const after = await timed(target.client, 'POST', '/cart/items', cookie, { item: 'after' });
        expect(after.status).toBe(201);
        const cart = await timed(target.client, 'GET', '/cart', cookie);
        expect(jsonOf(cart)).toEqual({ items: ['before', 'after'] });
      }, 30_000);

      it('never lets a compare-and-set that Redis runs after the app gave up on it write', async () => {
        const client = createClient({ url: server.url });
        await client.connect();
        try {
          const prefix = uniquePrefix('late-write');
          const writes = new RedisSessionWrites(client, prefix, 'Redis at REDIS_URL');
          const stored = '{"v":1,"data":{"cart":["kept"]}}';
          await client.set(`${prefix}id`, stored);
          await admin.sendCommand(['CLIENT', 'PAUSE', '3500', 'ALL']);
          const started = Date.now();
          const late = writes.setIfVersion(
            'id',
            '{"v":2,"data":{"cart":["late"]}}',
            1,
            60_000,
            null,
          );
          await expect(late).rejects.toMatchObject({ status: 503 });
          expect(Date.now() - started).toBeLessThan(3000);
          await sleep(Math.max(0, 3500 - (Date.now() - started)) + 200);
          expect(await client.get(`${prefix}id`)).toBe(stored);
        } finally {
          client.destroy();
        }
      }, 15_000);
    });
  },
);

async function timedPage(client: RawClient, route: string): Promise<RawResponse & { ms: number }> {
  const started = Date.now();
  const res = await client.send({ path: route, headers: { Accept: 'text/html' }, fresh: true });
  return { ...res, ms: Date.now() - started };
}
