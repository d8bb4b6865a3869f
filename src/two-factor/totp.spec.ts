import { Secret, TOTP } from 'otpauth';
import { matchingStep, newTotpSecret, totpUri } from './totp';

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
