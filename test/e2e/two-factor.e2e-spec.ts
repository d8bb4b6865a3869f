import { INestApplication } from '@nestjs/common';
import { CookieAccessInfo } from 'cookiejar';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type TestAgent from 'supertest/lib/agent';
import { PENDING_LOGIN_SECONDS } from '../../src/two-factor/pending-logins';
import type { PendingLogin } from '../../src/two-factor/pending-logins';
import { authMatrix, AuthSetup, csrfFrom, uniqueEmail } from '../support/auth-setup';
import { sessionAgent, sessionTransaction } from '../support/session-transaction';
import { startSmtp, TestSmtp, tokenOf } from '../support/smtp';
import { createTestApp, TEST_SECRET_KEY } from '../support/test-app';
import { roomInStep, totpCode } from '../support/totp';

const PUBLIC_URL = 'https://2fa.example.test';
const PASSWORD = 'first password';
const SITE = '2fa.example.test';

let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(() => smtp?.close());

const MAIL_ENV: Record<string, string> = { PUBLIC_URL };
for (const { name, setup, describe: describeRow } of authMatrix(MAIL_ENV)) {
  describeRow(`two-factor on ${name}`, () => twoFactorSuite(setup));
}

let addressCounter = 0;
const newAddress = () => `198.51.100.${(addressCounter++ % 250) + 1}`;

/** The session cookie the agent holds now. */
function cookieOf(agent: TestAgent): string {
  const cookies = agent.jar.getCookies(CookieAccessInfo.All);
  return cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}

function twoFactorSuite(setup: AuthSetup): void {
  let app: INestApplication;

  beforeAll(async () => {
    MAIL_ENV.MAIL_URL = smtp.url;
    app = await setup.createApp();
  });
  afterAll(async () => {
    await app?.close();
    await setup.cleanup();
  });

  const client = (address = newAddress()): TestAgent =>
    sessionAgent(app).set('Accept', 'application/json').set('X-Forwarded-For', address);

  async function signedIn(email: string): Promise<TestAgent> {
    const agent = client();
    const res = await agent.post('/login').send({ email, password: PASSWORD }).expect(200);
    expect(res.body.user).toBeDefined();
    return agent;
  }

  /** A new account with TOTP on: its agent (signed in), secret and first recovery codes. */
  async function withTotp() {
    const email = uniqueEmail('2fa');
    await client().post('/register').send({ email, password: PASSWORD }).expect(201);
    await smtp.nextMail(email);
    const agent = await signedIn(email);
    const { body } = await agent.post('/account/2fa/totp').send({}).expect(200);
    const secret = body.secret as string;
    const confirmed = await agent
      .post('/account/2fa/totp/confirm')
      .send({ code: totpCode(secret, -1) })
      .expect(200);
    expect((await smtp.nextMail(email)).subject).toBe(
      `Two-factor authentication was turned on for your ${SITE} account`,
    );
    return { email, agent, secret, codes: confirmed.body.recoveryCodes as string[] };
  }

  /** The password step: the agent holds a pending login. */
  async function pending(email: string, password = PASSWORD): Promise<TestAgent> {
    const agent = client();
    const res = await agent.post('/login').send({ email, password }).expect(200);
    expect(res.body).toEqual({ twoFactorRequired: true, methods: ['totp', 'recovery'] });
    return agent;
  }

  beforeEach(() => roomInStep());

  it('setup → a wrong code 400 → the right code turns it on with ten recovery codes', async () => {
    const email = uniqueEmail('2fa');
    await client().post('/register').send({ email, password: PASSWORD }).expect(201);
    await smtp.nextMail(email);
    const agent = await signedIn(email);

    const setupRes = await agent.post('/account/2fa/totp').send({}).expect(200);
    const { secret, uri, qrSvg } = setupRes.body as Record<string, string>;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(uri).toBe(
      `otpauth://totp/${SITE}:${encodeURIComponent(email)}?issuer=${SITE}&secret=${secret}&algorithm=SHA1&digits=6&period=30`,
    );
    expect(qrSvg).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(setupRes.headers['cache-control']).toBe('no-store');
    // Not on until confirmed: the password alone still signs in.
    await signedIn(email);
    expect((await agent.get('/account').expect(200)).body.user.twoFactor).toBe(false);

    // A second setup replaces the first: the first secret's code no longer confirms.
    const second = (await agent.post('/account/2fa/totp').send({}).expect(200)).body.secret;
    const wrong = await agent
      .post('/account/2fa/totp/confirm')
      .send({ code: totpCode(secret) })
      .expect(400);
    expect(wrong.body).toEqual({
      error: expect.stringMatching(/^code: wrong code/),
      field: 'code',
    });
    await agent.post('/account/2fa/totp/confirm').send({ code: 'x' }).expect(400);
    const long = await agent
      .post('/account/2fa/totp/confirm')
      .send({ code: 'x'.repeat(65) })
      .expect(400);
    expect(long.body).toEqual({ error: 'code: code must be at most 64 characters', field: 'code' });
    const bad = await agent.post('/account/2fa/totp/confirm').send({ code: 123456 }).expect(400);
    expect(bad.body).toEqual({ error: 'code: code must be a string', field: 'code' });

    const ok = await agent
      .post('/account/2fa/totp/confirm')
      .send({ code: totpCode(second) })
      .expect(200);
    const codes = ok.body.recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[0-9a-z]{5}-[0-9a-z]{5}$/);
    expect(ok.headers['cache-control']).toBe('no-store');
    const mail = await smtp.nextMail(email);
    expect(mail.subject).toBe(`Two-factor authentication was turned on for your ${SITE} account`);
    expect(mail.links).toEqual([`${PUBLIC_URL}/account`]);
    expect((await agent.get('/account').expect(200)).body.user).toEqual({
      id: expect.any(Number),
      email,
      emailVerified: false,
      twoFactor: true,
      passkeys: 0,
    });
    // On: a new setup is refused, and the code that confirmed it cannot confirm again.
    await agent.post('/account/2fa/totp').send({}).expect(409);
    await agent
      .post('/account/2fa/totp/confirm')
      .send({ code: totpCode(second, 1) })
      .expect(409);
  });

  it('a right password leaves the session pending (not signed in); a TOTP code signs in on a new session', async () => {
    const { email, secret } = await withTotp();
    const agent = client();
    await agent.post('/cart/items').send({ item: 'before login' }).expect(201);
    const visitorCookie = cookieOf(agent);
    const res = await agent.post('/login').send({ email, password: PASSWORD }).expect(200);
    expect(res.body).toEqual({ twoFactorRequired: true, methods: ['totp', 'recovery'] });
    const pendingCookie = cookieOf(agent);
    expect(pendingCookie).not.toBe('');
    // Regenerated at the password step (no fixation): the visitor's session holds no pending login.
    expect(pendingCookie).not.toBe(visitorCookie);
    const planted = client().set('Cookie', visitorCookie);
    await planted
      .post('/login/2fa')
      .send({ code: totpCode(secret) })
      .expect(401);
    await agent.get('/dashboard').expect(401);
    await agent.get('/account').expect(401);

    // A wrong password never reaches the second step.
    const wrong = await client().post('/login').send({ email, password: 'nope nope' }).expect(401);
    expect(wrong.body).toEqual({ error: 'invalid email or password' });

    const done = await agent
      .post('/login/2fa')
      .send({ code: totpCode(secret) })
      .expect(200);
    expect(done.body).toEqual({ user: { id: expect.any(Number), email } });
    expect(done.headers['cache-control']).toBe('no-store');
    expect(cookieOf(agent)).not.toBe(pendingCookie);
    await agent.get('/dashboard').expect(200);

    // No pending login (signed in now, or never started): 401 naming what to do.
    const none = await client()
      .post('/login/2fa')
      .send({ code: totpCode(secret) })
      .expect(401);
    expect(none.body.error).toMatch(/^no two-factor sign-in is waiting in this session/);
    await client().post('/login/2fa').send({}).expect(400);
  });

  it('never accepts a TOTP code twice, also from two parallel sign-ins', async () => {
    const { email, secret } = await withTotp();
    const code = totpCode(secret);
    const first = await pending(email);
    await first.post('/login/2fa').send({ code }).expect(200);
    const replay = await pending(email);
    const refused = await replay.post('/login/2fa').send({ code }).expect(401);
    expect(refused.body).toEqual({ error: 'code: wrong or already used code', field: 'code' });

    // Two sign-ins racing with the next code: exactly one wins.
    const next = totpCode(secret, 1);
    const agents = await Promise.all([pending(email), pending(email)]);
    const results = await Promise.all(
      agents.map((agent) => agent.post('/login/2fa').send({ code: next })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
    // An older code than the last accepted one is refused too.
    await replay.post('/login/2fa').send({ code }).expect(401);
  });

  it('accepts a recovery code once, typed in any case and spacing', async () => {
    const { email, codes } = await withTotp();
    const agent = await pending(email);
    const typed = codes[3].toUpperCase().replace('-', ' ');
    await agent.post('/login/2fa').send({ code: typed }).expect(200);
    await agent.get('/dashboard').expect(200);
    const again = await pending(email);
    await again.post('/login/2fa').send({ code: codes[3] }).expect(401);
    await again.post('/login/2fa').send({ code: codes[4] }).expect(200);
  });

  it('drops a pending login after 5 wrong codes: the 6th try is 429, then even a right code is 401', async () => {
    const { email, secret } = await withTotp();
    const agent = await pending(email);
    const copied = cookieOf(agent);
    for (let i = 0; i < 5; i++) await agent.post('/login/2fa').send({ code: '000000' }).expect(401);
    const limited = await agent
      .post('/login/2fa')
      .send({ code: totpCode(secret) })
      .expect(429);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(PENDING_LOGIN_SECONDS);
    expect(limited.body.error).toMatch(/^too many wrong codes for this sign-in/);
    const after = await agent
      .post('/login/2fa')
      .send({ code: totpCode(secret) })
      .expect(401);
    expect(after.body.error).toMatch(/^no two-factor sign-in is waiting/);
    // A copy of the session from before the drop (a cookie store keeps no server state) is refused too.
    const copy = client().set('Cookie', copied);
    await copy
      .post('/login/2fa')
      .send({ code: totpCode(secret) })
      .expect(429);
    // The password step starts a new pending login, with its own count.
    const fresh = await pending(email);
    await fresh
      .post('/login/2fa')
      .send({ code: totpCode(secret) })
      .expect(200);
  });

  it('counts parallel wrong codes before checking them: of 8 at once, 3 are refused with 429', async () => {
    const { email } = await withTotp();
    const agent = await pending(email);
    const cookie = cookieOf(agent);
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        client().set('Cookie', cookie).post('/login/2fa').send({ code: '000000' }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
  });

  it('refuses a pending login older than 5 minutes, and a used one sent again', async () => {
    const { email, secret } = await withTotp();
    const agent = await pending(email);
    let stored: PendingLogin | undefined;
    await sessionTransaction(agent, (session) => {
      const current = session.peek<PendingLogin>('pending_login');
      if (!current) throw new Error('no pending login in the session');
      stored = current;
      session.pending_login = { ...current, expiresAt: Date.now() - 1 };
    });
    expect(stored?.expiresAt).toBeGreaterThan(Date.now() + (PENDING_LOGIN_SECONDS - 10) * 1000);
    expect(stored?.expiresAt).toBeLessThanOrEqual(Date.now() + PENDING_LOGIN_SECONDS * 1000);
    await agent
      .post('/login/2fa')
      .send({ code: totpCode(secret) })
      .expect(401);
    await agent.get('/dashboard').expect(401);

    const used = await pending(email);
    const before = cookieOf(used);
    await used
      .post('/login/2fa')
      .send({ code: totpCode(secret) })
      .expect(200);
    const again = client().set('Cookie', before);
    expect([401, 429]).toContain(
      (await again.post('/login/2fa').send({ code: totpCode(secret, 1) })).status,
    );
    await again.get('/dashboard').expect(401);
  });

  it('new recovery codes end the old ones; turning off removes TOTP and the codes', async () => {
    const { email, agent, codes } = await withTotp();
    const fresh = await agent.post('/account/2fa/recovery-codes').send({}).expect(200);
    const newCodes = fresh.body.recoveryCodes as string[];
    expect(newCodes).toHaveLength(10);
    expect(newCodes.filter((c) => codes.includes(c))).toEqual([]);
    expect((await smtp.nextMail(email)).subject).toBe(
      `New recovery codes were made for your ${SITE} account`,
    );
    await (await pending(email)).post('/login/2fa').send({ code: codes[0] }).expect(401);
    await (await pending(email)).post('/login/2fa').send({ code: newCodes[0] }).expect(200);

    await agent.delete('/account/2fa').expect(204);
    expect((await smtp.nextMail(email)).subject).toBe(
      `Two-factor authentication was turned off for your ${SITE} account`,
    );
    expect((await agent.get('/account').expect(200)).body.user.twoFactor).toBe(false);
    await signedIn(email);
    await agent.post('/account/2fa/recovery-codes').send({}).expect(409);
    await agent.delete('/account/2fa').expect(204);
    expect(smtp.pending(email)).toEqual([]);
  });

  it('asks for recent authentication on every change; /reauth takes a TOTP code once, not a recovery code', async () => {
    const { agent, secret, codes } = await withTotp();
    await sessionTransaction(agent, (session) => {
      session.auth_at = 0;
    });
    const routes: [string, string][] = [
      ['post', '/account/2fa/totp'],
      ['post', '/account/2fa/totp/confirm'],
      ['post', '/account/2fa/recovery-codes'],
      ['delete', '/account/2fa'],
    ];
    for (const [method, route] of routes) {
      const res = await (method === 'post'
        ? agent.post(route).send({ code: '123456' })
        : agent.delete(route));
      expect([route, res.status, res.body]).toEqual([
        route,
        401,
        { error: 'reauthentication required' },
      ]);
    }
    const recovery = await agent.post('/reauth').send({ code: codes[0] }).expect(403);
    expect(recovery.body).toEqual({ error: 'code: wrong or already used code', field: 'code' });
    await agent
      .post('/reauth')
      .send({ code: totpCode(secret) })
      .expect(204);
    await agent.post('/account/2fa/recovery-codes').send({}).expect(200);
    await sessionTransaction(agent, (session) => {
      session.auth_at = 0;
    });
    await agent
      .post('/reauth')
      .send({ code: totpCode(secret) })
      .expect(403); // used already
    await agent.post('/reauth').send({ password: PASSWORD }).expect(204);
  });

  it('keeps the second factor through a password reset (the mailed link)', async () => {
    const { email, secret } = await withTotp();
    await client().post('/password/forgot').send({ email }).expect(202);
    const link = (await smtp.nextMail(email)).links[0];
    await client()
      .post('/password/reset')
      .send({ token: tokenOf(link), password: 'second password' })
      .expect(204);
    expect((await smtp.nextMail(email)).subject).toBe(`Your ${SITE} password was changed`);
    const agent = await pending(email, 'second password');
    await agent.get('/dashboard').expect(401);
    await agent
      .post('/login/2fa')
      .send({ code: totpCode(secret) })
      .expect(200);
    expect((await agent.get('/account').expect(200)).body.user.twoFactor).toBe(true);
  });

  it('HTML: the card turns TOTP on, the codes are shown once; login → /login/2fa → next', async () => {
    const email = uniqueEmail('2fa-html');
    await client().post('/register').send({ email, password: PASSWORD }).expect(201);
    await smtp.nextMail(email);
    const browser = sessionAgent(app).set('X-Forwarded-For', newAddress());
    const login = await browser.get('/login').expect(200);
    await browser
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(login.text), email, password: PASSWORD })
      .expect(302);
    const account = await browser.get('/account').expect(200);
    expect(account.text).toContain('id="two-factor-state" class="badge">off<');
    const setupPage = await browser
      .post('/account/2fa/totp')
      .type('form')
      .send({ _csrf: csrfFrom(account.text) })
      .expect(200);
    expect(setupPage.text).toMatch(/<div class="qr" id="totp-qr"><svg /);
    const secret = /id="totp-secret" class="secret">([A-Z2-7]+)</.exec(setupPage.text)?.[1] ?? '';
    const wrong = await browser
      .post('/account/2fa/totp/confirm')
      .type('form')
      .send({ _csrf: csrfFrom(setupPage.text), code: '000000' })
      .expect(400);
    expect(wrong.text).toContain('role="alert">code: wrong code');
    expect(wrong.text).toContain(`>${secret}<`);
    const shown = await browser
      .post('/account/2fa/totp/confirm')
      .type('form')
      .send({ _csrf: csrfFrom(setupPage.text), code: totpCode(secret, -1) })
      .expect(200);
    expect(shown.headers['cache-control']).toBe('no-store');
    const codes = [...shown.text.matchAll(/<li><code>([0-9a-z-]{11})<\/code><\/li>/g)].map(
      (m) => m[1],
    );
    expect(codes).toHaveLength(10);
    await smtp.nextMail(email);

    const visitor = sessionAgent(app).set('X-Forwarded-For', newAddress());
    const form = await visitor.get('/login?next=/cart').expect(200);
    const step = await visitor
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), email, password: PASSWORD, next: '/cart' })
      .expect(302);
    expect(step.headers.location).toBe('/login/2fa');
    const codePage = await visitor.get('/login/2fa').expect(200);
    expect(codePage.text).toContain('action="/login/2fa"');
    expect(codePage.text).toContain('autocomplete="one-time-code"');
    await visitor
      .post('/login/2fa')
      .type('form')
      .send({ code: totpCode(secret) })
      .expect(403);
    const bad = await visitor
      .post('/login/2fa')
      .type('form')
      .send({ _csrf: csrfFrom(codePage.text), code: '000000' })
      .expect(401);
    expect(bad.text).toContain('role="alert">wrong or already used code');
    const done = await visitor
      .post('/login/2fa')
      .type('form')
      .send({ _csrf: csrfFrom(codePage.text), code: codes[0] })
      .expect(302);
    expect(done.headers.location).toBe('/cart');
    await visitor.get('/dashboard').expect(200);
    expect((await sessionAgent(app).get('/login/2fa').expect(302)).headers.location).toBe('/login');

    const off = await browser.get('/account').expect(200);
    expect(off.text).toContain('id="two-factor-state" class="badge">on<');
    const disabled = await browser
      .post('/account/2fa/delete')
      .type('form')
      .send({ _csrf: csrfFrom(off.text) })
      .expect(302);
    expect(disabled.headers.location).toBe('/account#two-factor');
    expect((await browser.get('/account').expect(200)).text).toContain(
      'id="two-factor-state" class="badge">off<',
    );
  });
}

describe('two-factor across a SECRET_KEY rotation', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'two-factor-rotation-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const appWith = (env: Record<string, string>) =>
    createTestApp({
      DATABASE_URL: `sqlite:${path.join(dir, 'app.sqlite')}`,
      INSTANCE_PATH: dir,
      ...env,
    });
  const json = (app: INestApplication) => sessionAgent(app).set('Accept', 'application/json');

  it('reads a secret and recovery codes stored under the old key once it moved to SECRET_KEY_FALLBACKS, and seals the secret again under the new one', async () => {
    await roomInStep();
    const email = uniqueEmail('rotation');
    const before = await appWith({});
    let secret: string;
    let codes: string[];
    try {
      await json(before).post('/register').send({ email, password: PASSWORD }).expect(201);
      const agent = json(before);
      await agent.post('/login').send({ email, password: PASSWORD }).expect(200);
      secret = (await agent.post('/account/2fa/totp').send({}).expect(200)).body.secret;
      codes = (
        await agent
          .post('/account/2fa/totp/confirm')
          .send({ code: totpCode(secret, -1) })
          .expect(200)
      ).body.recoveryCodes;
    } finally {
      await before.close();
    }
    const after = await appWith({
      SECRET_KEY: 'the-new-secret-key',
      SECRET_KEY_FALLBACKS: TEST_SECRET_KEY,
    });
    try {
      const one = json(after);
      await one.post('/login').send({ email, password: PASSWORD }).expect(200);
      await one
        .post('/login/2fa')
        .send({ code: totpCode(secret) })
        .expect(200);
      const two = json(after);
      await two.post('/login').send({ email, password: PASSWORD }).expect(200);
      await two.post('/login/2fa').send({ code: codes[0] }).expect(200);
    } finally {
      await after.close();
    }
    // A key that never held the secret opens nothing: no way past the second step.
    const foreign = await appWith({ SECRET_KEY: 'an-unrelated-secret-key' });
    try {
      const four = json(foreign);
      await four.post('/login').send({ email, password: PASSWORD }).expect(200);
      await four.post('/login/2fa').send({ code: codes[2] }).expect(401);
      await four
        .post('/login/2fa')
        .send({ code: totpCode(secret, 1) })
        .expect(401);
    } finally {
      await foreign.close();
    }
    // The code accepted under the fallback sealed the secret again under the new key: the old key can go.
    // Recovery codes are only hashes, so those made under the old key end with it (make new ones first).
    const retired = await appWith({ SECRET_KEY: 'the-new-secret-key' });
    try {
      const three = json(retired);
      await three.post('/login').send({ email, password: PASSWORD }).expect(200);
      await three.post('/login/2fa').send({ code: codes[1] }).expect(401);
      await three
        .post('/login/2fa')
        .send({ code: totpCode(secret, 1) })
        .expect(200);
    } finally {
      await retired.close();
    }
  });
});
