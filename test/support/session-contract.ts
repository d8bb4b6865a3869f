import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { cookiePair, createSessionTestApp, sessionSetCookie } from './session-test-app';
import { sessionAgent, sessionTransaction } from './session-transaction';
import { PLATFORMS } from './test-app';

/** Asserts the session cookie's attributes, by name (express-session's `shouldSetCookie` style). */
export function expectSessionCookie(
  setCookie: string | undefined,
  expected: {
    httpOnly?: boolean;
    sameSite?: string;
    path?: string;
    expires?: boolean;
    expired?: boolean;
  },
): void {
  expect(setCookie).toBeDefined();
  const lower = (setCookie ?? '').toLowerCase();
  if (expected.httpOnly !== undefined) expect(lower.includes('; httponly')).toBe(expected.httpOnly);
  if (expected.sameSite) expect(lower).toContain(`; samesite=${expected.sameSite.toLowerCase()}`);
  if (expected.path) expect(lower).toContain(`; path=${expected.path}`);
  if (expected.expires !== undefined)
    expect(/; expires=/.test(lower) && /; max-age=/.test(lower)).toBe(expected.expires);
  if (expected.expired) expect(lower).toMatch(/^session=;.*max-age=0/);
}

/**
 * One contract, every store, both platforms: the session semantics that do not depend on where the data
 * lives. `makeEnv` gives the variables that select the store (and e.g. its Redis prefix).
 */
export function describeSessionStore(name: string, makeEnv: () => Record<string, string>): void {
  describe.each(PLATFORMS)(`session contract: ${name} store on %s`, (platform) => {
    let app: INestApplication;
    let agent: TestAgent;

    beforeAll(async () => {
      app = await createSessionTestApp({ ...makeEnv(), HTTP_ADAPTER: platform });
    });
    afterAll(async () => {
      await app.close();
    });
    beforeEach(() => {
      agent = sessionAgent(app);
    });

    it('sets no cookie for a new session that was only read, but varies on Cookie', async () => {
      const res = await agent.get('/s').expect(200);
      expect(res.body).toEqual({});
      expect(sessionSetCookie(res.headers)).toBeUndefined();
      expect(res.headers['vary']).toBe('Cookie');
    });

    it('keeps a top-level write for the next request, in a browser-session cookie', async () => {
      const res = await agent
        .post('/s/set')
        .send({ a: 1, nested: { b: ['c'] } })
        .expect(200);
      expectSessionCookie(sessionSetCookie(res.headers), {
        httpOnly: true,
        sameSite: 'Lax',
        path: '/',
        expires: false,
      });
      expect((await agent.get('/s')).body).toEqual({ a: 1, nested: { b: ['c'] } });
    });

    it('types SessionData keys on the session (cart)', async () => {
      expect((await agent.post('/s/typed').expect(200)).body).toEqual({ cart: ['typed'] });
      expect((await agent.get('/s')).body).toEqual({ cart: ['typed'] });
    });

    it('keeps a top-level delete', async () => {
      await agent.post('/s/set').send({ a: 1, b: 2 });
      const res = await agent.post('/s/delete/a').expect(200);
      expect(sessionSetCookie(res.headers)).toBeDefined();
      expect((await agent.get('/s')).body).toEqual({ b: 2 });
    });

    it('keeps a nested change flagged with modified = true', async () => {
      for (const item of ['x', 'y', 'z']) await agent.post('/s/cart').send({ item }).expect(201);
      expect((await agent.get('/s')).body).toEqual({ cart: ['x', 'y', 'z'] });
    });

    it('drops a nested change without modified = true (Flask rule) and sends no cookie', async () => {
      await agent.post('/s/cart').send({ item: 'x' });
      const res = await agent.post('/s/cart/forgetful').send({ item: 'y' }).expect(201);
      expect(res.body).toEqual({ count: 2 });
      expect(sessionSetCookie(res.headers)).toBeUndefined();
      expect((await agent.get('/s')).body).toEqual({ cart: ['x'] });
    });

    it('expires the cookie of a session emptied by clear(), with the same attributes', async () => {
      await agent.post('/s/set').send({ a: 1 });
      const res = await agent.post('/s/clear').expect(204);
      expectSessionCookie(sessionSetCookie(res.headers), {
        expired: true,
        httpOnly: true,
        sameSite: 'Lax',
        path: '/',
      });
      expect(res.headers['vary']).toBe('Cookie');
      expect((await agent.get('/s')).body).toEqual({});
    });

    it('gives a permanent session Expires/Max-Age and refreshes it on every request', async () => {
      const login = await agent.post('/s/permanent/true').expect(200);
      expectSessionCookie(sessionSetCookie(login.headers), { expires: true });
      const later = await agent.get('/s/untouched').expect(200);
      expectSessionCookie(sessionSetCookie(later.headers), { expires: true });
      expect(later.headers['vary']).toBe('Cookie');
    });

    it('does not refresh a non-permanent session that was not modified', async () => {
      await agent.post('/s/permanent/false').expect(200);
      const res = await agent.get('/s').expect(200);
      expect(sessionSetCookie(res.headers)).toBeUndefined();
    });

    it('regenerate() gives a new id and drops the old data; the old cookie no longer opens it', async () => {
      const first = await agent.post('/s/set').send({ secret: 'before' });
      const oldCookie = cookiePair(sessionSetCookie(first.headers)!);
      const oldId = (await agent.get('/s/meta')).body.id as string;
      const res = await agent.post('/s/regenerate').expect(200);
      expect(res.body.id).not.toBe(oldId);
      expect(sessionSetCookie(res.headers)).toBeDefined();
      expect((await agent.get('/s')).body).toEqual({ fresh: true });
      if (name !== 'cookie') {
        // Stores forget the old id; a cookie store's old cookie stays valid until it expires (documented).
        expect(
          (await request(app.getHttpServer()).get('/s').set('Cookie', oldCookie)).body,
        ).toEqual({});
      }
    });

    it.each([
      ['tampered', (v: string) => v.slice(0, -2) + (v.endsWith('A') ? 'BB' : 'AA')],
      ['truncated', (v: string) => v.slice(0, Math.floor(v.length / 2))],
      ['foreign', () => 'not-a-session-cookie'],
      ['oversized', () => 'A'.repeat(9000)],
      ['non-UTF-8', () => '%FF%FE%80'],
    ])('reads a %s cookie as an empty new session, never a 5xx', async (_kind, mangle) => {
      const res = await agent.post('/s/set').send({ a: 1 });
      const [cookieName, value] = cookiePair(sessionSetCookie(res.headers)!).split('=');
      const bad = await request(app.getHttpServer())
        .get('/s/meta')
        .set('Cookie', `${cookieName}=${mangle(value)}`);
      expect(bad.status).toBe(200);
      expect(bad.body).toMatchObject({ new: true });
    });

    it('adds Cookie to a Vary the handler set, once, and adds no Vary when the session is not used', async () => {
      const res = await agent.get('/s/vary-preset').expect(200);
      expect(res.headers['vary']).toBe('Accept-Encoding, Accept-Language, Cookie');
      expect((await agent.get('/s/untouched')).headers['vary']).toBeUndefined();
    });

    it('saves a write made in a guard whose exception bypasses the interceptor', async () => {
      await agent.get('/s/guarded').expect(403);
      expect((await agent.get('/s')).body).toEqual({ guard: 'was here' });
    });

    it('saves a write made after the handler (test_session_stored_last)', async () => {
      expect((await agent.get('/s/stored-last')).body).toEqual({ foo: null });
      expect((await agent.get('/s/stored-last')).body).toEqual({ foo: 42 });
    });

    it('never touches the session on /healthz, even with a permanent session', async () => {
      await agent.post('/s/permanent/true');
      const res = await agent.get('/healthz').expect(200);
      expect(sessionSetCookie(res.headers)).toBeUndefined();
      expect(res.headers['vary']).toBeUndefined();
    });

    it('lets sessionTransaction seed and read the session through a real cookie', async () => {
      await sessionTransaction(agent, (session) => {
        expect(session.size).toBe(0);
        session.set('foo', [42]);
      });
      expect((await agent.get('/s')).body).toEqual({ foo: [42] });
      await sessionTransaction(agent, (session) => {
        expect(session.get('foo')).toEqual([42]);
        session.cart = ['seeded'];
      });
      expect((await agent.get('/s')).body).toEqual({ foo: [42], cart: ['seeded'] });
    });
  });
}
