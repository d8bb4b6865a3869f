import { INestApplication } from '@nestjs/common';
import type TestAgent from 'supertest/lib/agent';
import { ACCOUNT_LIMITS } from '../../src/accounts/account-limits';
import { TokenService } from '../../src/tokens/token.service';
import { UsersService } from '../../src/users/users.service';
import { authMatrix, AuthSetup, csrfFrom, uniqueEmail } from '../support/auth-setup';
import { sessionAgent } from '../support/session-transaction';
import { startSmtp, TestSmtp, tokenOf } from '../support/smtp';
import { TEST_SECRET_KEY } from '../support/test-app';

/** Links must come from here, whatever Host the request carried. */
const PUBLIC_URL = 'https://accounts.example.test';
const PASSWORD = 'first password';

let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(() => smtp?.close());

// The SMTP URL is known only once the server listens: each row reads it when its app starts.
const MAIL_ENV: Record<string, string> = { PUBLIC_URL };
for (const { name, setup, describe: describeRow } of authMatrix(MAIL_ENV)) {
  describeRow(`accounts on ${name}`, () => accountsSuite(setup));
}

let addressCounter = 0;
/** A client address of its own (the apps trust one proxy hop), so no two tests share a counter. */
const newAddress = () => `198.51.100.${(addressCounter++ % 250) + 1}`;

function accountsSuite(setup: AuthSetup): void {
  let app: INestApplication;

  beforeAll(async () => {
    MAIL_ENV.MAIL_URL = smtp.url;
    app = await setup.createApp();
  });

  afterAll(async () => {
    await app?.close();
    await setup.cleanup();
  });

  /** A JSON client with a cookie jar and an address of its own. */
  const client = (address = newAddress()): TestAgent =>
    sessionAgent(app).set('Accept', 'application/json').set('X-Forwarded-For', address);

  async function register(email = uniqueEmail('acct'), password = PASSWORD) {
    const res = await client().post('/register').send({ email, password }).expect(201);
    expect(res.body).toEqual({ user: { id: expect.any(Number), email, emailVerified: false } });
    return { id: res.body.user.id as number, email };
  }

  async function signedIn(email: string, password = PASSWORD): Promise<TestAgent> {
    const agent = client();
    await agent.post('/login').send({ email, password }).expect(200);
    return agent;
  }

  async function resetLink(email: string): Promise<string> {
    await client().post('/password/forgot').send({ email }).expect(202);
    const mail = await smtp.nextMail(email);
    expect(mail.subject).toBe('Reset your password for accounts.example.test');
    return mail.links[0];
  }

  describe('email verification', () => {
    it('register → mail → the link page changes nothing → POST verifies once', async () => {
      const { email } = await register();
      const mail = await smtp.nextMail(email);
      expect(mail.subject).toBe('Confirm your email address for accounts.example.test');
      expect(mail.links).toEqual([expect.stringMatching(`^${PUBLIC_URL}/verify-email\\?token=`)]);
      expect(mail.html).toContain(`href="${mail.links[0].replace(/&/g, '&amp;')}"`);

      const agent = await signedIn(email);
      const page = await client()
        .get(new URL(mail.links[0]).pathname + new URL(mail.links[0]).search)
        .set('Accept', 'text/html');
      expect(page.status).toBe(200);
      expect(page.text).toContain('action="/verify-email"');
      expect(page.headers['cache-control']).toBe('no-store');
      expect((await agent.get('/account').expect(200)).body.user.emailVerified).toBe(false);

      const token = tokenOf(mail.links[0]);
      const verified = await client().post('/verify-email').send({ token }).expect(200);
      expect(verified.body).toEqual({
        user: { id: expect.any(Number), email, emailVerified: true },
      });
      const again = await client().post('/verify-email').send({ token }).expect(400);
      expect(again.body).toEqual({
        error: expect.stringMatching(/^token was already used/),
        field: 'token',
      });
      const account = await agent.get('/account').expect(200);
      expect(account.body).toEqual({
        user: { id: expect.any(Number), email, emailVerified: true, twoFactor: false, passkeys: 0 },
      });
      expect(account.headers['cache-control']).toBe('no-store');
    });

    it('resend: 202 and a new mail; 409 once verified; a refused send is 503 with Retry-After', async () => {
      const { email } = await register();
      const first = await smtp.nextMail(email);
      const agent = await signedIn(email);
      await agent.post('/verify-email/resend').send({}).expect(202);
      expect((await smtp.nextMail(email)).links).toEqual([
        expect.stringContaining('/verify-email?token='),
      ]);
      smtp.refuse = true;
      try {
        const refused = await agent.post('/verify-email/resend').send({}).expect(503);
        expect(refused.headers['retry-after']).toBe('30');
      } finally {
        smtp.refuse = false;
      }
      await client()
        .post('/verify-email')
        .send({ token: tokenOf(first.links[0]) })
        .expect(200);
      await agent.post('/verify-email/resend').send({}).expect(409);
      await client().post('/verify-email/resend').send({}).expect(401);
    });

    it('refuses tampered and foreign tokens as invalid', async () => {
      const { email } = await register();
      const token = tokenOf((await smtp.nextMail(email)).links[0]);
      const tampered = `${token.slice(0, -3)}${token.endsWith('AAA') ? 'BBB' : 'AAA'}`;
      for (const bad of [tampered, 'nonsense', 'a'.repeat(2000)]) {
        const res = await client().post('/verify-email').send({ token: bad }).expect(400);
        expect(res.body.field).toBe('token');
      }
      // A verification token is not a reset token.
      await client()
        .post('/password/reset')
        .send({ token, password: 'another password' })
        .expect(400);
    });
  });

  describe('password reset', () => {
    it('forgot → mail → reset once; every session ends; "password changed" mail; no sign-in', async () => {
      const { email } = await register();
      await smtp.nextMail(email);
      const [one, two] = [await signedIn(email), await signedIn(email)];
      const link = await resetLink(email);
      expect(link.startsWith(`${PUBLIC_URL}/password/reset?token=`)).toBe(true);

      const page = await client()
        .get(new URL(link).pathname + new URL(link).search)
        .set('Accept', 'text/html')
        .expect(200);
      expect(page.text).toContain(`name="token" value="${tokenOf(link)}"`);
      await one.get('/dashboard').expect(200); // the GET changed nothing

      const resetter = client();
      const res = await resetter
        .post('/password/reset')
        .send({ token: tokenOf(link), password: 'second password' });
      expect(res.status).toBe(204);
      expect(res.headers['set-cookie']).toBeUndefined();
      const reused = await client()
        .post('/password/reset')
        .send({ token: tokenOf(link), password: 'third password' });
      expect(reused.status).toBe(400);
      expect(reused.body.error).toMatch(/^token was already used/);

      await one.get('/dashboard').expect(401);
      await two.get('/dashboard').expect(401);
      await resetter.get('/dashboard').expect(401);
      expect((await smtp.nextMail(email)).subject).toBe(
        'Your accounts.example.test password was changed',
      );
      await client().post('/login').send({ email, password: PASSWORD }).expect(401);
      const agent = await signedIn(email, 'second password');
      expect((await agent.get('/account').expect(200)).body.user.emailVerified).toBe(true);
    });

    it('answers an unknown address exactly as a known one, and mails nothing', async () => {
      const { email } = await register();
      await smtp.nextMail(email);
      const known = await client().post('/password/forgot').send({ email }).expect(202);
      const nobody = uniqueEmail('nobody');
      const unknown = await client().post('/password/forgot').send({ email: nobody }).expect(202);
      expect(unknown.body).toEqual(known.body);
      await smtp.nextMail(email);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(smtp.pending(nobody)).toEqual([]);
    });

    it('mails at most 3 links per address per hour (then 202 and nothing), and limits each client address', async () => {
      const { email } = await register();
      await smtp.nextMail(email);
      for (let i = 0; i < ACCOUNT_LIMITS.resetMails.points + 2; i++) {
        await client().post('/password/forgot').send({ email }).expect(202);
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(smtp.pending(email)).toHaveLength(ACCOUNT_LIMITS.resetMails.points);
      while (smtp.pending(email).length > 0) await smtp.nextMail(email);

      const one = client();
      const answers: number[] = [];
      for (let i = 0; i <= ACCOUNT_LIMITS.forgotClient.points; i++) {
        answers.push((await one.post('/password/forgot').send({ email: uniqueEmail('x') })).status);
      }
      expect(answers.slice(0, -1).every((s) => s === 202)).toBe(true);
      const refused = await one.post('/password/forgot').send({ email });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    });

    it('lets exactly one of 5 parallel resets with one link through', async () => {
      const { email } = await register();
      await smtp.nextMail(email);
      const token = tokenOf(await resetLink(email));
      const statuses = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          client()
            .post('/password/reset')
            .send({ token, password: `parallel password ${i}` })
            .then((r) => r.status),
        ),
      );
      expect(statuses.sort()).toEqual([204, 400, 400, 400, 400]);
    });

    it('refuses a link from before a password change, an expired one, and a short password', async () => {
      const { id, email } = await register();
      await smtp.nextMail(email);
      const token = tokenOf(await resetLink(email));
      await client().post('/password/reset').send({ token, password: 'short' }).expect(400);
      const agent = await signedIn(email);
      await agent
        .post('/account/password')
        .send({ currentPassword: PASSWORD, password: 'changed password' })
        .expect(204);
      await smtp.nextMail(email);
      const stale = await client()
        .post('/password/reset')
        .send({ token, password: 'new password 1' })
        .expect(400);
      expect(stale.body.error).toMatch(/^token was already used, or the account changed/);

      const record = await app.get(UsersService).findRecord(id);
      const lifetimes = { 'password-reset': 3600, 'email-verification': 1, 'email-change': 1 };
      const old = new TokenService({
        secrets: [TEST_SECRET_KEY],
        lifetimes,
        now: () => Math.floor(Date.now() / 1000) - 3601,
      });
      const expired = old.sign('password-reset', { uid: id }, [record!.passwordHash, email]);
      const res = await client()
        .post('/password/reset')
        .send({ token: expired, password: 'new password 2' })
        .expect(400);
      expect(res.body.error).toMatch(/^token has expired/);
    });

    it('never builds a link from a hostile Host or X-Forwarded-Host', async () => {
      const { email } = await register();
      await smtp.nextMail(email);
      await client()
        .post('/password/forgot')
        .set('Host', 'evil.example')
        .set('X-Forwarded-Host', 'evil.example')
        .set('X-Forwarded-Proto', 'http')
        .send({ email })
        .expect(202);
      const mail = await smtp.nextMail(email);
      expect(mail.links).toEqual([expect.stringMatching(`^${PUBLIC_URL}/password/reset\\?token=`)]);
      expect(mail.text + mail.html).not.toContain('evil.example');
    });
  });

  describe('changing the password', () => {
    it('needs the current one (403, counted as a failed login); ends the other sessions and keeps this one', async () => {
      const { email } = await register();
      await smtp.nextMail(email);
      const [me, other] = [await signedIn(email), await signedIn(email)];
      const wrong = await me
        .post('/account/password')
        .send({ currentPassword: 'wrong', password: 'new password' });
      expect(wrong.status).toBe(403);
      expect(wrong.body).toEqual({
        error: 'currentPassword: wrong password',
        field: 'currentPassword',
      });
      await me
        .post('/account/password')
        .send({ currentPassword: PASSWORD, password: 'x' })
        .expect(400);

      const res = await me
        .post('/account/password')
        .send({ currentPassword: PASSWORD, password: 'new password' });
      expect(res.status).toBe(204);
      expect(res.headers['cache-control']).toBe('no-store');
      await me.get('/dashboard').expect(200);
      await other.get('/dashboard').expect(401);
      expect((await smtp.nextMail(email)).subject).toBe(
        'Your accounts.example.test password was changed',
      );
      await signedIn(email, 'new password');
    });

    it('refuses after 5 wrong current passwords from one address (the login throttle)', async () => {
      const { email } = await register();
      await smtp.nextMail(email);
      const address = newAddress();
      const me = sessionAgent(app)
        .set('Accept', 'application/json')
        .set('X-Forwarded-For', address);
      await me.post('/login').send({ email, password: PASSWORD }).expect(200);
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++)
        statuses.push(
          (
            await me
              .post('/account/password')
              .send({ currentPassword: `wrong ${i}`, password: 'new password' })
          ).status,
        );
      expect(statuses).toEqual([403, 403, 403, 403, 403, 429]);
    });
  });

  describe('changing the email address', () => {
    it('password → link to the new address, notice to the old → confirm → "changed" to the old', async () => {
      const { email } = await register();
      await smtp.nextMail(email);
      const taken = (await register()).email;
      await smtp.nextMail(taken);
      const me = await signedIn(email);
      const newEmail = uniqueEmail('moved');
      await me.post('/account/email').send({ email: newEmail, password: 'wrong' }).expect(403);
      await me.post('/account/email').send({ email: taken, password: PASSWORD }).expect(409);
      await me.post('/account/email').send({ email, password: PASSWORD }).expect(400);
      await me.post('/account/email').send({ email: newEmail, password: PASSWORD }).expect(202);

      const confirm = await smtp.nextMail(newEmail);
      expect(confirm.subject).toBe('Confirm your new email address for accounts.example.test');
      expect(confirm.links).toEqual([
        expect.stringMatching(`^${PUBLIC_URL}/account/email/confirm\\?token=`),
      ]);
      const notice = await smtp.nextMail(email);
      expect(notice.subject).toBe(
        'A change of your accounts.example.test email address was requested',
      );
      expect(notice.text).toContain(newEmail);
      expect((await me.get('/account').expect(200)).body.user.email).toBe(email);

      const token = tokenOf(confirm.links[0]);
      const res = await client().post('/account/email/confirm').send({ token }).expect(200);
      expect(res.body).toEqual({
        user: { id: expect.any(Number), email: newEmail, emailVerified: true },
      });
      expect((await smtp.nextMail(email)).subject).toBe(
        'Your accounts.example.test email address was changed',
      );
      await client().post('/account/email/confirm').send({ token }).expect(400);
      expect((await me.get('/account').expect(200)).body.user).toMatchObject({
        email: newEmail,
        emailVerified: true,
      });
      await signedIn(newEmail);
      await client().post('/login').send({ email, password: PASSWORD }).expect(401);
    });

    it('answers 409 when the new address was taken before the link was confirmed', async () => {
      const { email } = await register();
      await smtp.nextMail(email);
      const me = await signedIn(email);
      const newEmail = uniqueEmail('race');
      await me.post('/account/email').send({ email: newEmail, password: PASSWORD }).expect(202);
      const token = tokenOf((await smtp.nextMail(newEmail)).links[0]);
      await register(newEmail);
      await client().post('/account/email/confirm').send({ token }).expect(409);
    });
  });

  describe('HTML forms', () => {
    it('register page → form → "check your inbox"; the reset form → /login', async () => {
      const browser = sessionAgent(app).set('X-Forwarded-For', newAddress());
      const page = await browser.get('/register').expect(200);
      expect(page.text).toContain('action="/register"');
      expect((await browser.get('/').expect(200)).text).toContain('href="/register"');
      const email = uniqueEmail('form');
      const posted = await browser
        .post('/register')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), email, password: PASSWORD })
        .expect(302);
      expect(posted.headers.location).toBe('/register/done');
      expect((await browser.get('/register/done').expect(200)).text).toContain(
        'We mailed you a link',
      );
      await smtp.nextMail(email);

      const forgot = await browser.get('/password/forgot').expect(200);
      await browser
        .post('/password/forgot')
        .type('form')
        .send({ _csrf: csrfFrom(forgot.text), email })
        .expect(202);
      const link = (await smtp.nextMail(email)).links[0];
      const form = await browser.get(new URL(link).pathname + new URL(link).search).expect(200);
      const done = await browser
        .post('/password/reset')
        .type('form')
        .send({ _csrf: csrfFrom(form.text), token: tokenOf(link), password: 'form password' })
        .expect(302);
      expect(done.headers.location).toBe('/login');
      await smtp.nextMail(email);

      // A used link, a taken address, a wrong password: the form again with the message, and the status.
      const used = await browser
        .post('/password/reset')
        .type('form')
        .send({ _csrf: csrfFrom(form.text), token: tokenOf(link), password: 'form password 2' })
        .expect(400);
      expect(used.text).toMatch(/role="alert">token was already used/);
      const again = await browser.get('/register').expect(200);
      const taken = await browser
        .post('/register')
        .type('form')
        .send({ _csrf: csrfFrom(again.text), email, password: PASSWORD })
        .expect(409);
      expect(taken.text).toContain('role="alert">email already registered');
      expect(taken.text).toContain(`value="${email}"`);
      const login = await browser.get('/login').expect(200);
      await browser
        .post('/login')
        .type('form')
        .send({ _csrf: csrfFrom(login.text), email, password: 'form password' })
        .expect(302);
      const account = await browser.get('/account').expect(200);
      const wrong = await browser
        .post('/account/password')
        .type('form')
        .send({
          _csrf: csrfFrom(account.text),
          currentPassword: 'wrong',
          password: 'form password 3',
        })
        .expect(403);
      expect(wrong.text).toContain('role="alert">currentPassword: wrong password');
      expect(wrong.text).toContain('action="/account/password"');
    });
  });
}
