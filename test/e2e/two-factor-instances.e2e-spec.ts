import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { AppProcess, useAppProcesses, waitForHttp } from '../support/app-process';
import { deleteKeys, describeWithRedis, uniquePrefix } from '../support/redis';
import { roomInStep, totpCode } from '../support/totp';

const PUBLIC_URL = 'https://app.example.test';
const PASSWORD = 'pw-12345678';

/**
 * Two built apps in production mode on one users database and one Redis (the wrong-code counters live
 * there): the 5-wrong-codes limit of one pending login counts tries on both instances together, and one
 * TOTP code sent to both at once signs in once. Production cookies are `Secure` and this is plain http, so
 * the cookie is carried by hand.
 */
describeWithRedis('two-factor across two instances of the built app (production)', (url) => {
  const apps = useAppProcesses('two-factor-instances');
  const prefixes: string[] = [];
  afterAll(async () => {
    for (const prefix of prefixes) await deleteKeys(url, prefix);
  });

  async function instance(env: Record<string, string>): Promise<AppProcess> {
    const app = await apps.start({
      NODE_ENV: 'production',
      DATABASE_URL: `sqlite:${path.join(apps.dir(), 'app.sqlite')}`,
      PUBLIC_URL,
      MAIL_URL: 'none',
      EMAIL_VERIFICATION: 'off',
      REDIS_URL: url,
      ...env,
    });
    const health = await waitForHttp(`http://127.0.0.1:${app.port}/healthz`).catch((error) => {
      throw new Error(`${String(error)}\nstderr: ${app.stderr()}`);
    });
    expect(health.status).toBe(200);
    return app;
  }

  /** One browser's cookie, carried by hand and updated from each response like a browser's. */
  class Client {
    cookie = '';

    async call(app: AppProcess, route: string, body: unknown = {}) {
      const res = await fetch(`http://127.0.0.1:${app.port}${route}`, {
        method: 'POST',
        signal: AbortSignal.timeout(10_000),
        headers: {
          accept: 'application/json',
          'content-type': 'application/json',
          ...(this.cookie ? { cookie: this.cookie } : {}),
        },
        body: JSON.stringify(body),
      });
      const set = res.headers.getSetCookie().find((c) => c.startsWith('__Host-session='));
      if (set) this.cookie = set.split(';')[0];
      return { status: res.status, body: await res.json().catch((): unknown => null) };
    }
  }

  /** Registers a user and turns TOTP on through `a` and `b`: its email and secret. */
  async function userWithTotp(a: AppProcess, b: AppProcess) {
    const email = `totp-${randomBytes(4).toString('hex')}@example.com`;
    const browser = new Client();
    expect((await browser.call(a, '/register', { email, password: PASSWORD })).status).toBe(201);
    expect((await browser.call(a, '/login', { email, password: PASSWORD })).status).toBe(200);
    const setup = await browser.call(a, '/account/2fa/totp');
    const secret = (setup.body as { secret: string }).secret;
    const confirm = await browser.call(b, '/account/2fa/totp/confirm', {
      code: totpCode(secret, -1),
    });
    expect(confirm.status).toBe(200);
    return { email, secret };
  }

  async function pendingOn(app: AppProcess, email: string): Promise<Client> {
    const client = new Client();
    const res = await client.call(app, '/login', { email, password: PASSWORD });
    expect(res.body).toEqual({ twoFactorRequired: true, methods: ['totp', 'recovery'] });
    return client;
  }

  for (const store of ['cookie', 'redis'] as const) {
    it(`${store} store: wrong codes on either instance count together (5, then 429); one code signs in once`, async () => {
      await roomInStep(15);
      const prefix = uniquePrefix('two-factor-instances');
      prefixes.push(prefix);
      const env = {
        SECRET_KEY: randomBytes(32).toString('hex'),
        SESSION_STORE: store,
        APP_SESSION_KEY_PREFIX: prefix,
      };
      const [a, b] = [await instance(env), await instance(env)];
      const { email, secret } = await userWithTotp(a, b);

      const guesser = await pendingOn(a, email);
      const copied = guesser.cookie;
      for (const app of [a, b, a, b, b])
        expect((await guesser.call(app, '/login/2fa', { code: '000000' })).status).toBe(401);
      expect((await guesser.call(a, '/login/2fa', { code: totpCode(secret) })).status).toBe(429);
      expect((await guesser.call(b, '/login/2fa', { code: totpCode(secret) })).status).toBe(401);
      const copy = Object.assign(new Client(), { cookie: copied });
      expect((await copy.call(b, '/login/2fa', { code: totpCode(secret) })).status).toBe(429);

      const [one, two] = [await pendingOn(a, email), await pendingOn(b, email)];
      const code = totpCode(secret);
      const results = await Promise.all([
        one.call(a, '/login/2fa', { code }),
        two.call(b, '/login/2fa', { code }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
    }, 60_000);
  }
});
