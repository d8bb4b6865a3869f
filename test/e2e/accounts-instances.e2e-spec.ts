import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { AppProcess, useAppProcesses, waitForHttp } from '../support/app-process';
import { deleteKeys, describeWithRedis, REDIS_URL, uniquePrefix } from '../support/redis';
import { startSmtp, TestSmtp, tokenOf } from '../support/smtp';

const PUBLIC_URL = 'https://app.example.test';

/**
 * Two built apps in production mode on one users database (and one Redis for the Redis store), mailing to
 * a real SMTP server: a password reset on one instance ends the user's sessions on both. Production
 * cookies are `Secure` and this is plain http, so the cookie is carried by hand.
 */
describe('password reset across two instances of the built app (production)', () => {
  const apps = useAppProcesses('accounts-instances');
  let smtp: TestSmtp;
  const prefixes: string[] = [];

  beforeAll(async () => {
    smtp = await startSmtp();
  });
  afterAll(async () => {
    await smtp?.close();
    if (REDIS_URL) for (const prefix of prefixes) await deleteKeys(REDIS_URL, prefix);
  });

  async function instance(env: Record<string, string>): Promise<AppProcess> {
    const app = await apps.start({
      NODE_ENV: 'production',
      DATABASE_URL: `sqlite:${path.join(apps.dir(), 'app.sqlite')}`,
      PUBLIC_URL,
      MAIL_URL: smtp.url,
      ...env,
    });
    const health = await waitForHttp(`http://127.0.0.1:${app.port}/healthz`).catch((error) => {
      throw new Error(`${String(error)}\nstderr: ${app.stderr()}`);
    });
    expect(health.status).toBe(200);
    return app;
  }

  async function call(app: AppProcess, route: string, body?: unknown, cookie?: string) {
    const res = await fetch(`http://127.0.0.1:${app.port}${route}`, {
      method: body === undefined ? 'GET' : 'POST',
      signal: AbortSignal.timeout(10_000),
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        ...(cookie ? { cookie } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // Production's session cookie is `__Host-session`.
    const session = res.headers.getSetCookie().find((c) => /^__Host-session=[^;]+/.test(c));
    return { status: res.status, cookie: session?.split(';')[0] };
  }

  async function resetEndsSessionsEverywhere(env: Record<string, string>): Promise<void> {
    const a = await instance(env);
    const b = await instance(env);
    const email = `reset-${randomBytes(4).toString('hex')}@example.com`;
    expect((await call(a, '/register', { email, password: 'pw-12345678' })).status).toBe(201);
    expect((await smtp.nextMail(email)).links[0]).toMatch(
      /^https:\/\/app\.example\.test\/verify-email\?token=/,
    );
    const onA = (await call(a, '/login', { email, password: 'pw-12345678' })).cookie as string;
    const onB = (await call(b, '/login', { email, password: 'pw-12345678' })).cookie as string;
    expect((await call(b, '/dashboard', undefined, onA)).status).toBe(200); // b holds the user for up to 1 s

    expect((await call(a, '/password/forgot', { email })).status).toBe(202);
    const token = tokenOf((await smtp.nextMail(email)).links[0]);
    expect((await call(a, '/password/reset', { token, password: 'pw-87654321' })).status).toBe(204);
    const done = Date.now();
    expect((await call(b, '/password/reset', { token, password: 'pw-another-1' })).status).toBe(
      400,
    );
    expect((await smtp.nextMail(email)).subject).toBe('Your app.example.test password was changed');

    expect((await call(a, '/dashboard', undefined, onA)).status).toBe(401);
    expect((await call(a, '/dashboard', undefined, onB)).status).toBe(401);
    for (const cookie of [onA, onB]) {
      while ((await call(b, '/dashboard', undefined, cookie)).status !== 401) {
        expect(Date.now() - done).toBeLessThan(1500);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    expect((await call(b, '/login', { email, password: 'pw-87654321' })).status).toBe(200);
  }

  it('cookie store: every session of the user is refused on both instances, the link works once', async () => {
    await resetEndsSessionsEverywhere({ SECRET_KEY: randomBytes(32).toString('hex') });
  }, 60_000);

  describeWithRedis('Redis store', (url) => {
    it('every session of the user is refused on both instances, the link works once', async () => {
      const prefix = uniquePrefix('accounts-instances');
      prefixes.push(prefix);
      await resetEndsSessionsEverywhere({
        SECRET_KEY: randomBytes(32).toString('hex'),
        SESSION_STORE: 'redis',
        REDIS_URL: url,
        APP_SESSION_KEY_PREFIX: prefix,
      });
    }, 60_000);
  });
});
