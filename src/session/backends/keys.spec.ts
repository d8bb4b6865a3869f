import { deriveKey, KEY_PURPOSE } from './keys';

describe('session keys', () => {
  it('derives a distinct 32-byte key per purpose, never the raw secret, even from a short key', () => {
    const cipher = deriveKey('ci-test-secret-key', KEY_PURPOSE.cookieCipher);
    const signature = deriveKey('ci-test-secret-key', KEY_PURPOSE.idSignature);
    expect(cipher).toHaveLength(32);
    expect(cipher.equals(signature)).toBe(false);
    expect(cipher.toString('latin1')).not.toContain('ci-test-secret-key');
  });
});
