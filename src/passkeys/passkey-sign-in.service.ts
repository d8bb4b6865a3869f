import { Injectable } from '@nestjs/common';
import {
  generateAuthenticationOptions,
  verifyAuthenticationResponse,
} from '@simplewebauthn/server';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { AccountLimits } from '../accounts/account-limits';
import { EmailVerificationService } from '../accounts/email-verification.service';
import { AuthService } from '../auth/auth.service';
import type { PublicUser } from '../auth/auth.service';
import type { RequestClient } from '../common/negotiation';
import type { CurrentSession } from '../session';
import { UsersService } from '../users/users.service';
import { CHALLENGE_SECONDS, PasskeyChallenges } from './passkey-challenges';
import { PasskeySignInError } from './passkeys.errors';
import { PasskeysRepository } from './passkeys.repository';
import type { Passkey } from './passkeys.repository';
import { RelyingPartyConfig } from './relying-party';
import { responseProblem } from './verification-problems';

/**
 * Passwordless sign-in with a discoverable passkey and user verification, which counts as both factors:
 * options (no `allowCredentials`: the authenticator offers the account), then the answer, verified against
 * the stored public key, and the session signed in through `AuthService.signIn`.
 */
@Injectable()
export class PasskeySignInService {
  constructor(
    private readonly passkeys: PasskeysRepository,
    private readonly challenges: PasskeyChallenges,
    private readonly rp: RelyingPartyConfig,
    private readonly users: UsersService,
    private readonly auth: AuthService,
    private readonly verification: EmailVerificationService,
    private readonly limits: AccountLimits,
  ) {}

  /** Authentication options; the session keeps their challenge. @throws 503 without `PUBLIC_URL`. */
  async options(session: CurrentSession): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const options = await generateAuthenticationOptions({
      rpID: this.rp.get().id,
      userVerification: 'required',
      timeout: CHALLENGE_SECONDS * 1000,
    });
    this.challenges.issue(session, 'login', options.challenge);
    return options;
  }

  /**
   * Verifies the answer to this session's sign-in challenge and signs its user in (the session is
   * regenerated). Counted per client address first (`passkeySignIns`).
   * @throws PasskeySignInError (401), TooManyRequestsError (429), 403 for an unverified address when
   * `EMAIL_VERIFICATION=required`.
   */
  async signIn(
    session: CurrentSession,
    response: AuthenticationResponseJSON,
    options: { remember: boolean; client: RequestClient },
  ): Promise<PublicUser> {
    await this.limits.takeForClient('passkeySignIns', options.client.address);
    const challenge = await this.challenges.take(
      session,
      'login',
      (reason) => new PasskeySignInError(reason),
    );
    const passkey = await this.passkeys.find(response.id);
    if (passkey === null) throw new PasskeySignInError('this passkey is not registered here');
    const handle = response.response.userHandle;
    if (handle !== undefined && handle !== passkey.userHandle)
      throw new PasskeySignInError('the passkey answered for another user');
    const counter = await this.verify(response, challenge.value, passkey);
    if (!(await this.passkeys.recordUse(passkey.id, passkey.counter, counter, Date.now())))
      throw new PasskeySignInError('the passkey was used by another request at the same time');
    const user = await this.users.findById(passkey.userId);
    if (!user) throw new PasskeySignInError('the account no longer exists');
    if (this.verification.blocksSignIn(user)) await this.verification.refuseSignIn(user);
    await this.auth.signIn(session, user, options);
    return { id: user.id, email: user.email };
  }

  /** Checks challenge, origin, RP ID, user verification, signature and counter. @returns the new counter. */
  private async verify(
    response: AuthenticationResponseJSON,
    challenge: string,
    passkey: Passkey,
  ): Promise<number> {
    const rp = this.rp.get();
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
      credential: {
        id: passkey.id,
        publicKey: new Uint8Array(Buffer.from(passkey.publicKey, 'base64url')),
        counter: passkey.counter,
        transports: passkey.transports,
      },
    }).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : '';
      // The library refuses a counter that did not increase when either counter is above 0 (synced passkeys
      // always report 0): a sign the authenticator was cloned.
      if (/counter/i.test(message))
        throw new PasskeySignInError('the signature counter did not increase (a cloned passkey?)');
      throw new PasskeySignInError(responseProblem(error, rp).reason);
    });
    if (!result.verified) throw new PasskeySignInError('the signature does not verify');
    return result.authenticationInfo.newCounter;
  }
}
