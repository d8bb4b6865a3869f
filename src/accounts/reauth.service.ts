import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { AuthService, nowSeconds, PublicUser } from '../auth/auth.service';
import { accountsConfig } from '../config/namespaces';
import type { CurrentSession } from '../session';
import { AccountLimits } from './account-limits';
import { WrongReauthCodeError } from '../two-factor/two-factor.errors';
import { TwoFactorService } from '../two-factor/two-factor.service';

/** What `POST /reauth` takes: a password, or (once two-factor exists) a code. */
export interface ReauthProof {
  password?: string;
  code?: string;
}

/**
 * Re-authentication: one mechanism that a password or a TOTP code satisfies (a passkey will later).
 * Each records the time of the entry in the session (`auth_at`, also set at login); `@RecentAuth()` routes
 * need it within `REAUTH_TIMEOUT`.
 */
@Injectable()
export class ReauthService {
  constructor(
    private readonly auth: AuthService,
    private readonly limits: AccountLimits,
    private readonly twoFactor: TwoFactorService,
    @Inject(accountsConfig.KEY)
    private readonly accounts: Pick<ConfigType<typeof accountsConfig>, 'reauthTimeoutSeconds'>,
  ) {}

  /**
   * A password, or for a user with TOTP a TOTP code (accepted once, as at sign-in). Recovery codes are not
   * taken here: a signed-in user always has the password for this, and a single-use code is kept for
   * the sign-in it exists for.
   * @throws WrongPasswordError (403, counted as a failed login), WrongReauthCodeError (403), 429, 400 for
   * a code when TOTP is off.
   */
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
    if (proof.code !== undefined && (await this.twoFactor.isOn(user.id))) {
      if (!(await this.twoFactor.acceptTotp(user.id, proof.code))) throw new WrongReauthCodeError();
      session.auth_at = nowSeconds();
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
