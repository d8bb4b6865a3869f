import { Injectable } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { TooManyLoginAttemptsError } from './auth.errors';

/** Failed logins allowed per email, and per client address, within `WINDOW_SECONDS`. */
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_ADDRESS = 50;
const WINDOW_SECONDS = 15 * 60;

/**
 * Counts failed logins (only 401s) per email and per client address with rate-limiter-flexible, blocks
 * with 429 + `Retry-After` past the limit, and forgets an email's failures when it logs in. Counters are
 * per process: several instances each allow the limit (a Redis-backed limiter would share them).
 */
@Injectable()
export class LoginThrottleService {
  private readonly byEmail = new RateLimiterMemory({
    points: MAX_FAILURES_PER_EMAIL,
    duration: WINDOW_SECONDS,
  });
  private readonly byAddress = new RateLimiterMemory({
    points: MAX_FAILURES_PER_ADDRESS,
    duration: WINDOW_SECONDS,
  });

  /** Throws `TooManyLoginAttemptsError` when either counter is used up. */
  async assertAllowed(email: string, address: string): Promise<void> {
    const [emailRes, addressRes] = await Promise.all([
      this.byEmail.get(email),
      this.byAddress.get(address),
    ]);
    const blocked = [
      blockedFor(emailRes, MAX_FAILURES_PER_EMAIL),
      blockedFor(addressRes, MAX_FAILURES_PER_ADDRESS),
    ].filter((s) => s > 0);
    if (blocked.length > 0) throw new TooManyLoginAttemptsError(Math.max(...blocked));
  }

  async recordFailure(email: string, address: string): Promise<void> {
    await Promise.all([consume(this.byEmail, email), consume(this.byAddress, address)]);
  }

  async recordSuccess(email: string): Promise<void> {
    await this.byEmail.delete(email);
  }
}

function blockedFor(res: RateLimiterRes | null, limit: number): number {
  if (res === null || res.consumedPoints < limit) return 0;
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

/** `consume` rejects once the points are used up; past the limit the count no longer matters. */
async function consume(limiter: RateLimiterMemory, key: string): Promise<void> {
  await limiter.consume(key).catch((error: unknown) => {
    if (!(error instanceof RateLimiterRes)) throw error;
  });
}
