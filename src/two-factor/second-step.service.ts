import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { RateLimiterAbstract } from 'rate-limiter-flexible';
import { ThrottleUnavailableError } from '../auth/auth.errors';
import { AuthService, PublicUser } from '../auth/auth.service';
import { consumeWithin, counter, COUNTER_TIMEOUT_MS } from '../auth/counters';
import type { RequestClient } from '../common/negotiation';
import { withTimeout } from '../common/with-timeout';
import { sessionConfig } from '../config/namespaces';
import type { RedisClient } from '../redis/redis-client';
import { REDIS_CLIENT } from '../redis/redis.constants';
import type { CurrentSession } from '../session';
import { UsersService } from '../users/users.service';
import { PENDING_LOGIN_SECONDS, pendingLoginOf } from './pending-logins';
import type { PendingLogin } from './pending-logins';
import { NoPendingLoginError, TooManyCodesError, WrongLoginCodeError } from './two-factor.errors';
import { TwoFactorService } from './two-factor.service';

/**
 * Codes per pending login: 5, counted before the code is checked (parallel guesses cannot slip past).
 * The window outlasts the pending login, so a copy of the session cookie cannot start over.
 */
export const LOGIN_CODE_LIMIT = { points: 5, seconds: PENDING_LOGIN_SECONDS };

/**
 * `POST /login/2fa`: the second step of a sign-in left pending by the password step. Each try is
 * counted per pending login (in Redis when `REDIS_URL` is set, so every instance shares the count); the
 * sixth is refused with 429 and the pending login dropped. A pending login that succeeded is marked used
 * in the same counter, so a cookie-store session copied before it cannot be used again.
 */
@Injectable()
export class SecondStepService {
  private readonly limiter: RateLimiterAbstract;

  constructor(
    private readonly auth: AuthService,
    private readonly twoFactor: TwoFactorService,
    private readonly users: UsersService,
    @Inject(REDIS_CLIENT) redis: RedisClient | null,
    @Inject(sessionConfig.KEY) session: Pick<ConfigType<typeof sessionConfig>, 'keyPrefix'>,
  ) {
    this.limiter = counter('login-2fa', LOGIN_CODE_LIMIT, redis, session.keyPrefix);
  }

  /** Whether this session waits for a second factor. */
  isPending(session: CurrentSession): boolean {
    return pendingLoginOf(session) !== null;
  }

  /**
   * Checks `code` (TOTP or recovery) for this session's pending login and signs the user in.
   * @returns the user and where a form goes next.
   * @throws NoPendingLoginError, WrongLoginCodeError (401), TooManyCodesError (429), 503.
   */
  async finish(
    session: CurrentSession,
    code: string,
    client: RequestClient,
  ): Promise<{ user: PublicUser; next: string }> {
    const pending = pendingLoginOf(session);
    if (!pending) throw new NoPendingLoginError();
    await this.countTry(session, pending);
    if (!(await this.twoFactor.acceptLoginCode(pending.userId, code)))
      throw new WrongLoginCodeError();
    const user = await this.users.findById(pending.userId);
    if (!user) throw new NoPendingLoginError();
    await this.call(() => this.limiter.block(pending.id, LOGIN_CODE_LIMIT.seconds));
    await this.auth.signIn(session, user, { remember: pending.remember, client });
    return { user: { id: user.id, email: user.email }, next: pending.next };
  }

  /** Counts a try; beyond the limit drops the pending login. @throws TooManyCodesError (429). */
  private async countTry(session: CurrentSession, pending: PendingLogin): Promise<void> {
    const unavailable = (cause: unknown) => new ThrottleUnavailableError(cause);
    const wait = await consumeWithin(this.limiter, pending.id, COUNTER_TIMEOUT_MS, unavailable);
    if (wait === null) return;
    session.delete('pending_login');
    throw new TooManyCodesError(wait);
  }

  private async call(work: () => Promise<unknown>): Promise<void> {
    try {
      await withTimeout(work(), COUNTER_TIMEOUT_MS);
    } catch (error) {
      throw new ThrottleUnavailableError(error);
    }
  }
}
