import { CookieSealer, deriveKey, deriveKeys, KEY_PURPOSE, SessionIdSigner } from './session-keys';

describe('session keys', () => {
  it('derives a distinct 32-byte key per purpose, never the raw secret, even from a short key', () => {
    const cipher = deriveKey('ci-test-secret-key', KEY_PURPOSE.cookieCipher);
    const signature = deriveKey('ci-test-secret-key', KEY_PURPOSE.idSignature);
    expect(cipher).toHaveLength(32);
    expect(cipher.equals(signature)).toBe(false);
    expect(cipher.toString('latin1')).not.toContain('ci-test-secret-key');
  });
});

describe(CookieSealer.name, () => {
  const current = deriveKeys(['new'], KEY_PURPOSE.cookieCipher);
  const old = deriveKeys(['old'], KEY_PURPOSE.cookieCipher);

  it('opens what it sealed, with the index of the key', () => {
    const sut = new CookieSealer(current);
    expect(sut.open(sut.seal('{"a":1}'))).toEqual({ text: '{"a":1}', keyIndex: 0 });
  });

  it('opens a value sealed under a fallback key and says so', () => {
    const sealed = new CookieSealer(old).seal('x');
    expect(new CookieSealer([...current, ...old]).open(sealed)).toEqual({ text: 'x', keyIndex: 1 });
  });

  it('refuses tampered, truncated and foreign values', () => {
    const sut = new CookieSealer(current);
    const sealed = sut.seal('hello');
    const flipped = Buffer.from(sealed, 'base64url');
    flipped[20] ^= 1;
    expect(sut.open(flipped.toString('base64url'))).toBeNull();
    expect(sut.open(sealed.slice(0, 20))).toBeNull();
    expect(sut.open(new CookieSealer(old).seal('hello'))).toBeNull();
    expect(sut.open('')).toBeNull();
  });
});

describe(SessionIdSigner.name, () => {
  it('signs with the current key and verifies with every key', () => {
    const oldSigner = new SessionIdSigner(deriveKeys(['old'], KEY_PURPOSE.idSignature));
    const sut = new SessionIdSigner(deriveKeys(['new', 'old'], KEY_PURPOSE.idSignature));
    expect(sut.verify(sut.sign('abc'))).toEqual({ id: 'abc', keyIndex: 0 });
    expect(sut.verify(oldSigner.sign('abc'))).toEqual({ id: 'abc', keyIndex: 1 });
    expect(sut.sign('abc')).toMatch(/^s:abc\./);
  });

  it('refuses a forged or unsigned id', () => {
    const sut = new SessionIdSigner(deriveKeys(['new'], KEY_PURPOSE.idSignature));
    expect(sut.verify('s:abc.forged')).toBeNull();
    expect(sut.verify('abc')).toBeNull();
  });
});
