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
 * A tampered, truncated, foreign, oversized or expired cookie is an empty new session, never a 500, and
 * a cookie is accepted only in the exact text the server issued. Every generated cookie gets
 * 200/401 from /dashboard and 200 from /cart, and /dashboard answers 200 only when the text the app reads
 * is, byte for byte, the cookie it issued.
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
      await fc.assert(
        fc.asyncProperty(hostileCookie(genuine), async ({ header }) => {
          const headers = { ...JSON_ACCEPT, Cookie: header };
          const dashboard = await target.client.send({ path: '/dashboard', headers });
          expect([200, 401]).toContain(dashboard.status);
          // HTTP strips whitespace around a header's whole value before the app sees it.
          if (dashboard.status === 200)
            expect(sessionValueIn(header.trim(), 'session')).toBe(genuine.value);
          const cart = await target.client.send({ path: '/cart', headers });
          expect([200, 401]).toContain(cart.status);
        }),
        { numRuns: PROFILE.cookieRuns, seed: SEED, endOnFailure: true },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
