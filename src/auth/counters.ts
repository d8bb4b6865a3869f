import {
  RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import { withTimeout } from '../common/with-timeout';
import type { RedisClient } from '../redis/redis-client';

/**
 * A bound on one request's counter calls (all of an attempt's together, for the login throttle), so a Redis
 * that stalls is an outage (503) within about this long, not a request that hangs.
 */
export const COUNTER_TIMEOUT_MS = 2000;

/** `points` uses per `seconds` window (a fixed window, started by the first use). */
export interface Limit {
  points: number;
  seconds: number;
}

/**
 * A rate-limiter-flexible counter named `name`, in Redis under `<keyPrefix>throttle:<name>` whenever the
 * app has a Redis client (so every instance shares it), else in this process. A Redis that is not ready
 * rejects at once: the caller answers 503 rather than count nothing. The login throttle and the account
 * limits build every counter here.
 */
export function counter(
  name: string,
  { points, seconds }: Limit,
  redis: RedisClient | null,
  keyPrefix: string,
): RateLimiterAbstract {
  const options = { keyPrefix: `${keyPrefix}throttle:${name}`, points, duration: seconds };
  if (!redis) return new RateLimiterMemory(options);
  return new RateLimiterRedis({
    ...options,
    storeClient: redis,
    useRedisPackage: true,
    rejectIfRedisNotReady: true,
  });
}

/**
 * Counts one use of `key` on `limiter`, waiting at most `ms`: `null` when counted, else the whole seconds
 * (at least 1) until the limit allows it again. @throws `unavailable(cause)` when the store fails or does
 * not answer in time (the caller's 503): nothing is counted as allowed without an answer.
 */
export async function consumeWithin(
  limiter: RateLimiterAbstract,
  key: string,
  ms: number,
  unavailable: (cause: unknown) => Error,
): Promise<number | null> {
  try {
    await withTimeout(limiter.consume(key), Math.max(0, ms));
    return null;
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw unavailable(error);
    return Math.max(1, Math.ceil(error.msBeforeNext / 1000));
  }
}
