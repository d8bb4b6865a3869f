import {
  ENTROPY_BITS,
  looksLikeRecoveryCode,
  newRecoveryCode,
  RecoveryCodeHasher,
} from './recovery-codes';

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
