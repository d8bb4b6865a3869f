import { newTotpSecret } from './totp';
import { TotpSecretCipher } from './two-factor.cipher';

describe(TotpSecretCipher.name, () => {
  const secret = newTotpSecret();

  it('stores a secret that only its user id and a current or fallback key open', () => {
    const old = new TotpSecretCipher(['old-key']);
    const stored = old.encrypt(7, secret);
    expect(stored).not.toContain(secret);
    expect(old.decrypt(7, stored)).toBe(secret);
    expect(old.decrypt(8, stored)).toBeNull();
    expect(new TotpSecretCipher(['new-key', 'old-key']).decrypt(7, stored)).toBe(secret);
    expect(new TotpSecretCipher(['new-key']).decrypt(7, stored)).toBeNull();
  });

  it('tells a secret sealed under SECRET_KEY from one that only a fallback opens', () => {
    const stored = new TotpSecretCipher(['old-key']).encrypt(7, secret);
    const rotated = new TotpSecretCipher(['new-key', 'old-key']);
    expect(rotated.open(7, stored)).toEqual({ secret, current: false });
    expect(rotated.open(7, rotated.encrypt(7, secret))).toEqual({ secret, current: true });
    expect(new TotpSecretCipher([]).open(7, stored)).toBeNull();
  });

  it('refuses tampered and malformed text without throwing', () => {
    const sut = new TotpSecretCipher(['key']);
    const stored = sut.encrypt(1, secret);
    // Another character in the tag: a different byte, never the same text.
    const flipped = stored.slice(0, -2) + (stored.at(-2) === 'A' ? 'B' : 'A') + stored.slice(-1);
    for (const bad of [flipped, '', 'v1..', 'v2.a.b', 'v1.AAAA.AAAA', stored + 'x'])
      expect(sut.decrypt(1, bad)).toBeNull();
  });

  it('uses a fresh IV each time', () => {
    const sut = new TotpSecretCipher(['key']);
    expect(sut.encrypt(1, secret)).not.toBe(sut.encrypt(1, secret));
  });
});
