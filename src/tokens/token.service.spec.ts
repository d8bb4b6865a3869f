import { TokenService, TokenServiceOptions } from './token.service';
import {
  ExpiredTokenError,
  InvalidTokenError,
  TokensUnavailableError,
  UsedTokenError,
} from './tokens.errors';

const OLD_KEY = 'old-secret-key-0123456789abcdef0123456789';
const NEW_KEY = 'new-secret-key-fedcba9876543210fedcba9876';
const LIFETIMES = {
  'password-reset': 3600,
  'email-verification': 3 * 86_400,
  'email-change': 86_400,
};

describe(TokenService.name, () => {
  let clock: number;
  const make = (options: Partial<TokenServiceOptions> = {}) =>
    new TokenService({ secrets: [NEW_KEY], lifetimes: LIFETIMES, now: () => clock, ...options });
  const state = ['$argon2id$v=19$m=19456,t=2,p=1$salt$hash', 'alice@example.org'] as const;
  const stateIs =
    (value: readonly string[] | null = state) =>
    () =>
      Promise.resolve(value);

  beforeEach(() => {
    clock = 1_800_000_000;
  });

  it('gives back the payload of a token it signed, while the state and the lifetime hold', async () => {
    const sut = make();
    const token = sut.sign('password-reset', { uid: 7 }, state);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    await expect(sut.verify('password-reset', token, stateIs())).resolves.toEqual({ uid: 7 });
    clock += 3600;
    await expect(sut.verify('password-reset', token, stateIs())).resolves.toEqual({ uid: 7 });
  });

  it('never puts the bound state in the token', () => {
    const token = make().sign('password-reset', { uid: 7 }, state);
    const claims = Buffer.from(token.split('.')[0], 'base64url').toString();
    expect(claims).not.toContain('argon2');
    expect(claims).not.toContain('alice');
    expect(Object.keys(JSON.parse(claims) as object).sort()).toEqual(['iat', 'st', 'uid']);
  });

  it('refuses a tampered, truncated or malformed token as invalid', async () => {
    const sut = make();
    const token = sut.sign('email-change', { uid: 7, email: 'new@example.org' }, state);
    const [body, mac] = token.split('.');
    const forged = Buffer.from(
      Buffer.from(body, 'base64url').toString().replace('new@', 'evil@'),
    ).toString('base64url');
    const flipped = mac.slice(0, -2) + (mac.at(-2) === 'A' ? 'B' : 'A') + mac.at(-1);
    for (const bad of [
      `${forged}.${mac}`,
      `${body}.${flipped}`,
      token.slice(0, -1),
      body,
      '',
      'a.b',
      `${token}.x`,
      ' '.repeat(10),
    ]) {
      await expect(sut.verify('email-change', bad, stateIs())).rejects.toThrow(InvalidTokenError);
    }
  });

  it('refuses a token of another purpose', async () => {
    const sut = make();
    const token = sut.sign('email-verification', { uid: 7 }, state);
    await expect(sut.verify('password-reset', token, stateIs())).rejects.toThrow(InvalidTokenError);
  });

  it('refuses a token once the state it was bound to changed: used, or replaced by a later change', async () => {
    const sut = make();
    const token = sut.sign('password-reset', { uid: 7 }, state);
    const changed = stateIs(['$argon2id$…another hash', 'alice@example.org']);
    await expect(sut.verify('password-reset', token, changed)).rejects.toThrow(UsedTokenError);
    await expect(sut.verify('password-reset', token, changed)).rejects.toMatchObject({
      status: 400,
      response: { field: 'token', error: expect.stringMatching(/^token was already used/) },
    });
  });

  it('refuses a token whose user is gone as invalid', async () => {
    const token = make().sign('password-reset', { uid: 7 }, state);
    await expect(make().verify('password-reset', token, stateIs(null))).rejects.toThrow(
      InvalidTokenError,
    );
  });

  it('refuses an expired token, each purpose after its own lifetime', async () => {
    const sut = make();
    const reset = sut.sign('password-reset', { uid: 7 }, state);
    const verification = sut.sign('email-verification', { uid: 7 }, state);
    clock += 3601;
    await expect(sut.verify('password-reset', reset, stateIs())).rejects.toThrow(ExpiredTokenError);
    await expect(sut.verify('email-verification', verification, stateIs())).resolves.toEqual({
      uid: 7,
    });
    clock += 3 * 86_400;
    await expect(sut.verify('email-verification', verification, stateIs())).rejects.toMatchObject({
      response: { error: expect.stringMatching(/^token has expired/), field: 'token' },
    });
  });

  it('refuses a token issued more than a minute in the future', async () => {
    const sut = make();
    clock += 120;
    const token = sut.sign('password-reset', { uid: 7 }, state);
    clock -= 120;
    await expect(sut.verify('password-reset', token, stateIs())).rejects.toThrow(InvalidTokenError);
  });

  it('accepts a token signed under a rotated-out key while it is a fallback, refuses it once removed', async () => {
    const token = make({ secrets: [OLD_KEY] }).sign('password-reset', { uid: 7 }, state);
    const rotated = make({ secrets: [NEW_KEY, OLD_KEY] });
    await expect(rotated.verify('password-reset', token, stateIs())).resolves.toEqual({ uid: 7 });
    await expect(rotated.verify('password-reset', token, stateIs(['changed']))).rejects.toThrow(
      UsedTokenError,
    );
    await expect(
      make({ secrets: [NEW_KEY] }).verify('password-reset', token, stateIs()),
    ).rejects.toThrow(InvalidTokenError);
    // The current key signs: a new token no longer depends on the fallback.
    const fresh = rotated.sign('password-reset', { uid: 7 }, state);
    await expect(make().verify('password-reset', fresh, stateIs())).resolves.toEqual({ uid: 7 });
  });

  it('signs nothing without a secret key, and accepts nothing', async () => {
    const keyless = make({ secrets: [] });
    expect(() => keyless.sign('password-reset', { uid: 7 }, state)).toThrow(TokensUnavailableError);
    const token = make().sign('password-reset', { uid: 7 }, state);
    await expect(keyless.verify('password-reset', token, stateIs())).rejects.toThrow(
      InvalidTokenError,
    );
  });
});
