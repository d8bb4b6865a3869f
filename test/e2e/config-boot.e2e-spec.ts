import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  AppProcess,
  freePort,
  isListening,
  ROOT,
  useAppProcesses,
  waitForHttp,
} from '../support/app-process';

const STRONG_KEY = 'c0ffee00deadbeef1234567890abcdef0fedcba9876543211f2e3d4c5b6a7980';

describe('booting the built app (process level)', () => {
  const apps = useAppProcesses('boot');
  const start = apps.start;

  /** Exits 78 within 5 s and, while it lived, never accepted a connection. */
  async function expectConfigExit(app: AppProcess): Promise<void> {
    const exit = app.exited(5_000);
    let listened = false;
    while (app.child.exitCode === null) {
      listened ||= await isListening(app.port);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await exit).toBe(78);
    expect(listened || (await isListening(app.port))).toBe(false);
  }

  it('exits 78 in production without SECRET_KEY, naming it, never listening', async () => {
    const app = await start({ NODE_ENV: 'production' });
    await expectConfigExit(app);
    expect(app.stderr()).toMatch(/SECRET_KEY \(default\): is missing.*npm run secret/);
  });

  it('exits 78 in production with SECRET_KEY=dev', async () => {
    const app = await start({ NODE_ENV: 'production', SECRET_KEY: 'dev' });
    await expectConfigExit(app);
    expect(app.stderr()).toMatch(/SECRET_KEY \(env:SECRET_KEY\): is a known placeholder/);
  });

  it('never prints a rejected secret', async () => {
    const secret = 'my-own-private-but-short-key';
    const app = await start({
      NODE_ENV: 'production',
      SECRET_KEY: secret,
      SECRET_KEY_FALLBACKS: 'also-private-x',
    });
    await expectConfigExit(app);
    expect(app.stderr() + app.stdout()).not.toContain(secret);
    expect(app.stderr() + app.stdout()).not.toContain('also-private-x');
  });

  describe('safe defaults', () => {
    const seedLogin = (app: AppProcess) =>
      fetch(`http://127.0.0.1:${app.port}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ email: 'test@example.com', password: 'password' }),
      });
    const output = (app: AppProcess) => app.stdout() + app.stderr();

    it('runs as production without NODE_ENV: no key, no start, and the message says why', async () => {
      const app = await start({});
      await expectConfigExit(app);
      expect(app.stderr()).toMatch(
        /SECRET_KEY \(default\): is missing \(production\).*NODE_ENV is unset, so the built app runs as production/,
      );
    });

    it('never seeds the development user without NODE_ENV: its login fails', async () => {
      const app = await start({ SECRET_KEY: STRONG_KEY });
      await waitForHttp(`http://127.0.0.1:${app.port}/healthz`);
      expect((await seedLogin(app)).status).toBe(401);
      expect(output(app)).toMatch(/\(production, fastify, cookie sessions\)/);
    });

    it('warns at a production boot when the development account still has its well-known password', async () => {
      const dev = await start({ NODE_ENV: 'development' });
      await waitForHttp(`http://127.0.0.1:${dev.port}/healthz`);
      expect((await seedLogin(dev)).status).toBe(200);
      await dev.stop();

      const prod = await start({ NODE_ENV: 'production', SECRET_KEY: STRONG_KEY });
      await waitForHttp(`http://127.0.0.1:${prod.port}/healthz`);
      expect(output(prod)).toMatch(/test@example\.com still exists with its well-known password/);
    });

    it('creates the instance folder readable by its owner only (0700)', async () => {
      const folder = path.join(apps.dir(), 'new-instance');
      const app = await start({ NODE_ENV: 'development', INSTANCE_PATH: folder });
      await waitForHttp(`http://127.0.0.1:${app.port}/healthz`);
      expect(fs.statSync(folder).mode & 0o777).toBe(0o700);
    });

    it('refuses a config file that others can read in production (exit 78, chmod 600), and warns in development', async () => {
      const file = path.join(apps.dir(), 'config.json');
      fs.writeFileSync(file, JSON.stringify({ PORT: 3999 }));
      fs.chmodSync(file, 0o644);

      const prod = await start({ NODE_ENV: 'production', SECRET_KEY: STRONG_KEY });
      await expectConfigExit(prod);
      expect(prod.stderr()).toContain(`mode 0644); it may hold secrets: run \`chmod 600 ${file}\``);

      const dev = await start({ NODE_ENV: 'development', APP_PORT: String(await freePort()) });
      await waitForHttp(`http://127.0.0.1:${dev.port}/healthz`);
      expect(dev.stderr()).toMatch(/^WARN .*config\.json is readable by group or others/m);
    });

    it('warns about a development key file that others can read', async () => {
      const first = await start({ NODE_ENV: 'development' });
      await waitForHttp(`http://127.0.0.1:${first.port}/healthz`);
      await first.stop();
      fs.chmodSync(path.join(apps.dir(), 'secret_key'), 0o640);

      const second = await start({ NODE_ENV: 'development' });
      await waitForHttp(`http://127.0.0.1:${second.port}/healthz`);
      expect(second.stderr()).toMatch(
        /^WARN .*secret_key is readable by group or others \(mode 0640\)/m,
      );
    });

    it('refuses a __Host- cookie name with a Domain (exit 78 naming the rule)', async () => {
      const app = await start({
        NODE_ENV: 'production',
        SECRET_KEY: STRONG_KEY,
        APP_SESSION_COOKIE_NAME: '__Host-session',
        APP_SESSION_COOKIE_DOMAIN: 'example.org',
      });
      await expectConfigExit(app);
      expect(app.stderr()).toMatch(
        /SESSION_COOKIE_DOMAIN \(env:APP_SESSION_COOKIE_DOMAIN\): is set, but a __Host- cookie name needs no Domain/,
      );
    });

    it('serves a __Host-session cookie in production: Secure, Path=/, no Domain', async () => {
      const app = await start({
        NODE_ENV: 'production',
        SECRET_KEY: STRONG_KEY,
        APP_SESSION_COOKIE_NAME: '__Host-session',
      });
      const base = `http://127.0.0.1:${app.port}`;
      await waitForHttp(`${base}/healthz`);
      const json = { 'content-type': 'application/json', accept: 'application/json' };
      const body = JSON.stringify({ email: 'host@example.com', password: 'pw-12345678' });
      expect(
        (await fetch(`${base}/register`, { method: 'POST', headers: json, body })).status,
      ).toBe(201);
      const login = await fetch(`${base}/login`, { method: 'POST', headers: json, body });
      const [setCookie] = login.headers.getSetCookie();

      expect(setCookie).toMatch(/^__Host-session=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
      const cookie = setCookie.split(';')[0];
      expect((await fetch(`${base}/dashboard`, { headers: { ...json, cookie } })).status).toBe(200);
    });

    it('warns at a production boot that TRUST_PROXY=true lets clients choose their address', async () => {
      const app = await start({
        NODE_ENV: 'production',
        SECRET_KEY: STRONG_KEY,
        TRUST_PROXY: 'true',
      });
      await waitForHttp(`http://127.0.0.1:${app.port}/healthz`);
      // Production logs JSON (LOG_FORMAT): the warning is a record of its own.
      const records = app
        .stdout()
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(records).toContainEqual(
        expect.objectContaining({
          level: 'warn',
          context: 'Config',
          message: expect.stringMatching(/^TRUST_PROXY=true believes the leftmost X-Forwarded-For/),
        }),
      );
    });

    it('warns once at a production boot without MAIL_URL and PUBLIC_URL; the routes that mail answer 503 naming the key', async () => {
      const app = await start({ NODE_ENV: 'production', SECRET_KEY: STRONG_KEY });
      const base = `http://127.0.0.1:${app.port}`;
      await waitForHttp(`${base}/healthz`);
      // Production logs JSON (LOG_FORMAT): the warning is one record.
      const warnings = app
        .stdout()
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as { level?: string; message?: string })
        .filter((record) => /^MAIL_URL and PUBLIC_URL are not set: /.test(record.message ?? ''));
      expect(warnings).toEqual([expect.objectContaining({ level: 'warn' })]);
      const forgot = await fetch(`${base}/password/forgot`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'someone@example.com' }),
      });
      expect(forgot.status).toBe(503);
      expect(((await forgot.json()) as { error: string }).error).toMatch(/MAIL_URL is not set/);
      expect(warnings[0].message).toMatch(/passkeys/);
      const passkey = await fetch(`${base}/login/passkey/options`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(passkey.status).toBe(503);
      expect(((await passkey.json()) as { error: string }).error).toMatch(/PUBLIC_URL/);
    });

    it('refuses EMAIL_VERIFICATION=required without mail (exit 78 naming the key), never listening', async () => {
      const app = await start({
        NODE_ENV: 'production',
        SECRET_KEY: STRONG_KEY,
        APP_EMAIL_VERIFICATION: 'required',
      });
      await expectConfigExit(app);
      expect(app.stderr()).toMatch(
        /EMAIL_VERIFICATION \(env:APP_EMAIL_VERIFICATION\): required needs mail, but MAIL_URL is not set/,
      );
    });
  });

  it('boots in development without a key, keeps the generated key 0600, and reuses it', async () => {
    const first = await start({ NODE_ENV: 'development' });
    expect((await waitForHttp(`http://127.0.0.1:${first.port}/healthz`)).status).toBe(200);
    const file = path.join(apps.dir(), 'secret_key');
    const key = fs.readFileSync(file, 'utf8');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(first.stderr()).toMatch(
      /SECRET_KEY is not set: using the development key generated now/,
    );
    await first.stop();

    const second = await start({ NODE_ENV: 'development' });
    await waitForHttp(`http://127.0.0.1:${second.port}/healthz`);
    expect(fs.readFileSync(file, 'utf8')).toBe(key);
    expect(second.stderr()).toMatch(/kept in/);
    expect(first.stderr() + second.stderr()).not.toContain(key.trim());
  });

  it('takes UPPERCASE keys from APP_CONFIG_FILE, ignores lowercase ones, and lets env win', async () => {
    const file = path.join(apps.dir(), 'app.json');
    const fromFile = await freePort();
    fs.writeFileSync(
      file,
      JSON.stringify({ PORT: fromFile, port: 1, HOST: '127.0.0.1', host: '10.9.9.9' }),
    );
    const byFile = await start({
      NODE_ENV: 'test',
      SECRET_KEY: STRONG_KEY,
      APP_CONFIG_FILE: file,
      PORT: '',
    });
    expect((await waitForHttp(`http://127.0.0.1:${fromFile}/healthz`)).status).toBe(200);
    await byFile.stop();

    const byEnv = await start({ NODE_ENV: 'test', SECRET_KEY: STRONG_KEY, APP_CONFIG_FILE: file });
    expect((await waitForHttp(`http://127.0.0.1:${byEnv.port}/healthz`)).status).toBe(200);
    expect(await isListening(fromFile)).toBe(false);
  });

  it('refuses a config file that is not valid JSON, naming the file and position', async () => {
    const file = path.join(apps.dir(), 'bad.json');
    fs.writeFileSync(file, '{"PORT": 3000,}');
    const app = await start({ NODE_ENV: 'development', APP_CONFIG_FILE: file });
    await expectConfigExit(app);
    expect(app.stderr()).toContain(`${file} is not valid JSON`);
    expect(app.stderr()).toMatch(/line 1, column 15/);
  });
});

describe('npm run config:check', () => {
  const run = (env: Record<string, string>) => {
    try {
      return {
        code: 0,
        out: execFileSync('npm', ['run', '-s', 'config:check'], {
          cwd: ROOT,
          env: { PATH: process.env.PATH ?? '', ...env },
        }).toString(),
      };
    } catch (error) {
      const e = error as { status: number; stdout: Buffer };
      return { code: e.status, out: e.stdout.toString() };
    }
  };

  it('masks a 64-character SECRET_KEY and names env:SECRET_KEY as its source', () => {
    const { code, out } = run({
      NODE_ENV: 'production',
      SECRET_KEY: STRONG_KEY,
      INSTANCE_PATH: os.tmpdir(),
    });
    expect(code).toBe(0);
    expect(out).not.toContain(STRONG_KEY);
    expect(out).toMatch(/^SECRET_KEY\s+•••• \(64 chars\)\s+env:SECRET_KEY$/m);
    expect(out).toMatch(/^PORT\s+3000\s+default$/m);
    expect(out).toMatch(/Warnings \(production\):/);
  });

  it('reports the lowercase keys of the config file as ignored', () => {
    const file = path.join(os.tmpdir(), `lower-${process.pid}.json`);
    fs.writeFileSync(file, JSON.stringify({ PORT: 4321, port: 1, secret_key: 'x' }));
    const { code, out } = run({
      APP_CONFIG_FILE: file,
      NODE_ENV: 'test',
      INSTANCE_PATH: os.tmpdir(),
    });
    fs.rmSync(file);
    expect(code).toBe(0);
    expect(out).toMatch(new RegExp(`^PORT\\s+4321\\s+file:${file}$`, 'm'));
    expect(out).toContain(`Ignored in ${file} (not UPPERCASE): port, secret_key`);
  });

  it('exits 1 and lists the problems', () => {
    const { code, out } = run({
      NODE_ENV: 'production',
      APP_PORT: '99999',
      INSTANCE_PATH: os.tmpdir(),
    });
    expect(code).toBe(1);
    expect(out).toMatch(/^- SECRET_KEY \(default\): is missing/m);
    expect(out).toMatch(/^- PORT \(env:APP_PORT\): expected a port number/m);
  });
});

describe('npm run secret', () => {
  it('prints a new 64-hex-character key each time', () => {
    const once = () => execFileSync('npm', ['run', '-s', 'secret'], { cwd: ROOT }).toString();
    const [a, b] = [once(), once()];
    expect(a).toMatch(/^[0-9a-f]{64}\n$/);
    expect(b).toMatch(/^[0-9a-f]{64}\n$/);
    expect(a).not.toBe(b);
  });
});
