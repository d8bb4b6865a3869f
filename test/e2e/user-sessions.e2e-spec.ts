import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { INestApplication } from '@nestjs/common';
import { uniqueEmail } from '../support/auth-setup';
import { RawClient, RawResponse, jsonOf, setCookiePair } from '../support/reliability/http-client';
import { deleteKeys, describeWithRedis, REDIS_URL, uniquePrefix } from '../support/redis';
import { startSmtp, TestSmtp } from '../support/smtp';
import { createTestApp, PLATFORMS } from '../support/test-app';

const PASSWORD = 'long-enough-password';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

interface SessionView {
  id: string;
  current: boolean;
  createdAt: string;
  lastSeenAt: string;
  ip: string;
  device: string;
}

/** One browser: its address, its `User-Agent`, and its session cookie, updated like a browser's. */
class Device {
  cookie = '';

  constructor(
    private readonly client: RawClient,
    private readonly userAgent: string,
    private readonly address = '203.0.113.10',
  ) {}

  async send(method: string, route: string, body?: object): Promise<RawResponse> {
    const res = await this.client.send({
      method,
      path: route,
      headers: {
        Accept: 'application/json',
        'User-Agent': this.userAgent,
        'X-Forwarded-For': this.address,
        ...(method === 'POST' ? { 'Content-Type': 'application/json' } : {}),
        ...(this.cookie ? { Cookie: this.cookie } : {}),
      },
      // A JSON POST needs a body (Fastify refuses an empty one); GET and DELETE send none.
      body: method === 'POST' ? JSON.stringify(body ?? {}) : undefined,
    });
    const set = setCookiePair(res, 'session');
    if (set !== undefined) this.cookie = set.endsWith('=') ? '' : set;
    return res;
  }

  async login(email: string): Promise<void> {
    const res = await this.send('POST', '/login', { email, password: PASSWORD });
    if (res.status !== 200) throw new Error(`login: ${res.status} ${res.text}`);
  }

  async sessions(): Promise<SessionView[]> {
    const res = await this.send('GET', '/account/sessions');
    expect(res.status).toBe(200);
    return (jsonOf(res) as { sessions: SessionView[] }).sessions;
  }

  async dashboard(): Promise<number> {
    return (await this.send('GET', '/dashboard')).status;
  }
}

async function register(client: RawClient): Promise<string> {
  const email = uniqueEmail('devices');
  const res = await new Device(client, FIREFOX).send('POST', '/register', {
    email,
    password: PASSWORD,
  });
  if (res.status !== 201) throw new Error(`register: ${res.status} ${res.text}`);
  return email;
}

function eachStore(body: (platform: string, store: 'cookie' | 'redis') => void): void {
  for (const platform of PLATFORMS) {
    describe(`on ${platform}, cookie store`, () => body(platform, 'cookie'));
    describeWithRedis(`on ${platform}, redis store`, () => body(platform, 'redis'));
  }
}

describe('sessions a user can see and end', () => {
  eachStore((platform, store) => {
    let app: INestApplication;
    let client: RawClient;
    let smtp: TestSmtp;
    let dir: string;
    const prefix = uniquePrefix(`user-sessions-${platform}`);

    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'user-sessions-'));
      smtp = await startSmtp();
      app = await createTestApp({
        HTTP_ADAPTER: platform,
        SESSION_STORE: store,
        TRUST_PROXY: '1',
        INSTANCE_PATH: dir,
        DATABASE_URL: `sqlite:${path.join(dir, 'app.sqlite')}`,
        MAIL_URL: smtp.url,
        APP_REAUTH_TIMEOUT: '3',
        ...(store === 'redis' ? { REDIS_URL, APP_SESSION_KEY_PREFIX: prefix } : {}),
      });
      client = await RawClient.listen(app);
    });
    afterAll(async () => {
      client?.close();
      await app?.close();
      await smtp?.close();
      fs.rmSync(dir, { recursive: true, force: true });
      if (store === 'redis' && REDIS_URL) await deleteKeys(REDIS_URL, prefix);
    });

    it('lists one record per sign-in, this one marked, with the device read from User-Agent', async () => {
      const email = await register(client);
      const [laptop, desktop] = [new Device(client, FIREFOX), new Device(client, CHROME)];
      await laptop.login(email);
      await desktop.login(email);

      const sessions = await laptop.sessions();
      expect(sessions.map((s) => [s.device, s.current])).toEqual([
        ['Chrome on Windows', false],
        ['Firefox on Linux', true],
      ]);
      expect(sessions[0].ip).toBe('203.0.113.10');
      expect(new Set(sessions.map((s) => s.id)).size).toBe(2);
      // The record's id is its own: neither the cookie nor a store id.
      for (const { id } of sessions) expect(laptop.cookie + desktop.cookie).not.toContain(id);
    });

    it('signs one device out (401 there), refuses another user’s or an unknown id with 404', async () => {
      const email = await register(client);
      const [laptop, desktop] = [new Device(client, FIREFOX), new Device(client, CHROME)];
      await laptop.login(email);
      await desktop.login(email);
      const other = (await desktop.sessions()).find((s) => s.current) as SessionView;

      expect((await laptop.send('DELETE', `/account/sessions/${other.id}`)).status).toBe(204);
      expect(await desktop.dashboard()).toBe(401);
      expect(await laptop.dashboard()).toBe(200);
      expect((await laptop.sessions()).map((s) => s.device)).toEqual(['Firefox on Linux']);

      const stranger = new Device(client, CHROME);
      await stranger.login(await register(client));
      const mine = (await laptop.sessions())[0];
      expect((await stranger.send('DELETE', `/account/sessions/${mine.id}`)).status).toBe(404);
      expect((await stranger.send('DELETE', '/account/sessions/unknown')).status).toBe(404);
      expect(await laptop.dashboard()).toBe(200);
    });

    it('treats ending the current session as a logout, and asks for a recent authentication', async () => {
      const email = await register(client);
      const laptop = new Device(client, FIREFOX);
      await laptop.login(email);
      // Past REAUTH_TIMEOUT=3, which counts whole seconds.
      await new Promise((resolve) => setTimeout(resolve, 4200));
      const [current] = await laptop.sessions();
      const stale = await laptop.send('DELETE', `/account/sessions/${current.id}`);
      expect([stale.status, jsonOf(stale)]).toEqual([401, { error: 'reauthentication required' }]);
      expect((await laptop.send('POST', '/reauth', { password: PASSWORD })).status).toBe(204);
      expect((await laptop.send('DELETE', `/account/sessions/${current.id}`)).status).toBe(204);
      expect(await laptop.dashboard()).toBe(401);
    }, 15_000);

    it('POST /logout/others ends every other session and keeps this one', async () => {
      const email = await register(client);
      const devices = [FIREFOX, CHROME, FIREFOX].map((agent) => new Device(client, agent));
      for (const device of devices) await device.login(email);

      expect((await devices[0].send('POST', '/logout/others')).status).toBe(204);
      expect(await Promise.all(devices.map((d) => d.dashboard()))).toEqual([200, 401, 401]);
      expect((await devices[0].sessions()).length).toBe(1);
    });

    it('mails a sign-in from a new device or network, and not one from a device seen before', async () => {
      const email = await register(client);
      expect((await smtp.nextMail(email)).subject).toMatch(/^Confirm your email address/);
      await new Device(client, FIREFOX).login(email); // the first sign-in: nothing to compare with
      await new Device(client, FIREFOX).login(email); // the same device and network
      expect(smtp.pending(email).filter((m) => /New sign-in/.test(m.subject))).toEqual([]);

      await new Device(client, CHROME).login(email);
      const mail = await smtp.nextMail(email);
      expect(mail.subject).toMatch(/^New sign-in to your .* account$/);
      expect(mail.text).toContain('Chrome on Windows');
      expect(mail.text).toContain('203.0.113.10');
      expect(mail.links).toEqual([
        expect.stringMatching(/^http:\/\/localhost:\d+\/account\/sessions$/),
      ]);

      await new Device(client, FIREFOX, '198.51.100.20').login(email); // same device, other network
      expect((await smtp.nextMail(email)).text).toContain('198.51.100.20');
    });
  });
});

describe.each(PLATFORMS)('a copied cookie-store cookie (%s)', (platform) => {
  let app: INestApplication;
  let client: RawClient;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'copied-cookie-'));
    app = await createTestApp({
      HTTP_ADAPTER: platform,
      INSTANCE_PATH: dir,
      DATABASE_URL: `sqlite:${path.join(dir, 'app.sqlite')}`,
    });
    client = await RawClient.listen(app);
  });
  afterAll(async () => {
    client?.close();
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is refused once its record is ended from another session, though the cookie itself is valid', async () => {
    const email = await register(client);
    const [laptop, phone] = [new Device(client, FIREFOX), new Device(client, CHROME)];
    await laptop.login(email);
    await phone.login(email);
    const copy = new Device(client, FIREFOX);
    copy.cookie = laptop.cookie;
    expect(await copy.dashboard()).toBe(200);

    const target = (await laptop.sessions()).find((s) => s.current) as SessionView;
    expect((await phone.send('DELETE', `/account/sessions/${target.id}`)).status).toBe(204);
    expect(await copy.dashboard()).toBe(401);
  });
});
