import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterAbstract } from 'rate-limiter-flexible';
import { withTimeout } from '../common/with-timeout';
import type { ConfigType } from '@nestjs/config';
import { sessionConfig } from '../config/namespaces';
import type { RedisClient } from '../redis/redis-client';
import { REDIS_CLIENT } from '../redis/redis.constants';
import {
  ThrottleUnavailableError,
  TooManyLoginAttemptsError,
  TooManyRegistrationsError,
} from './auth.errors';
import { throttledAddress } from './client-address';
import { consumeWithin, counter, COUNTER_TIMEOUT_MS, Limit } from './counters';

/** Every limit the throttle enforces. */
export const LIMITS = {
  /** Failed logins for one email from one client address (an IPv6 /64). */
  pair: { points: 5, seconds: 15 * 60 },
  /** Failed logins from one client address, whatever the emails (password spraying). */
  address: { points: 50, seconds: 15 * 60 },
  /** Failed logins for one email from every address together, except the addresses it signed in from. */
  email: { points: 100, seconds: 24 * 3600 },
  /** Registrations from one client address, whatever their outcome. */
  register: { points: 10, seconds: 15 * 60 },
} as const satisfies Record<string, Limit>;

/**
 * An address that signed in to an account is exempt from that account's `email` limit this long. Under
 * 24.8 days: rate-limiter-flexible's memory store expires keys with `setTimeout`, which fires at once for
 * longer delays.
 */
export const KNOWN_ADDRESS_SECONDS = 14 * 24 * 3600;

/** The place an attempt took in the counters: settle it once the password check is done. */
export interface Reservation {
  /** The password matched: forget the pair's failures and give back what the others counted. */
  succeeded(): Promise<void>;
  /** The password was never checked (503): give back every count this attempt took. */
  cancel(): Promise<void>;
}

type Taken = [RateLimiterAbstract, string];

/**
 * Login and registration throttling with rate-limiter-flexible. An attempt takes its place in every
 * counter before the password is hashed, so parallel guesses cannot all see zero failures: `consume` is
 * atomic (a Lua script in Redis), and the sixth of thirty parallel wrong passwords is refused with 429 and
 * `Retry-After` without being checked. A wrong password keeps its count; a right one clears the pair.
 *
 * The counters live in Redis whenever `REDIS_URL` is set (whatever `SESSION_STORE` is), under
 * `SESSION_KEY_PREFIX` + `throttle:`, so any number of instances allow what one allows; without Redis
 * they are per process. Decision: Redis unreachable fails closed, `ThrottleUnavailableError` (503), never
 * an unthrottled password check.
 */
@Injectable()
export class LoginThrottleService {
  private readonly pair: RateLimiterAbstract;
  private readonly address: RateLimiterAbstract;
  private readonly email: RateLimiterAbstract;
  private readonly register: RateLimiterAbstract;
  private readonly known: RateLimiterAbstract;

  constructor(
    @Inject(REDIS_CLIENT) redis: RedisClient | null,
    @Inject(sessionConfig.KEY) session: Pick<ConfigType<typeof sessionConfig>, 'keyPrefix'>,
  ) {
    const limiter = (name: string, limit: Limit) => counter(name, limit, redis, session.keyPrefix);
    this.pair = limiter('pair', LIMITS.pair);
    this.address = limiter('address', LIMITS.address);
    this.email = limiter('email', LIMITS.email);
    this.register = limiter('register', LIMITS.register);
    this.known = limiter('known', { points: 1, seconds: KNOWN_ADDRESS_SECONDS });
  }

  /**
   * Reserves a login attempt for `email` from `clientAddress` before its password is checked. The
   * address's counter comes first: an address over its limit is refused before any per-email key is
   * made, so a flood of refused attempts with random emails stores nothing (SPEC §5d).
   * @throws TooManyLoginAttemptsError (429) when a counter is used up; ThrottleUnavailableError (503).
   */
  async reserveLogin(email: string, clientAddress: string): Promise<Reservation> {
    const address = throttledAddress(clientAddress);
    const pair = `${email}|${address}`;
    const taken: Taken[] = [];
    const deadline = Date.now() + COUNTER_TIMEOUT_MS;
    await this.takeAll(taken, async () => {
      await this.take(taken, this.address, address, deadline);
      await this.take(taken, this.pair, pair, deadline);
      if (!(await this.isKnown(pair, deadline)))
        await this.take(taken, this.email, email, deadline);
    });
    return {
      succeeded: () =>
        this.store(async () => {
          await this.pair.delete(pair);
          const counted = taken.filter(([limiter]) => limiter !== this.pair);
          await Promise.all(counted.map(([limiter, key]) => limiter.reward(key, 1)));
          await this.known.set(pair, 1, KNOWN_ADDRESS_SECONDS);
        }),
      cancel: () => this.giveBack(taken),
    };
  }

  /**
   * Reserves a registration from `clientAddress`. Registrations count whatever their outcome: each costs
   * a password hash, and 409 tells whether an email has an account.
   * @throws TooManyRegistrationsError (429); ThrottleUnavailableError (503).
   */
  async reserveRegistration(clientAddress: string): Promise<Pick<Reservation, 'cancel'>> {
    const taken: Taken[] = [];
    const deadline = Date.now() + COUNTER_TIMEOUT_MS;
    await this.takeAll(taken, () =>
      this.take(taken, this.register, throttledAddress(clientAddress), deadline),
    );
    return { cancel: () => this.giveBack(taken) };
  }

  private async takeAll(taken: Taken[], takeEach: () => Promise<void>): Promise<void> {
    try {
      await takeEach();
    } catch (error) {
      await this.giveBack(taken);
      throw error;
    }
  }

  private async take(
    taken: Taken[],
    limiter: RateLimiterAbstract,
    key: string,
    deadline: number,
  ): Promise<void> {
    const unavailable = (cause: unknown) => new ThrottleUnavailableError(cause);
    const seconds = await consumeWithin(limiter, key, deadline - Date.now(), unavailable);
    if (seconds !== null) {
      throw limiter === this.register
        ? new TooManyRegistrationsError(seconds)
        : new TooManyLoginAttemptsError(seconds);
    }
    taken.push([limiter, key]);
  }

  private isKnown(pair: string, deadline: number): Promise<boolean> {
    return this.store(async () => (await this.known.get(pair)) !== null, deadline);
  }

  /** A refund that cannot be made leaves the attempt counted: the safe side, so its failure is dropped. */
  private async giveBack(taken: Taken[]): Promise<void> {
    await Promise.allSettled(taken.map(([limiter, key]) => limiter.reward(key, 1)));
    taken.length = 0;
  }

  private async store<T>(
    call: () => Promise<T>,
    deadline = Date.now() + COUNTER_TIMEOUT_MS,
  ): Promise<T> {
    try {
      return await withTimeout(call(), Math.max(0, deadline - Date.now()));
    } catch (error) {
      throw new ThrottleUnavailableError(error);
    }
  }
}
