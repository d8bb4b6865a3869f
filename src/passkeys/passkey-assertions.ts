import { Injectable } from '@nestjs/common';
import {
  generateAuthenticationOptions,
  verifyAuthenticationResponse,
} from '@simplewebauthn/server';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import type { CurrentSession } from '../session';
import { CHALLENGE_SECONDS, PasskeyChallenges } from './passkey-challenges';
import type { ChallengePurpose } from './passkey-challenges';
import { PasskeysRepository } from './passkeys.repository';
import type { Passkey } from './passkeys.repository';
import { RelyingPartyConfig } from './relying-party';
import { responseProblem } from './verification-problems';

/** Turns the reason an assertion was refused into the step's own error (401 at sign-in, 403 at re-authentication). */
export type Refusal = (reason: string) => Error;

/**
 * WebAuthn assertions (a passkey proving its user is there), for sign-in and re-authentication: the
 * options, with user verification required, and the check of an answer: this session's challenge (taken
 * once), a registered credential (of `owner` when given), its user handle, origin, RP ID, user
 * verification, signature and counter, the counter recorded by compare-and-set.
 */
@Injectable()
export class PasskeyAssertions {
  constructor(
    private readonly passkeys: PasskeysRepository,
    private readonly challenges: PasskeyChallenges,
    private readonly rp: RelyingPartyConfig,
  ) {}

  /** Options; the session keeps their challenge. `allow` limits them to those passkeys (re-authentication). */
  async options(
    session: CurrentSession,
    purpose: ChallengePurpose,
    allow?: Passkey[],
  ): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const options = await generateAuthenticationOptions({
      rpID: this.rp.get().id,
      userVerification: 'required',
      timeout: CHALLENGE_SECONDS * 1000,
      ...(allow
        ? { allowCredentials: allow.map((p) => ({ id: p.id, transports: p.transports })) }
        : {}),
    });
    this.challenges.issue(session, purpose, options.challenge);
    return options;
  }

  /** @returns the passkey that answered, its counter and last use recorded. @throws what `refuse` makes. */
  async verify(
    session: CurrentSession,
    purpose: ChallengePurpose,
    response: AuthenticationResponseJSON,
    refuse: Refusal,
    owner?: number,
  ): Promise<Passkey> {
    const challenge = await this.challenges.take(session, purpose, refuse);
    const passkey = await this.passkeys.find(response.id);
    if (passkey === null) throw refuse('this passkey is not registered here');
    if (owner !== undefined && passkey.userId !== owner)
      throw refuse('this passkey belongs to another account');
    const handle = response.response.userHandle;
    if (handle !== undefined && handle !== passkey.userHandle)
      throw refuse('the passkey answered for another user');
    const counter = await this.check(response, challenge.value, passkey, refuse);
    if (!(await this.passkeys.recordUse(passkey.id, passkey.counter, counter, Date.now())))
      throw refuse('the passkey was used by another request at the same time');
    return passkey;
  }

  /** Checks challenge, origin, RP ID, user verification, signature and counter. @returns the new counter. */
  private async check(
    response: AuthenticationResponseJSON,
    challenge: string,
    passkey: Passkey,
    refuse: Refusal,
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
        throw refuse('the signature counter did not increase (a cloned passkey?)');
      throw refuse(responseProblem(error, rp).reason);
    });
    if (!result.verified) throw refuse('the signature does not verify');
    return result.authenticationInfo.newCounter;
  }
}
