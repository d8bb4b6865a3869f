import { CookieSessionBackend } from './cookie-session.backend';
import { CookieSealer, deriveKeys, KEY_PURPOSE } from './session-keys';

const DAY_MS = 24 * 3600 * 1000;

describe(CookieSessionBackend.name, () => {
  const keys = deriveKeys(['key'], KEY_PURPOSE.cookieCipher);
  const sut = new CookieSessionBackend(new CookieSealer(keys), 31 * DAY_MS);

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

  it('flags a cookie opened with a fallback key for re-issue', async () => {
    const old = new CookieSessionBackend(
      new CookieSealer(deriveKeys(['old'], KEY_PURPOSE.cookieCipher)),
      DAY_MS,
    );
    const rotated = new CookieSessionBackend(
      new CookieSealer(deriveKeys(['key', 'old'], KEY_PURPOSE.cookieCipher)),
      DAY_MS,
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
