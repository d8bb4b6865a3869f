import { deriveKeys, KEY_PURPOSE, sessionKeys } from '../keys';
import { CookieSealer, decodePayload, encodePayload } from './cookie-format';

const BINDING = { appId: 'unit-app', cookieName: 'session' };

describe(CookieSealer.name, () => {
  const current = deriveKeys(['new'], KEY_PURPOSE.cookieCipher);
  const old = deriveKeys(['old'], KEY_PURPOSE.cookieCipher);

  it('opens what it sealed, with the index of the key', () => {
    const sut = new CookieSealer(current, BINDING);
    expect(sut.open(sut.seal('{"a":1}'))).toEqual({ text: '{"a":1}', keyIndex: 0 });
  });

  it('opens a value sealed under a fallback key and says so', () => {
    const sealed = new CookieSealer(old, BINDING).seal('x');
    expect(new CookieSealer([...current, ...old], BINDING).open(sealed)).toEqual({
      text: 'x',
      keyIndex: 1,
    });
  });

  it('refuses tampered, truncated and foreign values', () => {
    const sut = new CookieSealer(current, BINDING);
    const sealed = sut.seal('hello');
    const flipped = Buffer.from(sealed, 'base64url');
    flipped[20] ^= 1;
    expect(sut.open(flipped.toString('base64url'))).toBeNull();
    expect(sut.open(sealed.slice(0, 20))).toBeNull();
    expect(sut.open(new CookieSealer(old, BINDING).seal('hello'))).toBeNull();
    expect(sut.open('')).toBeNull();
  });

  it('refuses a value sealed for another app or another cookie name under the same secret', () => {
    const sealed = (binding: typeof BINDING) =>
      new CookieSealer(sessionKeys(['shared'], KEY_PURPOSE.cookieCipher, binding), binding);
    const sut = sealed(BINDING);
    const otherApp = sealed({ ...BINDING, appId: 'other-app' });
    const otherName = sealed({ ...BINDING, cookieName: '__Host-session' });
    expect(sut.open(sut.seal('x'))?.text).toBe('x');
    expect(sut.open(otherApp.seal('x'))).toBeNull();
    expect(sut.open(otherName.seal('x'))).toBeNull();
    // The same keys with another binding's authenticated data fail too: the binding is in both.
    const keysOnly = new CookieSealer(sessionKeys(['shared'], KEY_PURPOSE.cookieCipher, BINDING), {
      ...BINDING,
      appId: 'other-app',
    });
    expect(sut.open(keysOnly.seal('x'))).toBeNull();
  });
});

describe('cookie payload', () => {
  it('decodes what it encodes', () => {
    const payload = { t: 2, c: 1, p: 1 as const, i: 'id', d: { cart: ['a'] } };
    expect(decodePayload(encodePayload(payload))).toEqual(payload);
  });

  it('refuses text that is not a payload, and drops prototype-reaching keys', () => {
    expect(decodePayload('not json')).toBeNull();
    expect(decodePayload('{"t":1,"c":1,"p":2,"i":"x","d":{}}')).toBeNull();
    expect(decodePayload('{"t":1,"c":1,"p":0,"i":"x","d":[]}')).toBeNull();
    const decoded = decodePayload(
      '{"t":1,"c":1,"p":0,"i":"x","d":{"__proto__":{"admin":1},"a":1}}',
    );
    expect(decoded?.d).toEqual({ a: 1 });
    expect(Object.getPrototypeOf(decoded?.d)).toBe(Object.prototype);
  });
});
