import { Injectable } from '@nestjs/common';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { AccountLimits } from '../accounts/account-limits';
import { EmailVerificationService } from '../accounts/email-verification.service';
import { AuthService, nowSeconds } from '../auth/auth.service';
import type { PublicUser } from '../auth/auth.service';
import type { RequestClient } from '../common/negotiation';
import type { CurrentSession } from '../session';
import { UsersService } from '../users/users.service';
import { PasskeyAssertions } from './passkey-assertions';
import { PasskeyReauthError, PasskeySignInError } from './passkeys.errors';
import { PasskeysRepository } from './passkeys.repository';

/**
 * Passwordless sign-in with a discoverable passkey and user verification, which counts as both factors
 * (options carry no `allowCredentials`: the authenticator offers the account), and re-authentication with
 * one of the signed-in user's passkeys, which counts as a password entry at `/reauth`.
 */
@Injectable()
export class PasskeySignInService {
  constructor(
    private readonly assertions: PasskeyAssertions,
    private readonly passkeys: PasskeysRepository,
    private readonly users: UsersService,
    private readonly auth: AuthService,
    private readonly verification: EmailVerificationService,
    private readonly limits: AccountLimits,
  ) {}

  /**
   * Sign-in options; the session keeps their challenge, so they are counted per client address first
   * (`passkeyOptions`): a visitor's session is stored for them. @throws 429; 503 without `PUBLIC_URL`.
   */
  async options(
    session: CurrentSession,
    address: string,
  ): Promise<PublicKeyCredentialRequestOptionsJSON> {
    await this.limits.takeForClient('passkeyOptions', address);
    return this.assertions.options(session, 'login');
  }

  /**
   * Verifies the answer to this session's sign-in challenge and signs its user in through
   * `AuthService.signIn` (the session regenerated, a new sign-in record). Counted per client address
   * first (`passkeySignIns`).
   * @throws PasskeySignInError (401), TooManyRequestsError (429), 403 for an unverified address when
   * `EMAIL_VERIFICATION=required`.
   */
  async signIn(
    session: CurrentSession,
    response: AuthenticationResponseJSON,
    options: { remember: boolean; client: RequestClient },
  ): Promise<PublicUser> {
    await this.limits.takeForClient('passkeySignIns', options.client.address);
    const refuse = (reason: string) => new PasskeySignInError(reason);
    const passkey = await this.assertions.verify(session, 'login', response, refuse);
    const user = await this.users.findById(passkey.userId);
    if (!user) throw refuse('the account no longer exists');
    if (this.verification.blocksSignIn(user)) await this.verification.refuseSignIn(user);
    await this.auth.signIn(session, user, options);
    return { id: user.id, email: user.email };
  }

  /** Re-authentication options, for the signed-in user's passkeys only. */
  async reauthOptions(
    session: CurrentSession,
    user: PublicUser,
  ): Promise<PublicKeyCredentialRequestOptionsJSON> {
    return this.assertions.options(session, 'reauth', await this.passkeys.listFor(user.id));
  }

  /**
   * Verifies the answer with one of the user's passkeys and marks the session recently authenticated,
   * counted with the password entries of `/reauth` (`passwordChecks`).
   * @throws PasskeyReauthError (403), TooManyRequestsError (429).
   */
  async reauthenticate(
    session: CurrentSession,
    user: PublicUser,
    response: AuthenticationResponseJSON,
  ): Promise<void> {
    await this.limits.take('passwordChecks', user.id);
    const refuse = (reason: string) => new PasskeyReauthError(reason);
    await this.assertions.verify(session, 'reauth', response, refuse, user.id);
    session.auth_at = nowSeconds();
  }
}
