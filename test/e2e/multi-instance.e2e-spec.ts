import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { AppProcess, useAppProcesses, waitForHttp } from '../support/app-process';
import { deleteKeys, describeWithRedis, uniquePrefix } from '../support/redis';

/** The session cookie's name in production unless configured (`SESSION_COOKIE_NAME`). */
const COOKIE = '__Host-session';

/** A strong production key (64 hex characters), new for each use. */
const strongKey = (): string => randomBytes(32).toString('hex');

interface Answer {
  status: number;
  body: string;
  /** The `__Host-session=…` pair of the response's `Set-Cookie`, when it sets one. */
  cookie: string | undefined;
  setCookie: string[];
}

/**
 * Several built apps in production mode sharing one SQLite file, as instances behind a load balancer.
 * Production cookies are `Secure` and this is plain http, so the cookie is carried by hand (`Cookie:`).
 */
describe('many instances of the built app (production)', () => {
  const apps = useAppProcesses('multi-instance');

  /** Starts one instance on the shared database and waits (at most 15 s) for /healthz. */
  async function instance(env: Record<string, string>): Promise<AppProcess> {
    const app = await apps.start({
      NODE_ENV: 'production',
      DATABASE_URL: `sqlite:${path.join(apps.dir(), 'app.sqlite')}`,
      ...env,
    });
    const health = await waitForHttp(`http://127.0.0.1:${app.port}/healthz`).catch((error) => {
      throw new Error(`${String(error)}\nstderr: ${app.stderr()}`);
    });
    expect(health.status).toBe(200);
    return app;
  }

  async function call(
    app: AppProcess,
    method: string,
    route: string,
    options: { body?: unknown; cookie?: string; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const res = await fetch(`http://127.0.0.1:${app.port}${route}`, {
      method,
      redirect: 'manual',
      signal: AbortSignal.timeout(10_000),
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        ...(options.cookie ? { cookie: options.cookie } : {}),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const setCookie = res.headers.getSetCookie();
    const session = setCookie.find(
      (c) => c.startsWith(`${COOKIE}=`) && !c.startsWith(`${COOKIE}=;`),
    );
    return {
      status: res.status,
      body: await res.text(),
      cookie: session?.split(';')[0],
      setCookie,
    };
  }

  /** Production never seeds a user: registers one on `app`, logs in there, returns the session cookie. */
  async function registerAndLogin(app: AppProcess): Promise<string> {
    const creds = {
      email: `user-${randomBytes(4).toString('hex')}@example.com`,
      password: 'pw-12345678',
    };
    expect((await call(app, 'POST', '/register', { body: creds })).status).toBe(201);
    const login = await call(app, 'POST', '/login', { body: creds });
    expect(login.status).toBe(200);
    expect(login.cookie).toBeDefined();
    return login.cookie as string;
  }

  const dashboard = async (app: AppProcess, cookie: string): Promise<number> =>
    (await call(app, 'GET', '/dashboard', { cookie })).status;

  it('cookie store: a login on one instance is accepted by another sharing SECRET_KEY', async () => {
    const key = strongKey();
    const a = await instance({ SECRET_KEY: key });
    const b = await instance({ SECRET_KEY: key });
    const cookie = await registerAndLogin(a);
    expect(await dashboard(b, cookie)).toBe(200);
    expect(await dashboard(a, cookie)).toBe(200);
  });

  it('cookie store: POST /logout/all on one instance is refused at once there, within a second on another', async () => {
    const key = strongKey();
    const a = await instance({ SECRET_KEY: key });
    const b = await instance({ SECRET_KEY: key });
    const cookie = await registerAndLogin(a);
    expect(await dashboard(b, cookie)).toBe(200); // b now holds the user for up to a second

    expect((await call(a, 'POST', '/logout/all', { body: {}, cookie })).status).toBe(204);
    const done = Date.now();

    expect(await dashboard(a, cookie)).toBe(401);
    while ((await dashboard(b, cookie)) !== 401) {
      expect(Date.now() - done).toBeLessThan(1500);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  it('cookie store: an instance with another key refuses the cookie', async () => {
    const a = await instance({ SECRET_KEY: strongKey() });
    const b = await instance({ SECRET_KEY: strongKey() });
    expect(await dashboard(b, await registerAndLogin(a))).toBe(401);
  });

  it('rolling key rotation: the new instance accepts the old cookie and re-issues it under the new key', async () => {
    const [k1, k2] = [strongKey(), strongKey()];
    const a = await instance({ SECRET_KEY: k1 });
    const b = await instance({ SECRET_KEY: k2, SECRET_KEY_FALLBACKS: k1 });
    const oldCookie = await registerAndLogin(a);

    const onB = await call(b, 'GET', '/dashboard', { cookie: oldCookie });
    expect(onB.status).toBe(200);
    expect(onB.cookie).toBeDefined();
    const newCookie = onB.cookie as string;
    expect(newCookie).not.toBe(oldCookie);

    const c = await instance({ SECRET_KEY: k2 });
    expect(await dashboard(c, newCookie)).toBe(200);
    expect(await dashboard(a, newCookie)).toBe(401);
    expect(await dashboard(c, oldCookie)).toBe(401);
  });

  it('TRUST_PROXY: behind a proxy that terminates TLS, the session cookie is still Secure', async () => {
    const app = await instance({
      SECRET_KEY: strongKey(),
      TRUST_PROXY: 'true',
      SESSION_COOKIE_SECURE: 'true',
    });
    const creds = { email: 'proxied@example.com', password: 'pw-12345678' };
    const proxied = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' };
    await call(app, 'POST', '/register', { body: creds, headers: proxied });
    const login = await call(app, 'POST', '/login', { body: creds, headers: proxied });
    expect(login.status).toBe(200);
    const session = login.setCookie.find((c) => c.startsWith(`${COOKIE}=`));
    expect(session).toMatch(/;\s*Secure/i);
    expect(session).toMatch(/;\s*HttpOnly/i);
    expect(await dashboard(app, login.cookie as string)).toBe(200);
  });

  describeWithRedis('with SESSION_STORE=redis', (redisUrl) => {
    const prefix = uniquePrefix('multi-instance');
    afterAll(() => deleteKeys(redisUrl, prefix));

    const redisInstance = (key: string): Promise<AppProcess> =>
      instance({
        SECRET_KEY: key,
        SESSION_STORE: 'redis',
        REDIS_URL: redisUrl,
        APP_SESSION_KEY_PREFIX: prefix,
      });

    it('login throttling counts across instances: failures alternating between two hit 429 where one would', async () => {
      // The default cookie session store: the counters go to Redis because REDIS_URL is set.
      const key = strongKey();
      const env = { SECRET_KEY: key, REDIS_URL: redisUrl, APP_SESSION_KEY_PREFIX: prefix };
      const [a, b] = [await instance(env), await instance(env)];
      const email = `alternate-${randomBytes(4).toString('hex')}@example.com`;
      const creds = { email, password: 'pw-12345678' };
      expect((await call(a, 'POST', '/register', { body: creds })).status).toBe(201);

      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const app = i % 2 === 0 ? a : b;
        statuses.push(
          (await call(app, 'POST', '/login', { body: { email, password: 'wrong' } })).status,
        );
      }

      expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
      expect((await call(a, 'POST', '/login', { body: creds })).status).toBe(429);
    });

    it('fifty parallel cart writes with one cookie, spread over two instances, leave fifty items on both', async () => {
      const key = strongKey();
      const [a, b] = [await redisInstance(key), await redisInstance(key)];
      const cookie = await registerAndLogin(a);
      const items = Array.from({ length: 50 }, (_, i) => `p${i}`);

      const writes = await Promise.all(
        items.map((item, i) =>
          call(i % 2 ? a : b, 'POST', '/cart/items', { body: { item }, cookie }),
        ),
      );

      expect(writes.map((w) => w.status)).toEqual(items.map(() => 201));
      for (const app of [a, b]) {
        const cart = JSON.parse((await call(app, 'GET', '/cart', { cookie })).body) as {
          items: string[];
        };
        expect(cart.items).toHaveLength(50);
        expect(new Set(cart.items)).toEqual(new Set(items));
      }
    });

    it('a logout racing writes on two instances is final: the old cookie is never signed in again', async () => {
      const key = strongKey();
      const [a, b] = [await redisInstance(key), await redisInstance(key)];
      const creds = {
        email: `race-${randomBytes(4).toString('hex')}@example.com`,
        password: 'pw-12345678',
      };
      expect((await call(a, 'POST', '/register', { body: creds })).status).toBe(201);

      for (let round = 0; round < 5; round++) {
        const { cookie } = await call(a, 'POST', '/login', { body: creds });
        expect(cookie).toBeDefined();
        const on = (i: number) => (i % 2 ? a : b);
        const writes = Array.from({ length: 20 }, (_, i) =>
          call(on(i), 'POST', '/cart/items', { body: { item: `r${round}-${i}` }, cookie }),
        );
        // A page view writes the session too (it adds the CSRF secret), without taking the write lock.
        const pages = Array.from({ length: 4 }, (_, i) =>
          call(on(i), 'GET', '/dashboard', { cookie, headers: { accept: 'text/html' } }),
        );
        await new Promise((resolve) => setTimeout(resolve, round * 3));
        const logout = call(on(round), 'POST', '/logout', { body: {}, cookie });

        const [loggedOut, ...rest] = await Promise.all([logout, ...writes, ...pages]);

        expect(loggedOut.status).toBe(204);
        for (const res of rest) expect([200, 201, 302, 503]).toContain(res.status);
        expect(await dashboard(a, cookie!)).toBe(401);
        expect(await dashboard(b, cookie!)).toBe(401);
      }
    });

    it('a login on one instance is accepted by another; a logout on either is refused by both', async () => {
      const key = strongKey();
      const a = await redisInstance(key);
      const b = await redisInstance(key);
      const cookie = await registerAndLogin(a);
      expect(await dashboard(b, cookie)).toBe(200);

      const logout = await call(b, 'POST', '/logout', { body: {}, cookie });
      expect(logout.status).toBe(204);
      expect(await dashboard(a, cookie)).toBe(401);
      expect(await dashboard(b, cookie)).toBe(401);
    });
  });
});
