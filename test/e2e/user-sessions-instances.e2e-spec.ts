import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { AppProcess, useAppProcesses, waitForHttp } from '../support/app-process';
import { deleteKeys, describeWithRedis, uniquePrefix } from '../support/redis';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/**
 * Two built apps in production mode on one users database (and one Redis for the Redis store): a session
 * signed out on one instance is refused on the other within the account cache's second. Production
 * cookies are `__Host-session` and `Secure`, and this is plain http, so the cookie is carried by hand.
 */
describe('signing out one device across two instances of the built app (production)', () => {
  const apps = useAppProcesses('user-sessions-instances');
  const prefixes: string[] = [];
  afterAll(async () => {
    const url = process.env.REDIS_URL;
    if (url) for (const prefix of prefixes) await deleteKeys(url, prefix);
  });

  async function instance(env: Record<string, string>): Promise<AppProcess> {
    const app = await apps.start({
      NODE_ENV: 'production',
      DATABASE_URL: `sqlite:${path.join(apps.dir(), 'app.sqlite')}`,
      MAIL_URL: 'none',
      ...env,
    });
    await waitForHttp(`http://127.0.0.1:${app.port}/healthz`);
    return app;
  }

  async function call(
    app: AppProcess,
    method: string,
    route: string,
    options: { body?: unknown; cookie?: string; userAgent?: string } = {},
  ): Promise<{ status: number; cookie?: string; json: unknown }> {
    const res = await fetch(`http://127.0.0.1:${app.port}${route}`, {
      method,
      signal: AbortSignal.timeout(10_000),
      headers: {
        accept: 'application/json',
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(options.cookie ? { cookie: options.cookie } : {}),
        ...(options.userAgent ? { 'user-agent': options.userAgent } : {}),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const session = res.headers.getSetCookie().find((c) => /^__Host-session=[^;]+/.test(c));
    const text = await res.text();
    return {
      status: res.status,
      cookie: session?.split(';')[0],
      json: text ? (JSON.parse(text) as unknown) : undefined,
    };
  }

  async function signOutOneDevice(env: Record<string, string>): Promise<void> {
    const [a, b] = [await instance(env), await instance(env)];
    const creds = {
      email: `devices-${randomBytes(4).toString('hex')}@example.com`,
      password: 'pw-12345678',
    };
    expect((await call(a, 'POST', '/register', { body: creds })).status).toBe(201);
    const laptop = (await call(a, 'POST', '/login', { body: creds, userAgent: FIREFOX })).cookie!;
    const phone = (await call(b, 'POST', '/login', { body: creds, userAgent: CHROME })).cookie!;
    expect((await call(b, 'GET', '/dashboard', { cookie: phone })).status).toBe(200);

    const { sessions } = (await call(a, 'GET', '/account/sessions', { cookie: laptop })).json as {
      sessions: { id: string; device: string; current: boolean }[];
    };
    const other = sessions.find((s) => !s.current)!;
    expect(other.device).toBe('Chrome on Windows');
    const ended = await call(a, 'DELETE', `/account/sessions/${other.id}`, { cookie: laptop });
    expect(ended.status).toBe(204);
    const done = Date.now();

    expect((await call(a, 'GET', '/dashboard', { cookie: phone })).status).toBe(401);
    while ((await call(b, 'GET', '/dashboard', { cookie: phone })).status !== 401) {
      expect(Date.now() - done).toBeLessThan(1500);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await call(b, 'GET', '/dashboard', { cookie: laptop })).status).toBe(200);
  }

  it('cookie store: the other instance refuses the signed-out device within 1.5 s', async () => {
    await signOutOneDevice({ SECRET_KEY: randomBytes(32).toString('hex') });
  }, 60_000);

  describeWithRedis('Redis store', (url) => {
    it('the other instance refuses the signed-out device within 1.5 s', async () => {
      const prefix = uniquePrefix('user-sessions-instances');
      prefixes.push(prefix);
      await signOutOneDevice({
        SECRET_KEY: randomBytes(32).toString('hex'),
        SESSION_STORE: 'redis',
        REDIS_URL: url,
        APP_SESSION_KEY_PREFIX: prefix,
      });
    }, 60_000);
  });
});
