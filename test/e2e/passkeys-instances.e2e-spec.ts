import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { AppProcess, useAppProcesses, waitForHttp } from '../support/app-process';
import { CreationOptions, SoftwareAuthenticator } from '../support/software-authenticator';

const ORIGIN = 'http://localhost:3000';

/**
 * Two built apps on one users database sharing a `SECRET_KEY`, cookie sessions: a cookie-store session
 * keeps no server state, so only the database's record of answered challenges stops the same cookie and
 * the same answer from signing in on both instances.
 */
describe('a passkey sign-in replayed on another instance (cookie store)', () => {
  const apps = useAppProcesses('passkeys-instances');

  async function instance(env: Record<string, string>): Promise<AppProcess> {
    const app = await apps.start({
      NODE_ENV: 'test',
      DATABASE_URL: `sqlite:${path.join(apps.dir(), 'app.sqlite')}`,
      PUBLIC_URL: ORIGIN,
      MAIL_URL: 'none',
      ...env,
    });
    await waitForHttp(`http://127.0.0.1:${app.port}/healthz`).catch((error) => {
      throw new Error(`${String(error)}\nstderr: ${app.stderr()}`);
    });
    return app;
  }

  async function call(app: AppProcess, route: string, body: unknown, cookie?: string) {
    const res = await fetch(`http://127.0.0.1:${app.port}${route}`, {
      method: 'POST',
      signal: AbortSignal.timeout(10_000),
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        ...(cookie ? { cookie } : {}),
      },
      body: JSON.stringify(body),
    });
    const session = res.headers.getSetCookie().find((c) => /^session=[^;]+/.test(c));
    return {
      status: res.status,
      json: await res.json(),
      cookie: session?.split(';')[0],
    };
  }

  it('signs in on exactly one of two instances, and never again with that answer', async () => {
    const env = { SECRET_KEY: randomBytes(32).toString('hex') };
    const [a, b] = [await instance(env), await instance(env)];
    const email = `passkeys-${randomBytes(4).toString('hex')}@example.com`;
    expect((await call(a, '/register', { email, password: 'pw-12345678' })).status).toBe(201);
    const login = await call(a, '/login', { email, password: 'pw-12345678' });
    const options = await call(b, '/account/passkeys/options', {}, login.cookie);
    const authenticator = new SoftwareAuthenticator(ORIGIN);
    const response = authenticator.create(options.json as CreationOptions);
    const added = await call(b, '/account/passkeys', { response }, options.cookie);
    expect(added.status).toBe(201);

    const asked = await call(a, '/login/passkey/options', {});
    const answer = authenticator.get(asked.json as { challenge: string });
    const results = await Promise.all(
      [a, b, a, b].map((app) => call(app, '/login/passkey', { response: answer }, asked.cookie)),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401, 401]);
    const again = await call(b, '/login/passkey', { response: answer }, asked.cookie);
    expect([again.status, again.json]).toEqual([
      401,
      { error: 'passkey sign-in failed: the challenge was answered already' },
    ]);
  }, 60_000);
});
