import fc from 'fast-check';
import { safeNext } from '../../src/common/safe-next';
import { csrfFrom, SEED_EMAIL, SEED_PASSWORD } from '../support/auth-setup';
import { eachTarget, HostileTarget, startHostileTarget } from '../support/reliability/apps';
import { percentBytes } from '../support/reliability/hostile-cookies';
import { hostileForwarding, hostileNext, isOnSite } from '../support/reliability/hostile-redirects';
import { cookiesOf } from '../support/reliability/http-client';
import { FULL, PROFILE, PROPERTY_TIMEOUT_MS, SEED } from '../support/reliability/profile';

/** Form logins cost an Argon2 verification each, so fewer runs than the cheap properties. */
const LOGIN_RUNS = FULL ? 100 : 8;

const query = (next: string) => `next=${percentBytes(Buffer.from(next, 'utf8'))}`;

function unescapeHtml(text: string): string {
  const entities: Record<string, string> = { quot: '"', amp: '&', lt: '<', gt: '>', '#39': "'" };
  return text.replace(/&(quot|amp|lt|gt|#39);/g, (_, name: string) => entities[name]);
}

describe('safeNext (the one place `next` is judged)', () => {
  it(`never returns an off-site target (${PROFILE.headerRuns * 20} runs)`, () => {
    fc.assert(
      fc.property(hostileNext, (next) => {
        const target = safeNext(next, '/dashboard');
        expect(target === '/dashboard' || isOnSite(target)).toBe(true);
      }),
      { numRuns: PROFILE.headerRuns * 20, seed: SEED },
    );
  });
});

eachTarget('hostile headers and redirect targets', (platform, store) => {
  let target: HostileTarget;
  beforeAll(async () => {
    target = await startHostileTarget(platform, store);
  });
  afterAll(() => target?.close());

  it(`GET /login?next=… renders only an on-site next (${PROFILE.headerRuns} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(hostileNext, hostileForwarding, async (next, forwarding) => {
        const res = await target.client.send({
          path: `/login?${query(next)}`,
          headers: forwarding,
        });
        expect(res.status).toBe(200);
        const rendered = /name="next" value="([^"]*)"/.exec(res.text)?.[1];
        expect(isOnSite(unescapeHtml(rendered ?? ''))).toBe(true);
      }),
      { numRuns: PROFILE.headerRuns, seed: SEED, endOnFailure: true },
    );
  });

  it(`GET /dashboard signed out redirects on-site only (${PROFILE.headerRuns} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(hostileNext, hostileForwarding, async (next, forwarding) => {
        const res = await target.client.send({
          path: `/dashboard?${query(next)}`,
          headers: forwarding,
        });
        expect(res.status).toBe(302);
        expect(res.headers.location).toMatch(/^\/login\?next=\/dashboard/);
        expect(isOnSite(res.headers.location)).toBe(true);
      }),
      { numRuns: PROFILE.headerRuns, seed: SEED, endOnFailure: true },
    );
  });

  it(
    `POST /login (form) with a hostile next redirects on-site only (${LOGIN_RUNS} runs)`,
    async () => {
      await fc.assert(
        fc.asyncProperty(hostileNext, hostileForwarding, async (next, forwarding) => {
          const page = await target.client.send({ path: '/login' });
          const cookie = cookiesOf(page);
          const body = `email=${encodeURIComponent(SEED_EMAIL)}&password=${SEED_PASSWORD}&_csrf=${encodeURIComponent(csrfFrom(page.text))}&${query(next)}`;
          const res = await target.client.send({
            method: 'POST',
            path: '/login',
            headers: {
              ...forwarding,
              Cookie: cookie,
              'Content-Type': 'application/x-www-form-urlencoded',
            },
            body,
          });
          expect(res.status).toBe(302);
          expect(isOnSite(res.headers.location)).toBe(true);
        }),
        { numRuns: LOGIN_RUNS, seed: SEED, endOnFailure: true },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it.each([
    ['one 64 KB header', { 'X-Big': 'a'.repeat(64 * 1024) }],
    ['a 20 KB cookie', { Cookie: `session=${'b'.repeat(20 * 1024)}` }],
    [
      '500 headers of 100 bytes',
      Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`X-H${i}`, 'c'.repeat(100)])),
    ],
  ])('answers %s with a 4xx and keeps serving', async (_case, headers) => {
    // A fresh connection: both platforms answer 431 and then destroy the socket, so on a reused keep-alive
    // socket Node's client can see the reset before the response (a client-side race, not a server 5xx).
    const res = await target.client.send({
      path: '/dashboard',
      headers: { Accept: 'application/json', ...headers },
      fresh: true,
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const after = await target.client.send({ path: '/healthz' });
    expect(after.status).toBe(200);
  });
});
