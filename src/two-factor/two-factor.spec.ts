import { Secret, TOTP } from 'otpauth';
import {
  ENTROPY_BITS,
  looksLikeRecoveryCode,
  newRecoveryCode,
  RecoveryCodeHasher,
} from './recovery-codes';
import { matchingStep, newTotpSecret, totpUri } from './totp';
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

  it('refuses tampered and malformed text without throwing', () => {
    const sut = new TotpSecretCipher(['key']);
    const stored = sut.encrypt(1, secret);
    const flipped = stored.slice(0, -2) + (stored.endsWith('A') ? 'B' : 'A') + stored.slice(-1);
    for (const bad of [flipped, '', 'v1..', 'v2.a.b', 'v1.AAAA.AAAA', stored + 'x'])
      expect(sut.decrypt(1, bad)).toBeNull();
  });

  it('uses a fresh IV each time', () => {
    const sut = new TotpSecretCipher(['key']);
    expect(sut.encrypt(1, secret)).not.toBe(sut.encrypt(1, secret));
  });
});

describe('TOTP codes', () => {
  const secret = newTotpSecret();
  const app = new TOTP({ secret: Secret.fromBase32(secret) });
  const now = 1_800_000_015_000; // 15 s into step 60_000_000
  const step = 60_000_000;

  it('matches the code of now and of one step either side, and names its step', () => {
    expect(matchingStep(secret, app.generate({ timestamp: now }), now)).toBe(step);
    expect(matchingStep(secret, app.generate({ timestamp: now - 30_000 }), now)).toBe(step - 1);
    expect(matchingStep(secret, app.generate({ timestamp: now + 30_000 }), now)).toBe(step + 1);
    expect(matchingStep(secret, app.generate({ timestamp: now + 60_000 }), now)).toBeNull();
    expect(matchingStep(secret, app.generate({ timestamp: now - 60_000 }), now)).toBeNull();
  });

  it('refuses what is not six digits', () => {
    for (const bad of ['', '12345', '1234567', 'abcdef', '12 34 5x'])
      expect(matchingStep(secret, bad, now)).toBeNull();
  });

  it('writes the URI authenticator apps scan: SHA1, 6 digits, 30 s', () => {
    const uri = totpUri(secret, 'a@example.com', 'example.test');
    expect(uri).toMatch(/^otpauth:\/\/totp\/example\.test:a%40example\.com\?/);
    expect(uri).toContain(`secret=${secret}`);
    expect(uri).toContain('algorithm=SHA1');
    expect(uri).toContain('digits=6');
    expect(uri).toContain('period=30');
  });
});

describe('recovery codes', () => {
  it('are xxxxx-xxxxx with at least 50 bits, and distinct', () => {
    const codes = Array.from({ length: 1000 }, newRecoveryCode);
    for (const code of codes) expect(code).toMatch(/^[0-9a-z]{5}-[0-9a-z]{5}$/);
    expect(new Set(codes).size).toBe(1000);
    expect(ENTROPY_BITS).toBeGreaterThanOrEqual(50);
    expect(looksLikeRecoveryCode(codes[0].toUpperCase().replace('-', ' '))).toBe(true);
    expect(looksLikeRecoveryCode('123456')).toBe(false);
  });

  it('hash the same however typed, keyed, and findable under a fallback key', () => {
    const code = newRecoveryCode();
    const old = new RecoveryCodeHasher(['old-key']);
    const stored = old.hash(code);
    expect(old.hash(code.toUpperCase().replace('-', ' '))).toBe(stored);
    expect(new RecoveryCodeHasher(['other']).hash(code)).not.toBe(stored);
    expect(new RecoveryCodeHasher(['new-key', 'old-key']).hashes(code)).toContain(stored);
  });
});
