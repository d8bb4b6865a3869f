import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { AuthService, nowSeconds, PublicUser } from '../auth/auth.service';
import { accountsConfig } from '../config/namespaces';
import type { CurrentSession } from '../session';
import { AccountLimits } from './account-limits';

/** What `POST /reauth` takes: a password, or (once two-factor exists) a code. */
export interface ReauthProof {
  password?: string;
  code?: string;
}

/**
 * Re-authentication: one mechanism that a password satisfies now and a TOTP code or a passkey will later.
 * Each records the time of the entry in the session (`auth_at`, also set at login); `@RecentAuth()` routes
 * need it within `REAUTH_TIMEOUT`.
 */
@Injectable()
export class ReauthService {
  constructor(
    private readonly auth: AuthService,
    private readonly limits: AccountLimits,
    @Inject(accountsConfig.KEY)
    private readonly accounts: Pick<ConfigType<typeof accountsConfig>, 'reauthTimeoutSeconds'>,
  ) {}

  /** @throws WrongPasswordError (403, counted as a failed login), 429, 400 for a code (no second factor yet). */
  async reauthenticate(
    session: CurrentSession,
    user: PublicUser,
    proof: ReauthProof,
    address: string,
  ): Promise<void> {
    await this.limits.take('passwordChecks', user.id);
    if (proof.password !== undefined) {
      await this.auth.confirmPassword(session, user, proof.password, address);
      return;
    }
    throw new BadRequestException({
      error: 'code: two-factor authentication is not set up for this account; send your password',
      field: 'code',
    });
  }

  /** Whether the session's last password (code, passkey) entry is within `REAUTH_TIMEOUT`. */
  isRecent(session: CurrentSession): boolean {
    const at = session.auth_at;
    return typeof at === 'number' && nowSeconds() - at <= this.accounts.reauthTimeoutSeconds;
  }
}
