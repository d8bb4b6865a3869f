import { INestApplication } from '@nestjs/common';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RawClient, jsonOf } from '../support/reliability/http-client';
import { startSmtp, TestSmtp } from '../support/smtp';
import { SoftwareAuthenticator } from '../support/software-authenticator';
import { createTestApp, PLATFORMS } from '../support/test-app';
import {
  Browser,
  ORIGIN,
  PasskeyJson,
  addPasskey,
  assertion,
  signedInUser,
} from '../support/passkey-browser';

/** Passkey changes past `REAUTH_TIMEOUT`, re-authentication with a passkey, the mails, the sign-in limit. */
describe.each(PLATFORMS)(
  'passkey changes need a recent authentication and are mailed (%s)',
  (platform) => {
    let app: INestApplication;
    let client: RawClient;
    let smtp: TestSmtp;
    let dir: string;

    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'passkeys-'));
      smtp = await startSmtp();
      app = await createTestApp({
        HTTP_ADAPTER: platform,
        INSTANCE_PATH: dir,
        DATABASE_URL: `sqlite:${path.join(dir, 'app.sqlite')}`,
        PUBLIC_URL: ORIGIN,
        MAIL_URL: smtp.url,
        APP_REAUTH_TIMEOUT: '2',
      });
      client = await RawClient.listen(app);
    });
    afterAll(async () => {
      client?.close();
      await app?.close();
      await smtp?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('asks for a password or passkey again past REAUTH_TIMEOUT before adding or deleting, not renaming', async () => {
      const { email, browser } = await signedInUser(client);
      expect((await smtp.nextMail(email)).subject).toMatch(/^Confirm your email address/);
      const authenticator = new SoftwareAuthenticator(ORIGIN);
      expect((await addPasskey(browser, authenticator, 'Phone')).status).toBe(201);
      const added = await smtp.nextMail(email);
      expect(added.subject).toBe('A passkey was added to your localhost:3000 account');
      expect(added.text).toContain('"Phone"');

      // Past REAUTH_TIMEOUT=2, which counts whole seconds.
      await new Promise((resolve) => setTimeout(resolve, 3200));
      const [passkey] = (
        await browser.json<{ passkeys: PasskeyJson[] }>('GET', '/account/passkeys', 200)
      ).passkeys;
      for (const [method, route] of [
        ['POST', '/account/passkeys/options'],
        ['POST', '/account/passkeys'],
        ['DELETE', `/account/passkeys/${passkey.id}`],
      ]) {
        const res = await browser.send(method, route, method === 'POST' ? {} : undefined);
        expect([res.status, jsonOf(res)]).toEqual([401, { error: 'reauthentication required' }]);
      }
      expect(
        (await browser.send('PATCH', `/account/passkeys/${passkey.id}`, { name: 'Old phone' }))
          .status,
      ).toBe(204);

      // A passkey of the account stands in for the password at /reauth.
      const options = await browser.json<{ challenge: string; allowCredentials: { id: string }[] }>(
        'POST',
        '/reauth/passkey/options',
        200,
        {},
      );
      expect(options.allowCredentials.map((c) => c.id)).toEqual([passkey.id]);
      const res = await browser.send('POST', '/reauth/passkey', {
        response: authenticator.get(options),
      });
      expect(res.status).toBe(204);
      expect((await browser.send('DELETE', `/account/passkeys/${passkey.id}`)).status).toBe(204);
      const removed = await smtp.nextMail(email);
      expect(removed.subject).toBe('A passkey was removed from your localhost:3000 account');
      expect(removed.text).toContain('"Old phone"');
    }, 20_000);
  },
);

describe.each(PLATFORMS)('passkey limits and re-authentication (%s)', (platform) => {
  let app: INestApplication;
  let client: RawClient;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'passkeys-'));
    app = await createTestApp({
      HTTP_ADAPTER: platform,
      TRUST_PROXY: '1',
      INSTANCE_PATH: dir,
      DATABASE_URL: `sqlite:${path.join(dir, 'app.sqlite')}`,
      PUBLIC_URL: ORIGIN,
      MAIL_URL: 'none',
    });
    client = await RawClient.listen(app);
  });
  afterAll(async () => {
    client?.close();
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("refuses re-authentication with another account's passkey or a bad one (403)", async () => {
    const owner = await signedInUser(client);
    const theirs = new SoftwareAuthenticator(ORIGIN);
    expect((await addPasskey(owner.browser, theirs)).status).toBe(201);
    const { browser } = await signedInUser(client);
    const mine = new SoftwareAuthenticator(ORIGIN);
    expect((await addPasskey(browser, mine)).status).toBe(201);

    const options = await browser.json<{ challenge: string }>(
      'POST',
      '/reauth/passkey/options',
      200,
      {},
    );
    const res = await browser.send('POST', '/reauth/passkey', { response: theirs.get(options) });
    expect([res.status, jsonOf(res)]).toEqual([
      403,
      {
        error: 'response: the passkey does not verify: this passkey belongs to another account',
        field: 'response',
      },
    ]);
    const again = await browser.json<{ challenge: string }>(
      'POST',
      '/reauth/passkey/options',
      200,
      {},
    );
    const wrongOrigin = mine.get(again, { origin: 'https://evil.example' });
    expect((await browser.send('POST', '/reauth/passkey', { response: wrongOrigin })).status).toBe(
      403,
    );
  });

  it('answers 429 with Retry-After past 30 passkey sign-ins from one address in 15 minutes', async () => {
    const address = '192.0.2.77';
    const authenticator = new SoftwareAuthenticator(ORIGIN);
    authenticator.create({
      challenge: 'AAAA',
      rp: { id: 'localhost', name: 'x' },
      user: { id: 'AAAA', name: 'x' },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      const browser = new Browser(client, address);
      const options = await browser.json<{ challenge: string }>(
        'POST',
        '/login/passkey/options',
        200,
        {},
      );
      const res = await browser.send('POST', '/login/passkey', {
        response: authenticator.get(options),
      });
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(statuses).toEqual([...Array(30).fill(401), 429]);
  });

  it('answers 429 with Retry-After past 60 sign-in options from one address in 15 minutes', async () => {
    const browser = new Browser(client, '192.0.2.78');
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) {
      const res = await browser.send('POST', '/login/passkey/options', {});
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(statuses).toEqual([...Array(60).fill(200), 429]);
    // Another address is counted on its own.
    expect(
      (await new Browser(client, '192.0.2.79').send('POST', '/login/passkey/options', {})).status,
    ).toBe(200);
  });
});

describe('passkey sign-in with EMAIL_VERIFICATION=required', () => {
  it('refuses an unverified address as a password sign-in is refused: 403, no session, a fresh mail', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'passkeys-required-'));
    const smtp = await startSmtp();
    const env = {
      INSTANCE_PATH: dir,
      DATABASE_URL: `sqlite:${path.join(dir, 'app.sqlite')}`,
      PUBLIC_URL: ORIGIN,
      MAIL_URL: smtp.url,
    };
    const authenticator = new SoftwareAuthenticator(ORIGIN);
    try {
      // Added while verification was optional; then the operator makes it required.
      const before = await createTestApp(env);
      const first = await RawClient.listen(before);
      let email: string;
      try {
        const signedIn = await signedInUser(first);
        email = signedIn.email;
        expect((await addPasskey(signedIn.browser, authenticator)).status).toBe(201);
      } finally {
        first.close();
        await before.close();
      }
      expect((await smtp.nextMail(email)).subject).toMatch(/^Confirm your email address/);
      expect((await smtp.nextMail(email)).subject).toMatch(/^A passkey was added/);

      const after = await createTestApp({ ...env, APP_EMAIL_VERIFICATION: 'required' });
      const second = await RawClient.listen(after);
      try {
        const { browser, response } = await assertion(second, authenticator);
        const res = await browser.send('POST', '/login/passkey', { response });
        expect([res.status, jsonOf(res)]).toEqual([403, { error: 'email not verified' }]);
        expect((await browser.send('GET', '/dashboard')).status).toBe(401);
        expect((await smtp.nextMail(email)).subject).toMatch(/^Confirm your email address/);
      } finally {
        second.close();
        await after.close();
      }
    } finally {
      await smtp.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 20_000);
});
