import { CookieSessionBackend } from './cookie-backend';
import { deriveKeys, KEY_PURPOSE } from '../keys';
import { CookieSealer } from './cookie-format';

const DAY_MS = 24 * 3600 * 1000;
const BINDING = { appId: 'unit-app', cookieName: 'session' };

describe(CookieSessionBackend.name, () => {
  const keys = deriveKeys(['key'], KEY_PURPOSE.cookieCipher);
  const lifetimes = { lifetimeMs: 31 * DAY_MS, absoluteLifetimeMs: 40 * DAY_MS };
  const sut = new CookieSessionBackend(new CookieSealer(keys, BINDING), lifetimes);

  afterEach(() => jest.useRealTimers());

  it('round-trips values, permanence and id', async () => {
    const state = await sut.open(undefined);
    state.values.cart = ['x'];
    state.permanent = true;
    const reopened = await sut.open(sut.cookieValue(state));
    expect({ ...reopened.values }).toEqual({ cart: ['x'] });
    expect(reopened).toMatchObject({ permanent: true, id: state.id, isNew: false, reissue: false });
  });

  it('refuses a cookie older than the lifetime, using the issue time inside it', async () => {
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    const state = await sut.open(undefined);
    state.values.a = 1;
    const cookie = sut.cookieValue(state);
    jest.setSystemTime(new Date('2026-01-31T00:00:00Z'));
    expect((await sut.open(cookie)).isNew).toBe(false);
    jest.setSystemTime(new Date('2026-02-02T00:00:00Z'));
    expect(await sut.open(cookie)).toMatchObject({ isNew: true, hadCookie: true });
  });

  it('refuses a cookie longer after its login than the absolute lifetime, however recently written', async () => {
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    const state = await sut.open(undefined);
    state.values.a = 1;
    jest.setSystemTime(new Date('2026-02-09T00:00:00Z'));
    state.issuedAt = Date.now(); // written yesterday... and every day since the login 39 days ago
    const cookie = sut.cookieValue(state);
    expect((await sut.open(cookie)).createdAt).toBe(Date.parse('2026-01-01T00:00:00Z'));
    jest.setSystemTime(new Date('2026-02-10T00:00:01Z'));
    expect(await sut.open(cookie)).toMatchObject({ isNew: true, hadCookie: true });
  });

  it('opens only the exact text it sealed', async () => {
    const state = await sut.open(undefined);
    state.values.a = 1;
    const cookie = sut.cookieValue(state);
    const padded = Buffer.from(cookie, 'base64url').toString('base64');
    for (const variant of [`${cookie}=`, ` ${cookie}`, `${cookie}.`, padded, `"${cookie}"`]) {
      expect(await sut.open(variant)).toMatchObject({ isNew: true, hadCookie: true });
    }
    expect((await sut.open(cookie)).isNew).toBe(false);
  });

  it('flags a cookie opened with a fallback key for re-issue', async () => {
    const old = new CookieSessionBackend(
      new CookieSealer(deriveKeys(['old'], KEY_PURPOSE.cookieCipher), BINDING),
      lifetimes,
    );
    const rotated = new CookieSessionBackend(
      new CookieSealer(deriveKeys(['key', 'old'], KEY_PURPOSE.cookieCipher), BINDING),
      lifetimes,
    );
    const state = await old.open(undefined);
    state.values.a = 1;
    expect((await rotated.open(old.cookieValue(state))).reissue).toBe(true);
  });

  it('keeps values in a null-prototype object', async () => {
    const state = await sut.open(undefined);
    expect(Object.getPrototypeOf(state.values)).toBeNull();
  });
});
