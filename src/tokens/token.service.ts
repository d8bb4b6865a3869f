import { createHmac, timingSafeEqual } from 'node:crypto';
import { deriveKeys } from '../session/backends/keys';
import {
  ExpiredTokenError,
  InvalidTokenError,
  TokensUnavailableError,
  UsedTokenError,
} from './tokens.errors';

/** Each kind of link; each signs under a key of its own, so one kind never passes for another. */
export type TokenPurpose = 'password-reset' | 'email-verification' | 'email-change';

/** What a token carries in the clear (signed, not secret): the user's id, and e.g. the new address. */
export type TokenPayload = Record<string, string | number>;

/**
 * The state a token is bound to, as text (a password hash, an address and its flag): the token holds a
 * keyed hash of it, never the state itself, and is refused as used once the state differs.
 */
export type BoundState = readonly (string | number | boolean)[];

export interface TokenServiceOptions {
  /** `SECRET_KEY` first (signs), then `SECRET_KEY_FALLBACKS` (verify only); empty: no link can be signed. */
  secrets: readonly string[];
  /** Lifetime of each kind of token, in seconds. */
  lifetimes: Record<TokenPurpose, number>;
  /** Seconds since the epoch; tests move it. */
  now?: () => number;
}

/** How far in the future an issue time may be (another instance's clock) before the token is refused. */
const CLOCK_SKEW_SECONDS = 60;
/** Bytes kept of the HMAC of the bound state: 128 bits, enough to tell states apart, short in a URL. */
const STATE_MAC_BYTES = 16;
const FORMAT = /^([A-Za-z0-9_-]{1,600})\.([A-Za-z0-9_-]{43})$/;

/**
 * Stateless, purpose-bound, single-use tokens for links in mails, as Django's `PasswordResetTokenGenerator`
 * and Rails' `generates_token_for` make them: no table; a token is `base64url(claims).base64url(mac)`, where
 * the claims are the payload, the issue time (`iat`, seconds) and `st`, an HMAC of the state the link
 * changes; the MAC is HMAC-SHA256 over the claims. Each purpose has its own key, derived with HKDF from
 * `SECRET_KEY` (signs) and each fallback (verify only), so rotating the key keeps links working while the
 * old key stays a fallback. A link is single-use because using it changes the state it is bound to.
 * Hand-written: no maintained library binds a token to changing state (jose/JWT would need a table of used ids).
 */
export class TokenService {
  private readonly keys: Record<TokenPurpose, Buffer[]>;
  private readonly now: () => number;

  constructor(private readonly options: TokenServiceOptions) {
    const keysFor = (purpose: TokenPurpose) => deriveKeys(options.secrets, `link-token ${purpose}`);
    this.keys = {
      'password-reset': keysFor('password-reset'),
      'email-verification': keysFor('email-verification'),
      'email-change': keysFor('email-change'),
    };
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
  }

  /** A URL-safe token for `payload`, bound to `state`, signed under the current key. */
  sign(purpose: TokenPurpose, payload: TokenPayload, state: BoundState): string {
    const [key] = this.keys[purpose];
    if (!key) throw new TokensUnavailableError();
    const claims = { ...payload, iat: this.now(), st: stateMac(key, state) };
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${body}.${mac(key, body).toString('base64url')}`;
  }

  /**
   * The payload of a token made by `sign` for this purpose, once `stateOf(payload)` (the state now, or
   * `null` when the user is gone) still matches the state it was bound to and it has not expired.
   * @throws InvalidTokenError, UsedTokenError, ExpiredTokenError (each a 400 naming which).
   */
  async verify<P extends TokenPayload>(
    purpose: TokenPurpose,
    token: string,
    stateOf: (payload: P) => Promise<BoundState | null>,
  ): Promise<P> {
    const { key, claims } = this.open(purpose, token);
    const { iat, st, ...payload } = claims;
    if (typeof iat !== 'number' || typeof st !== 'string' || iat > this.now() + CLOCK_SKEW_SECONDS)
      throw new InvalidTokenError();
    const state = await stateOf(payload as P);
    if (state === null) throw new InvalidTokenError();
    if (!equal(Buffer.from(st, 'base64url'), Buffer.from(stateMac(key, state), 'base64url')))
      throw new UsedTokenError();
    if (this.now() - iat > this.options.lifetimes[purpose]) throw new ExpiredTokenError();
    return payload as P;
  }

  /** The claims, once the MAC matches under one of the purpose's keys (tried in order, each in constant time). */
  private open(purpose: TokenPurpose, token: string): { key: Buffer; claims: TokenPayload } {
    const match = FORMAT.exec(token);
    if (!match) throw new InvalidTokenError();
    const [, body, signature] = match;
    const given = Buffer.from(signature, 'base64url');
    const key = this.keys[purpose].find((k) => equal(given, mac(k, body)));
    if (!key) throw new InvalidTokenError();
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TokenPayload;
    return { key, claims };
  }
}

function mac(key: Buffer, body: string): Buffer {
  return createHmac('sha256', key).update(`token\0${body}`).digest();
}

function stateMac(key: Buffer, state: BoundState): string {
  return createHmac('sha256', key)
    .update(`state\0${JSON.stringify(state)}`)
    .digest()
    .subarray(0, STATE_MAC_BYTES)
    .toString('base64url');
}

function equal(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
