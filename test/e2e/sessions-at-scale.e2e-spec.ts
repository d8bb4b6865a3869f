import { createClient } from 'redis';
import { csrfFrom, uniqueEmail } from '../support/auth-setup';
import { eachTarget, HostileTarget, startHostileTarget } from '../support/reliability/apps';
import { jsonOf, RawClient, RawResponse, setCookiePair } from '../support/reliability/http-client';
import { describeWithRedis } from '../support/redis';
import { PLATFORMS } from '../support/test-app';

const JSON_HEADERS = { Accept: 'application/json', 'Content-Type': 'application/json' };
const PASSWORD = 'long-enough-password';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One browser: its cookie, updated from every `Set-Cookie` as a browser would. */
class Browser {
  constructor(
    private readonly client: RawClient,
    public cookie = '',
  ) {}

  async send(method: string, path: string, body?: object): Promise<RawResponse> {
    const res = await this.client.send({
      method,
      path,
      headers: { ...JSON_HEADERS, ...(this.cookie ? { Cookie: this.cookie } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = setCookiePair(res, 'session');
    if (set !== undefined) this.cookie = set.endsWith('=') ? '' : set;
    return res;
  }

  async login(email: string, remember = false): Promise<void> {
    const res = await this.send('POST', '/login', { email, password: PASSWORD, remember });
    if (res.status !== 200) throw new Error(`login: ${res.status} ${res.text}`);
  }

  async dashboard(): Promise<number> {
    return (await this.send('GET', '/dashboard')).status;
  }
}

async function register(client: RawClient): Promise<string> {
  const email = uniqueEmail('scale');
  const res = await new Browser(client).send('POST', '/register', { email, password: PASSWORD });
  if (res.status !== 201) throw new Error(`register: ${res.status} ${res.text}`);
  return email;
}

eachTarget('SESSION_ABSOLUTE_LIFETIME=4', (platform, store) => {
  let target: HostileTarget;
  beforeAll(async () => {
    target = await startHostileTarget(platform, store, { APP_SESSION_ABSOLUTE_LIFETIME: '4' });
  });
  afterAll(() => target?.close());

  /** Seconds from login until `use` first sees the session gone, using it about every second. */
  async function lifeOf(browser: Browser, use: (i: number) => Promise<void>): Promise<number> {
    const started = Date.now();
    for (let i = 0; Date.now() - started < 9000; i++) {
      await use(i);
      if ((await browser.dashboard()) === 401) return (Date.now() - started) / 1000;
      await sleep(1000);
    }
    return Infinity;
  }

  it('ends a remembered session refreshed every second, and a browser session written every second, 4–6 s after login', async () => {
    const email = await register(target.client);
    const remembered = new Browser(target.client);
    const written = new Browser(target.client);
    await remembered.login(email, true);
    await written.login(email);

    const [refreshedFor, writtenFor] = await Promise.all([
      lifeOf(remembered, () => Promise.resolve()),
      lifeOf(written, async (i) => {
        expect((await written.send('POST', '/cart/items', { item: `i${i}` })).status).toBe(201);
      }),
    ]);

    for (const life of [refreshedFor, writtenFor]) {
      expect(life).toBeGreaterThanOrEqual(3.9);
      expect(life).toBeLessThanOrEqual(6.5);
    }
  }, 30_000);
});

eachTarget('POST /logout/all', (platform, store) => {
  let target: HostileTarget;
  beforeAll(async () => {
    target = await startHostileTarget(platform, store);
  });
  afterAll(() => target?.close());

  it('ends every session of the user, copied cookies included, and no one else’s', async () => {
    const [alice, bob] = [await register(target.client), await register(target.client)];
    const [laptop, phone, bobsBrowser] = [1, 2, 3].map(() => new Browser(target.client));
    await laptop.login(alice, true);
    await phone.login(alice);
    await bobsBrowser.login(bob);
    const copied = new Browser(target.client, phone.cookie);

    const res = await laptop.send('POST', '/logout/all', {});

    expect(res.status).toBe(204);
    expect(setCookiePair(res, 'session')).toBe('session=');
    for (const browser of [new Browser(target.client, laptop.cookie), phone, copied]) {
      expect(await browser.dashboard()).toBe(401);
    }
    expect(await bobsBrowser.dashboard()).toBe(200);
    await phone.login(alice);
    expect(await phone.dashboard()).toBe(200);
  });

  it('answers a form with 302 to /, and a signed-out client with 401', async () => {
    const email = await register(target.client);
    const browser = new Browser(target.client);
    await browser.login(email);
    const page = await target.client.send({
      path: '/dashboard',
      headers: { Accept: 'text/html', Cookie: browser.cookie },
    });
    const cookie = setCookiePair(page, 'session') ?? browser.cookie;

    const form = await target.client.send({
      method: 'POST',
      path: '/logout/all',
      headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `_csrf=${encodeURIComponent(csrfFrom(page.text))}`,
    });

    expect(form.status).toBe(302);
    expect(form.headers.location).toBe('/');
    const signedOut = await new Browser(target.client).send('POST', '/logout/all', {});
    expect(signedOut.status).toBe(401);
    expect(jsonOf(signedOut)).toEqual({ error: 'login required' });
  });

  it('a password change ends the other sessions signed in with the old one, and keeps this one', async () => {
    const email = await register(target.client);
    const [browser, other] = [new Browser(target.client), new Browser(target.client)];
    await browser.login(email);
    await other.login(email);

    const change = await browser.send('POST', '/account/password', {
      currentPassword: PASSWORD,
      password: 'a brand new password',
    });

    expect(change.status).toBe(204);
    expect(await other.dashboard()).toBe(401);
    expect(await browser.dashboard()).toBe(200);
  });
});

describeWithRedis('Redis session records', (url) => {
  describe.each(PLATFORMS)('on %s', (platform) => {
    const redis = createClient({ url });
    let target: HostileTarget;
    beforeAll(async () => {
      await redis.connect();
      target = await startHostileTarget(platform, 'redis');
    });
    afterAll(async () => {
      await target?.close();
      redis.destroy();
    });

    const keyOf = async (cookie: string) => {
      const id = decodeURIComponent(cookie.split('=')[1]).slice(2).split('.')[0];
      return (await redis.keys(`*${id}`))[0];
    };
    const ttlSeconds = async (cookie: string) => redis.ttl(await keyOf(cookie));

    it("stores nothing for a visitor's page view, keeps a visitor's cart an hour, extended by use; a login gets 31 days", async () => {
      const page = await target.client.send({ path: '/login', headers: { Accept: 'text/html' } });
      expect(setCookiePair(page, 'session')).toBeUndefined();
      const visitor = new Browser(target.client);
      expect((await visitor.send('POST', '/cart/items', { item: 'kept' })).status).toBe(201);
      expect(await ttlSeconds(visitor.cookie)).toBeLessThanOrEqual(3600);
      await redis.expire(await keyOf(visitor.cookie), 60);

      await visitor.send('GET', '/cart');
      expect(await ttlSeconds(visitor.cookie)).toBeGreaterThan(3590);

      await visitor.login(await register(target.client));
      expect(await ttlSeconds(visitor.cookie)).toBeGreaterThan(31 * 24 * 3600 - 60);
    });

    it('refuses a write that cannot get its turn with 503 + Retry-After, and changes nothing', async () => {
      const browser = new Browser(target.client);
      await browser.login(await register(target.client));
      expect((await browser.send('POST', '/cart/items', { item: 'kept' })).status).toBe(201);
      const id = decodeURIComponent(browser.cookie.split('=')[1]).slice(2).split('.')[0];
      const [record] = await redis.keys(`*${id}`);
      const lock = `${record.slice(0, -id.length)}lock:${id}`;
      await redis.set(lock, 'another process', { PX: 8000 });

      const started = Date.now();
      const refused = await browser.send('POST', '/cart/items', { item: 'lost?' });

      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBe('1');
      expect(String((jsonOf(refused) as { error: string }).error)).toMatch(/busy/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(4500);
      await redis.del(lock);
      expect(jsonOf(await browser.send('GET', '/cart'))).toEqual({ items: ['kept'] });
    }, 20_000);
  });
});
