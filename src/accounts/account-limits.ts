import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { RateLimiterAbstract } from 'rate-limiter-flexible';
import { throttledAddress } from '../auth/client-address';
import { consumeWithin, counter, COUNTER_TIMEOUT_MS, Limit } from '../auth/counters';
import { sessionConfig } from '../config/namespaces';
import type { RedisClient } from '../redis/redis-client';
import { REDIS_CLIENT } from '../redis/redis.constants';
import { AccountLimitsUnavailableError, TooManyRequestsError } from './accounts.errors';

/** A counter's limit, and what its 429 says is too many. */
interface AccountLimit extends Limit {
  what: string;
}

/**
 * Every limit of the account flows, in one place (docs/accounts.md cites them). Wrong passwords on these
 * routes also count as failed logins (`LoginThrottleService`: 5 per email and address in 15 min, …).
 */
export const ACCOUNT_LIMITS = {
  /** `POST /password/forgot` from one client address (an IPv6 /64), whatever the outcome, as registration. */
  forgotClient: { points: 10, seconds: 15 * 60, what: 'password reset requests from this address' },
  /** Reset mails to one address with an account; beyond it `POST /password/forgot` still answers 202, sending nothing. */
  resetMails: { points: 3, seconds: 3600, what: 'reset mails to this address' },
  /** Verification mails to one address: resend (429 beyond) and logins refused for an unverified address (no mail beyond). */
  verificationMails: { points: 3, seconds: 3600, what: 'verification mails to this address' },
  /** Email change requests by one user; each mails the new address and the old one. */
  emailChange: { points: 5, seconds: 3600, what: 'email change requests' },
  /** Password entries by one signed-in user (`/reauth`, `/account/password`, `/account/email`), right or wrong. */
  passwordChecks: { points: 10, seconds: 15 * 60, what: 'password checks for this account' },
  /** Link tokens checked from one client address (verify, reset, email confirm), valid or not. */
  tokenChecks: { points: 30, seconds: 15 * 60, what: 'links checked from this address' },
  /** Passkey sign-ins (`POST /login/passkey`) from one client address, verified or not. */
  passkeySignIns: { points: 30, seconds: 15 * 60, what: 'passkey sign-ins from this address' },
  /** `POST /login/passkey/options` per client address: each stores a challenge in a visitor's session. */
  passkeyOptions: {
    points: 60,
    seconds: 15 * 60,
    what: 'passkey sign-in options from this address',
  },
} as const satisfies Record<string, AccountLimit>;

export type AccountLimitName = keyof typeof ACCOUNT_LIMITS;

/**
 * The counters of `ACCOUNT_LIMITS`, built as `LoginThrottleService` builds its own: rate-limiter-flexible,
 * in Redis under `SESSION_KEY_PREFIX` + `throttle:` whenever `REDIS_URL` is set (so instances share them),
 * else in this process. A key is created only when a request is counted against it, and the callers
 * count per-address mail limits only for addresses that have an account. Decision: Redis unreachable
 * fails closed, `AccountLimitsUnavailableError` (503), never an unthrottled check.
 */
@Injectable()
export class AccountLimits {
  private readonly limiters: Record<AccountLimitName, RateLimiterAbstract>;

  constructor(
    @Inject(REDIS_CLIENT) redis: RedisClient | null,
    @Inject(sessionConfig.KEY) session: Pick<ConfigType<typeof sessionConfig>, 'keyPrefix'>,
  ) {
    const limiter = (name: string, limit: Limit) => counter(name, limit, redis, session.keyPrefix);
    this.limiters = Object.fromEntries(
      Object.entries(ACCOUNT_LIMITS).map(([name, limit]) => [name, limiter(name, limit)]),
    ) as Record<AccountLimitName, RateLimiterAbstract>;
  }

  /** Counts one use. @throws TooManyRequestsError (429, `Retry-After`); AccountLimitsUnavailableError (503). */
  async take(name: AccountLimitName, key: string | number): Promise<void> {
    const seconds = await this.consume(name, key);
    if (seconds !== null) throw new TooManyRequestsError(ACCOUNT_LIMITS[name].what, seconds);
  }

  /** Counts one use per client address (IPv4 as is, IPv6 per /64), as the login throttle does. */
  takeForClient(name: AccountLimitName, address: string): Promise<void> {
    return this.take(name, throttledAddress(address));
  }

  /** Counts one use when the limit allows it: `false` (nothing counted) beyond it. */
  async tryTake(name: AccountLimitName, key: string | number): Promise<boolean> {
    return (await this.consume(name, key)) === null;
  }

  /** `null` when counted; the seconds to wait when the limit is used up. */
  private consume(name: AccountLimitName, key: string | number): Promise<number | null> {
    const unavailable = (cause: unknown) => new AccountLimitsUnavailableError(cause);
    return consumeWithin(this.limiters[name], String(key), COUNTER_TIMEOUT_MS, unavailable);
  }
}
