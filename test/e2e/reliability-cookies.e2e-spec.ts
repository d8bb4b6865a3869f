import fc from 'fast-check';
import { eachTarget, HostileTarget, signIn, startHostileTarget } from '../support/reliability/apps';
import {
  GenuineCookie,
  hostileCookie,
  sessionValueIn,
} from '../support/reliability/hostile-cookies';
import { PROFILE, PROPERTY_TIMEOUT_MS, SEED } from '../support/reliability/profile';

const JSON_ACCEPT = { Accept: 'application/json' };

/**
 * SPEC §4: "A tampered, truncated, foreign, oversized or expired cookie is an empty new session: never a
 * 500." Every generated cookie gets 200/401 from /dashboard and 200 from /cart, and /dashboard answers 200
 * only when the value the app reads is the genuine cookie it issued.
 */
eachTarget('hostile session cookies', (platform, store) => {
  let target: HostileTarget;
  let genuine: GenuineCookie;

  beforeAll(async () => {
    target = await startHostileTarget(platform, store);
    const { cookie, userId } = await signIn(target.client);
    genuine = { name: 'session', value: cookie.slice('session='.length), store, userId };
  });
  afterAll(() => target?.close());

  it('accepts the genuine cookie (the baseline the property mutates)', async () => {
    const res = await target.client.send({
      path: '/dashboard',
      headers: { ...JSON_ACCEPT, Cookie: `session=${genuine.value}` },
    });
    expect(res.status).toBe(200);
  });

  it(
    `never answers 5xx and never signs a forged cookie in (${PROFILE.cookieRuns} runs)`,
    async () => {
      // Base64url decoding skips stray characters and a last character's unused bits, so different texts
      // can carry the genuine sealed bytes; those are the genuine cookie, not a forgery.
      const canonical = (v: string | undefined) =>
        store === 'cookie' ? Buffer.from(v ?? '', 'base64url').toString('hex') : v;
      const realValue = canonical(sessionValueIn(`session=${genuine.value}`, 'session'));
      await fc.assert(
        fc.asyncProperty(hostileCookie(genuine), async ({ header }) => {
          const headers = { ...JSON_ACCEPT, Cookie: header };
          const dashboard = await target.client.send({ path: '/dashboard', headers });
          expect([200, 401]).toContain(dashboard.status);
          if (dashboard.status === 200)
            expect(canonical(sessionValueIn(header, 'session'))).toBe(realValue);
          const cart = await target.client.send({ path: '/cart', headers });
          expect([200, 401]).toContain(cart.status);
        }),
        { numRuns: PROFILE.cookieRuns, seed: SEED, endOnFailure: true },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
