import { INestApplication } from '@nestjs/common';
import { authMatrix } from '../support/auth-setup';
import { RawClient, jsonOf } from '../support/reliability/http-client';
import { CreationOptions, SoftwareAuthenticator } from '../support/software-authenticator';
import {
  Browser,
  ORIGIN,
  PasskeyJson,
  addPasskey,
  assertion,
  signedInUser,
} from '../support/passkey-browser';
describe('passkeys', () => {
  for (const row of authMatrix({ PUBLIC_URL: ORIGIN })) {
    row.describe(row.name, () => {
      let app: INestApplication;
      let client: RawClient;

      beforeAll(async () => {
        app = await row.setup.createApp();
        client = await RawClient.listen(app);
      });
      afterAll(async () => {
        client?.close();
        await app?.close();
        await row.setup.cleanup();
      });

      it('registers, lists, renames and deletes a passkey; GET /account counts them', async () => {
        const { browser } = await signedInUser(client);
        const options = await browser.json<CreationOptions & Record<string, unknown>>(
          'POST',
          '/account/passkeys/options',
          200,
          {},
        );
        expect(options).toMatchObject({
          rp: { id: 'localhost' },
          attestation: 'none',
          authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
          excludeCredentials: [],
          timeout: 300_000,
        });
        const authenticator = new SoftwareAuthenticator(ORIGIN);
        const res = await browser.send('POST', '/account/passkeys', {
          response: authenticator.create(options),
        });
        expect(res.status).toBe(201);
        const { passkey } = jsonOf(res) as { passkey: PasskeyJson };
        expect(passkey).toEqual({
          id: authenticator.credentials[0].id.toString('base64url'),
          name: 'Chrome on Windows',
          createdAt: expect.any(String),
        });

        const second = await addPasskey(browser, new SoftwareAuthenticator(ORIGIN), 'Work key');
        expect(second.status).toBe(201);
        const again = await browser.json<CreationOptions & { excludeCredentials: unknown[] }>(
          'POST',
          '/account/passkeys/options',
          200,
          {},
        );
        expect(again.excludeCredentials).toHaveLength(2);
        expect(again.user.id).toBe(options.user.id); // one user handle per account

        const listed = await browser.send('GET', '/account/passkeys');
        expect(listed.headers['cache-control']).toBe('no-store');
        const { passkeys } = await browser.json<{ passkeys: PasskeyJson[] }>(
          'GET',
          '/account/passkeys',
          200,
        );
        expect(passkeys.map((p) => [p.name, p.lastUsedAt])).toEqual([
          ['Chrome on Windows', null],
          ['Work key', null],
        ]);
        const account = await browser.json<{ user: { passkeys: number } }>('GET', '/account', 200);
        expect(account.user.passkeys).toBe(2);

        expect(
          (await browser.send('PATCH', `/account/passkeys/${passkey.id}`, { name: ' Laptop ' }))
            .status,
        ).toBe(204);
        expect((await browser.send('DELETE', `/account/passkeys/${passkeys[1].id}`)).status).toBe(
          204,
        );
        const after = await browser.json<{ passkeys: PasskeyJson[] }>(
          'GET',
          '/account/passkeys',
          200,
        );
        expect(after.passkeys.map((p) => p.name)).toEqual(['Laptop']);
      });

      it('signs in with the passkey alone: a new session and sign-in record, counted as recent', async () => {
        const { browser } = await signedInUser(client);
        const authenticator = new SoftwareAuthenticator(ORIGIN);
        expect((await addPasskey(browser, authenticator)).status).toBe(201);

        const { browser: other, options, response } = await assertion(client, authenticator);
        expect(options).toMatchObject({ rpId: 'localhost', userVerification: 'required' });
        expect(options).not.toHaveProperty('allowCredentials.0');
        const before = other.cookie;
        const res = await other.send('POST', '/login/passkey', { response });
        expect(res.status).toBe(200);
        expect(jsonOf(res)).toEqual({
          user: { id: expect.any(Number), email: expect.any(String) },
        });
        expect(other.cookie).not.toBe(before);
        expect(await other.dashboard()).toBe(200);

        const { sessions } = await other.json<{ sessions: { current: boolean }[] }>(
          'GET',
          '/account/sessions',
          200,
        );
        expect(sessions.map((s) => s.current)).toEqual([true, false]);
        const { passkeys } = await other.json<{ passkeys: PasskeyJson[] }>(
          'GET',
          '/account/passkeys',
          200,
        );
        expect(passkeys[0].lastUsedAt).not.toBeNull();
        // A passkey sign-in is a recent authentication: a sensitive change goes through.
        expect((await other.send('DELETE', `/account/passkeys/${passkeys[0].id}`)).status).toBe(
          204,
        );
      });

      it('refuses a response from another origin or for another RP ID, or answering another challenge (400)', async () => {
        const { browser } = await signedInUser(client);
        const authenticator = new SoftwareAuthenticator(ORIGIN);
        const cases = [
          [{ origin: 'https://evil.example' }, 'origin'],
          [{ rpId: 'evil.example' }, 'rpId'],
          [{ challenge: Buffer.from('another challenge').toString('base64url') }, 'challenge'],
        ] as const;
        for (const [ceremony, field] of cases) {
          const options = await browser.json<CreationOptions>(
            'POST',
            '/account/passkeys/options',
            200,
            {},
          );
          const res = await browser.send('POST', '/account/passkeys', {
            response: authenticator.create(options, ceremony),
          });
          expect([res.status, (jsonOf(res) as { field: string }).field]).toEqual([400, field]);
        }
        // Without options first, and with the user not verified.
        const bare = await browser.send('POST', '/account/passkeys', {
          response: authenticator.create({
            challenge: 'AAAA',
            rp: { name: 'x' },
            user: { id: 'AAAA', name: 'x' },
          }),
        });
        expect([bare.status, (jsonOf(bare) as { field: string }).field]).toEqual([
          400,
          'challenge',
        ]);
        const options = await browser.json<CreationOptions>(
          'POST',
          '/account/passkeys/options',
          200,
          {},
        );
        const unverified = await browser.send('POST', '/account/passkeys', {
          response: authenticator.create(options, { unverified: true }),
        });
        expect(unverified.status).toBe(400);
        const fresh = await browser.json<CreationOptions>(
          'POST',
          '/account/passkeys/options',
          200,
          {},
        );
        const notDiscoverable = {
          ...authenticator.create(fresh),
          clientExtensionResults: { credProps: { rk: false } },
        };
        const refused = await browser.send('POST', '/account/passkeys', {
          response: notDiscoverable,
        });
        expect(jsonOf(refused)).toEqual({
          error: 'response: the authenticator made a non-discoverable credential',
          field: 'response',
        });
        expect(
          (await browser.json<{ passkeys: unknown[] }>('GET', '/account/passkeys', 200)).passkeys,
        ).toEqual([]);
      });

      it('takes each registration challenge once, even when the cookie that holds it is sent again', async () => {
        const { browser } = await signedInUser(client);
        const options = await browser.json<CreationOptions>(
          'POST',
          '/account/passkeys/options',
          200,
          {},
        );
        const copy = new Browser(client);
        copy.cookie = browser.cookie;
        const response = new SoftwareAuthenticator(ORIGIN).create(options);
        expect((await browser.send('POST', '/account/passkeys', { response })).status).toBe(201);
        const replay = await copy.send('POST', '/account/passkeys', { response });
        expect([replay.status, jsonOf(replay)]).toEqual([
          400,
          expect.objectContaining({ field: 'challenge' }),
        ]);
      });

      it('answers 400 naming the field for a malformed body or a long name, never a 500', async () => {
        const { browser } = await signedInUser(client);
        const bodies: [unknown, string][] = [
          [{}, 'response'],
          [{ response: 'x' }, 'response'],
          [{ response: { id: 'a', rawId: 'a', type: 'nope', response: {} } }, 'response.type'],
          [{ response: { id: '%%', rawId: 'a', type: 'public-key', response: {} } }, 'response.id'],
        ];
        for (const [body, field] of bodies) {
          const res = await browser.send('POST', '/account/passkeys', body);
          expect([res.status, (jsonOf(res) as { field: string }).field]).toEqual([400, field]);
        }
        const options = await browser.json<CreationOptions>(
          'POST',
          '/account/passkeys/options',
          200,
          {},
        );
        const long = await browser.send('POST', '/account/passkeys', {
          response: new SoftwareAuthenticator(ORIGIN).create(options),
          name: 'x'.repeat(65),
        });
        expect([long.status, (jsonOf(long) as { field: string }).field]).toEqual([400, 'name']);
        for (const name of ['', 'x'.repeat(65), 42]) {
          const rename = await browser.send('PATCH', '/account/passkeys/any', { name });
          expect([rename.status, (jsonOf(rename) as { field: string }).field]).toEqual([
            400,
            'name',
          ]);
        }
        const garbage = await browser.send('POST', '/login/passkey', {
          response: {
            id: 'AAAA',
            rawId: 'AAAA',
            type: 'public-key',
            response: { clientDataJSON: 'AA', authenticatorData: 'AA', signature: 'AA' },
          },
        });
        expect(garbage.status).toBe(401);
      });

      it('refuses an unknown credential, a bad signature, a used challenge and a counter that did not increase (401)', async () => {
        const { browser } = await signedInUser(client);
        const authenticator = new SoftwareAuthenticator(ORIGIN);
        expect((await addPasskey(browser, authenticator)).status).toBe(201);

        const stranger = new SoftwareAuthenticator(ORIGIN);
        stranger.create({
          challenge: 'AAAA',
          rp: { id: 'localhost', name: 'x' },
          user: { id: 'AAAA', name: 'x' },
        });
        const unknown = await assertion(client, stranger);
        const res1 = await unknown.browser.send('POST', '/login/passkey', {
          response: unknown.response,
        });
        expect([res1.status, jsonOf(res1)]).toEqual([
          401,
          { error: 'passkey sign-in failed: this passkey is not registered here' },
        ]);

        const forged = await assertion(client, authenticator);
        const signature = Buffer.from(forged.response.response.signature, 'base64url');
        signature[signature.length - 1] ^= 1;
        forged.response.response.signature = signature.toString('base64url');
        expect(
          (await forged.browser.send('POST', '/login/passkey', { response: forged.response }))
            .status,
        ).toBe(401);

        const good = await assertion(client, authenticator);
        expect(
          (await good.browser.send('POST', '/login/passkey', { response: good.response })).status,
        ).toBe(200);
        // The same counter again (stored > 0): a cloned authenticator.
        const cloned = new Browser(client);
        const options = await cloned.json<{ challenge: string }>(
          'POST',
          '/login/passkey/options',
          200,
          {},
        );
        const stale = authenticator.get(options, { counter: authenticator.credentials[0].counter });
        const res2 = await cloned.send('POST', '/login/passkey', { response: stale });
        expect(res2.status).toBe(401);
        expect(res2.text).toContain('counter');
        expect(await cloned.dashboard()).toBe(401);
      });

      it('accepts a synced passkey whose counter stays 0, and never the same answer twice, even with a copied cookie', async () => {
        const { browser } = await signedInUser(client);
        const synced = new SoftwareAuthenticator(ORIGIN, 0);
        expect((await addPasskey(browser, synced)).status).toBe(201);
        for (let i = 0; i < 2; i++) {
          const { browser: b, response } = await assertion(client, synced);
          expect((await b.send('POST', '/login/passkey', { response })).status).toBe(200);
        }

        const { browser: b, response } = await assertion(client, synced);
        const copied = new Browser(client);
        copied.cookie = b.cookie; // the cookie that still holds the challenge
        const results = await Promise.all(
          Array.from({ length: 10 }, () => {
            const c = new Browser(client);
            c.cookie = copied.cookie;
            return c.send('POST', '/login/passkey', { response });
          }),
        );
        expect(results.map((r) => r.status).sort()).toEqual([200, ...Array(9).fill(401)]);
        const replay = await copied.send('POST', '/login/passkey', { response });
        expect(replay.status).toBe(401);
        expect(await copied.dashboard()).toBe(401);
      });

      it("answers 404 for another user's passkey on DELETE and PATCH, and leaves it", async () => {
        const owner = await signedInUser(client);
        expect((await addPasskey(owner.browser, new SoftwareAuthenticator(ORIGIN))).status).toBe(
          201,
        );
        const [mine] = (
          await owner.browser.json<{ passkeys: PasskeyJson[] }>('GET', '/account/passkeys', 200)
        ).passkeys;
        const { browser: other } = await signedInUser(client);
        expect((await other.send('DELETE', `/account/passkeys/${mine.id}`)).status).toBe(404);
        expect(
          (await other.send('PATCH', `/account/passkeys/${mine.id}`, { name: 'mine' })).status,
        ).toBe(404);
        expect((await other.send('DELETE', '/account/passkeys/unknown')).status).toBe(404);
        const still = await owner.browser.json<{ passkeys: PasskeyJson[] }>(
          'GET',
          '/account/passkeys',
          200,
        );
        expect(still.passkeys.map((p) => p.name)).toEqual([mine.name]);
      });
    });
  }
});
