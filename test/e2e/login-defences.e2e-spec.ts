import { INestApplication } from '@nestjs/common';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request, { Response } from 'supertest';
import { LIMITS } from '../../src/auth/login-throttle.service';
import { HttpAdapterKind } from '../../src/config/app-config';
import { uniqueEmail } from '../support/auth-setup';
import { eventually } from '../support/reliability/redis-server';
import { deleteKeys, describeWithRedis, REDIS_URL, uniquePrefix } from '../support/redis';
import { TcpProxy } from '../support/tcp-proxy';
import { createTestApp, PLATFORMS } from '../support/test-app';

type Counters = 'memory' | 'redis';

const PASSWORD = 'correct-horse';

/** The app behind one trusted proxy hop, so each request can name its client in `X-Forwarded-For`. */
function defendedApp(
  platform: HttpAdapterKind,
  counters: Counters,
  env: Record<string, string> = {},
) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'defences-'));
  const prefix = uniquePrefix(`defences-${platform}`);
  let app: INestApplication;
  return {
    start: async () => {
      app = await createTestApp({
        HTTP_ADAPTER: platform,
        TRUST_PROXY: '1',
        INSTANCE_PATH: dir,
        DATABASE_URL: `sqlite:${path.join(dir, 'app.sqlite')}`,
        APP_SESSION_KEY_PREFIX: prefix,
        ...(counters === 'redis' ? { REDIS_URL: REDIS_URL ?? '' } : {}),
        ...env,
      });
      return app;
    },
    stop: async () => {
      await app?.close();
      fs.rmSync(dir, { recursive: true, force: true });
      if (REDIS_URL) await deleteKeys(REDIS_URL, prefix);
    },
  };
}

function login(app: INestApplication, email: string, password: string, from: string) {
  return request(app.getHttpServer())
    .post('/login')
    .set('X-Forwarded-For', from)
    .send({ email, password });
}

function register(app: INestApplication, email: string, from: string) {
  return request(app.getHttpServer())
    .post('/register')
    .set('X-Forwarded-For', from)
    .send({ email, password: PASSWORD });
}

const statuses = (responses: Response[]) => responses.map((r) => r.status).sort();

function expectRetryAfter(res: Response): void {
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  expect(typeof res.body.error).toBe('string');
}

function describeCounters(counters: Counters, name: string, body: () => void): void {
  if (counters === 'redis') describeWithRedis(name, body);
  else describe(name, body);
}

for (const platform of PLATFORMS) {
  for (const counters of ['memory', 'redis'] as const) {
    describeCounters(counters, `login defences on ${platform}, counters in ${counters}`, () => {
      const target = defendedApp(platform, counters);
      let app: INestApplication;
      beforeAll(async () => {
        app = await target.start();
      });
      afterAll(() => target.stop());

      it('checks at most 5 of 30 parallel wrong passwords for one email; the rest get 429 unchecked', async () => {
        const email = uniqueEmail('parallel');
        await register(app, email, '192.0.2.1').expect(201);

        const guesses = await Promise.all(
          Array.from({ length: 30 }, (_, i) => login(app, email, `wrong-${i}`, '203.0.113.10')),
        );

        const checked = guesses.filter((r) => r.status === 401);
        expect(checked).toHaveLength(LIMITS.pair.points);
        expect(statuses(guesses)).toEqual([
          ...Array<number>(LIMITS.pair.points).fill(401),
          ...Array<number>(30 - LIMITS.pair.points).fill(429),
        ]);
        for (const refused of guesses.filter((r) => r.status === 429)) expectRetryAfter(refused);
        // The guesser is still refused, even with the right password; the user elsewhere is not locked out.
        await login(app, email, PASSWORD, '203.0.113.10').expect(429);
        await login(app, email, PASSWORD, '198.51.100.20').expect(200);
      });

      it('counts an IPv6 client per /64, so fresh addresses in one /64 do not buy more guesses', async () => {
        const email = uniqueEmail('ipv6');
        for (let i = 1; i <= LIMITS.pair.points; i++) {
          await login(app, email, 'wrong', `2001:db8:7:1::${i}`).expect(401);
        }
        await login(app, email, 'wrong', '2001:db8:7:1:ffff::42').expect(429);
        await login(app, email, 'wrong', '2001:db8:7:2::1').expect(401);
      });

      it('bounds guesses at one email from many addresses, except from addresses that signed in to it', async () => {
        const email = uniqueEmail('distributed');
        await register(app, email, '192.0.2.2').expect(201);
        await login(app, email, PASSWORD, '192.0.2.99').expect(200);
        const addresses = LIMITS.email.points / LIMITS.pair.points;
        for (let a = 0; a < addresses; a++) {
          const batch = await Promise.all(
            Array.from({ length: LIMITS.pair.points }, () =>
              login(app, email, 'wrong', `198.18.${a}.1`),
            ),
          );
          expect(statuses(batch)).toEqual(Array<number>(LIMITS.pair.points).fill(401));
        }

        const fresh = await login(app, email, PASSWORD, '198.19.0.1').expect(429);
        expectRetryAfter(fresh);
        await login(app, email, PASSWORD, '192.0.2.99').expect(200);
      });

      it('limits registrations per client address, duplicates included', async () => {
        const from = '203.0.113.77';
        const taken = uniqueEmail('taken');
        await register(app, taken, from).expect(201);
        await register(app, taken, from).expect(409);
        for (let i = 2; i < LIMITS.register.points; i++) {
          await register(app, uniqueEmail('reg'), from).expect(201);
        }

        const refused = await register(app, uniqueEmail('reg'), from).expect(429);
        expectRetryAfter(refused);
        expect(refused.body.error).toMatch(/too many registrations/);
        await register(app, uniqueEmail('reg'), '203.0.113.78').expect(201);
      });
    });
  }

  describe(`bounded password hashing on ${platform}`, () => {
    const target = defendedApp(platform, 'memory', { APP_PASSWORD_HASH_CONCURRENCY: '1' });
    let app: INestApplication;
    beforeAll(async () => {
      app = await target.start();
    });
    afterAll(() => target.stop());

    it('answers a flood of logins with 401 or 503 + Retry-After, never another 5xx, and recovers', async () => {
      // 200 argon2 checks one at a time take far longer than the 2 s a request may wait for a slot.
      const flood = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          login(app, uniqueEmail('flood'), 'wrong', `10.${i >> 8}.${i & 255}.9`),
        ),
      );

      const byStatus = new Map<number, number>();
      for (const res of flood) byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1);
      expect([...byStatus.keys()].sort()).toEqual([401, 503]);
      for (const busy of flood.filter((r) => r.status === 503)) {
        expectRetryAfter(busy);
        expect(busy.body.error).toMatch(/busy checking passwords/);
      }
      await login(app, uniqueEmail('after'), 'wrong', '10.255.0.1').expect(401);
    });

    it('lets 50 concurrent logins of 50 users through without a 5xx other than that 503', async () => {
      const emails = Array.from({ length: 50 }, () => uniqueEmail('crowd'));
      for (const [i, email] of emails.entries()) {
        await register(app, email, `172.16.${i >> 3}.1`).expect(201);
      }

      const logins = await Promise.all(
        emails.map((email, i) => login(app, email, PASSWORD, `172.17.0.${i + 1}`)),
      );

      for (const res of logins) expect([200, 503]).toContain(res.status);
      expect(logins.filter((r) => r.status === 200).length).toBeGreaterThan(0);
    });
  });
}

describeWithRedis('login throttling while Redis is cut', (url) => {
  describe.each(PLATFORMS)('on %s', (platform) => {
    const redis = new URL(url);
    const proxy = new TcpProxy(redis.hostname, Number(redis.port || 6379));
    let target: ReturnType<typeof defendedApp>;
    let app: INestApplication;

    beforeAll(async () => {
      await proxy.start();
      // The counters live in Redis whenever REDIS_URL is set, with the default cookie session store too.
      target = defendedApp(platform, 'memory', { REDIS_URL: `redis://127.0.0.1:${proxy.port}` });
      app = await target.start();
    });
    afterAll(async () => {
      await target.stop();
      await proxy.stop();
    });

    it('refuses logins and registrations with 503 naming Redis, never an unthrottled check', async () => {
      const email = uniqueEmail('cut');
      await register(app, email, '192.0.2.50').expect(201);

      await proxy.stop();
      for (const password of [PASSWORD, 'wrong']) {
        const res = await login(app, email, password, '192.0.2.50');
        expect(res.status).toBe(503);
        expect(res.body.error).toMatch(/^Redis at REDIS_URL is unreachable/);
        expectRetryAfter(res);
      }
      expect((await register(app, uniqueEmail('cut'), '192.0.2.51')).status).toBe(503);
      const ready = await request(app.getHttpServer()).get('/readyz').expect(503);
      expect(ready.body.error).toMatch(/Redis at REDIS_URL \(login throttle\)/);
      await request(app.getHttpServer()).get('/healthz').expect(200);

      await proxy.start();
      await eventually(async () => {
        await login(app, email, PASSWORD, '192.0.2.50').expect(200);
      });
      await request(app.getHttpServer()).get('/readyz').expect(200);
    });
  });
});
