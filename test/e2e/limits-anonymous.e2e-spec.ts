import { INestApplication } from '@nestjs/common';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { csrfFrom, uniqueEmail } from '../support/auth-setup';
import { eachTarget, HostileTarget, signIn, startHostileTarget } from '../support/reliability/apps';
import {
  cookiesOf,
  jsonOf,
  RawClient,
  RawResponse,
  setCookiePair,
} from '../support/reliability/http-client';
import {
  countKeys,
  deleteKeys,
  describeWithRedis,
  REDIS_URL,
  uniquePrefix,
} from '../support/redis';
import { createSessionTestApp } from '../support/session-test-app';
import { PLATFORMS } from '../support/test-app';

const JSON_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json' };

describeWithRedis('anonymous traffic stores nothing on Redis', () => {
  describe.each(PLATFORMS)('on %s', (platform) => {
    const prefix = uniquePrefix(`anonymous-${platform}`);
    let target: HostileTarget;
    beforeAll(async () => {
      target = await startHostileTarget(platform, 'redis', {
        APP_SESSION_KEY_PREFIX: prefix,
        TRUST_PROXY: '1',
      });
    });
    afterAll(() => target?.close());

    it('keeps no key for 40 visitors viewing pages, and the login form still works for them', async () => {
      const keysBefore = await countKeys(REDIS_URL as string, prefix);
      const visits: RawResponse[] = [];
      for (let visitor = 0; visitor < 40; visitor++) {
        for (const route of ['/', '/login', '/cart', '/dashboard']) {
          visits.push(
            await target.client.send({
              path: route,
              headers: { Accept: 'text/html', 'X-Forwarded-For': `198.51.100.${visitor}` },
            }),
          );
        }
      }
      expect(visits.filter((res) => res.status >= 500)).toEqual([]);
      expect(visits.every((res) => setCookiePair(res, 'session') === undefined)).toBe(true);
      expect(await countKeys(REDIS_URL as string, prefix)).toBe(keysBefore);

      const form = await target.client.send({ path: '/login', headers: { Accept: 'text/html' } });
      const login = await target.client.send({
        method: 'POST',
        path: '/login',
        headers: { Cookie: cookiesOf(form), 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `email=test%40example.com&password=password&_csrf=${encodeURIComponent(csrfFrom(form.text))}`,
      });
      expect(login.status).toBe(302);
      expect(login.headers.location).toBe('/dashboard');
    });

    it('keeps a bounded number of counters for 300 wrong logins from one address with random emails', async () => {
      const throttle = `${prefix}throttle:`;
      const before = await countKeys(REDIS_URL as string, throttle);
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 300; attempt++) {
        const res = await target.client.send({
          method: 'POST',
          path: '/login',
          headers: { ...JSON_HEADERS, 'X-Forwarded-For': '203.0.113.99' },
          body: JSON.stringify({ email: uniqueEmail('spray'), password: 'wrong-password' }),
        });
        statuses.push(res.status);
      }
      expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(250);
      // The address's counter, then a pair and an email counter for each of the 50 it let through.
      expect((await countKeys(REDIS_URL as string, throttle)) - before).toBeLessThanOrEqual(101);
    }, 60_000);
  });
});

eachTarget('responses that used a signed-in session', (platform, store) => {
  let target: HostileTarget;
  beforeAll(async () => {
    target = await startHostileTarget(platform, store);
  });
  afterAll(() => target?.close());

  it('carry Cache-Control: no-store, JSON and HTML alike; a visitor’s do not', async () => {
    const { cookie } = await signIn(target.client);
    for (const route of ['/', '/cart', '/dashboard']) {
      for (const accept of ['application/json', 'text/html']) {
        const res = await target.client.send({
          path: route,
          headers: { Accept: accept, Cookie: cookie },
        });
        expect([route, accept, res.headers['cache-control']]).toEqual([route, accept, 'no-store']);
      }
    }
    const visitor = await target.client.send({
      path: '/cart',
      headers: { Accept: 'application/json' },
    });
    expect(visitor.headers['cache-control']).toBeUndefined();
  });
});

describe.each(PLATFORMS)('a revoked session on a public route (%s)', (platform) => {
  for (const store of ['cookie', 'redis'] as const) {
    const describeStore = store === 'redis' ? describeWithRedis : describe;
    describeStore(`${store} store`, () => {
      let app: INestApplication;
      let client: RawClient;
      let dir: string;
      const prefix = uniquePrefix(`revoked-${platform}`);
      beforeAll(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revoked-'));
        app = await createSessionTestApp({
          HTTP_ADAPTER: platform,
          SESSION_STORE: store,
          INSTANCE_PATH: dir,
          DATABASE_URL: `sqlite:${path.join(dir, 'app.sqlite')}`,
          ...(store === 'redis' ? { REDIS_URL, APP_SESSION_KEY_PREFIX: prefix } : {}),
        });
        client = await RawClient.listen(app);
      });
      afterAll(async () => {
        client?.close();
        await app?.close();
        fs.rmSync(dir, { recursive: true, force: true });
        if (store === 'redis' && REDIS_URL) await deleteKeys(REDIS_URL, prefix);
      });

      it('is cleared, not kept: its values are gone and nothing more is written into it', async () => {
        const copied = (await signIn(client)).cookie;
        const other = (await signIn(client)).cookie;
        const all = await client.send({
          method: 'POST',
          path: '/logout/all',
          headers: { ...JSON_HEADERS, Cookie: other },
          body: '{}',
        });
        expect(all.status).toBe(204);

        const read = await client.send({
          path: '/s',
          headers: { ...JSON_HEADERS, Cookie: copied },
        });
        expect(jsonOf(read)).toEqual({});
        expect(setCookiePair(read, 'session')).toBe('session=');
        const write = await client.send({
          method: 'POST',
          path: '/cart/items',
          headers: { ...JSON_HEADERS, Cookie: copied },
          body: JSON.stringify({ item: 'after revocation' }),
        });
        expect(write.status).toBe(201);
        const fresh = setCookiePair(write, 'session') as string;
        expect(fresh).not.toBe(copied);
        const now = await client.send({ path: '/s', headers: { ...JSON_HEADERS, Cookie: fresh } });
        expect(jsonOf(now)).toEqual({ cart: ['after revocation'] });
      });
    });
  }
});
