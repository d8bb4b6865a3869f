import { Injectable } from '@nestjs/common';
import { generateRegistrationOptions, verifyRegistrationResponse } from '@simplewebauthn/server';
import type {
  PublicKeyCredentialCreationOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { randomBytes } from 'node:crypto';
import type { PublicUser } from '../auth/auth.service';
import { deviceName } from '../auth/device';
import { MailService } from '../mail/mail.service';
import type { CurrentSession } from '../session';
import type { PasskeyView } from './dto/passkeys.dto';
import { CHALLENGE_SECONDS, PasskeyChallenges } from './passkey-challenges';
import {
  PasskeyConflictError,
  PasskeyNotFoundError,
  PasskeyResponseError,
} from './passkeys.errors';
import { Passkey, PasskeysRepository } from './passkeys.repository';
import { RelyingPartyConfig } from './relying-party';
import { responseProblem } from './verification-problems';
import { view } from './passkey-view';

/** The most passkeys one account may hold; registering more answers 409. */
export const MAX_PASSKEYS = 20;

/**
 * A signed-in user's passkeys: registration (options, then the authenticator's answer), the list, rename
 * and delete. Registration asks for a discoverable credential with user verification and no attestation
 * (`none`: the app trusts the user's choice of authenticator, as most sites do).
 */
@Injectable()
export class PasskeysService {
  constructor(
    private readonly passkeys: PasskeysRepository,
    private readonly challenges: PasskeyChallenges,
    private readonly rp: RelyingPartyConfig,
    private readonly mail: MailService,
  ) {}

  /** Registration options; the session keeps their challenge. @throws 409 at `MAX_PASSKEYS`, 503. */
  async registrationOptions(
    session: CurrentSession,
    user: PublicUser,
  ): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const rp = this.rp.get();
    const existing = await this.passkeys.listFor(user.id);
    if (existing.length >= MAX_PASSKEYS)
      throw new PasskeyConflictError(
        `an account holds at most ${MAX_PASSKEYS} passkeys: delete one first`,
      );
    // One random user handle per account (never the id or the address), reused by each of its passkeys.
    const handle = existing[0]?.userHandle ?? randomBytes(32).toString('base64url');
    const options = await generateRegistrationOptions({
      rpName: rp.name,
      rpID: rp.id,
      userName: user.email,
      userDisplayName: user.email,
      userID: new Uint8Array(Buffer.from(handle, 'base64url')),
      timeout: CHALLENGE_SECONDS * 1000,
      attestationType: 'none',
      excludeCredentials: existing.map((p) => ({ id: p.id, transports: p.transports })),
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    });
    this.challenges.issue(session, 'register', options.challenge, handle);
    return options;
  }

  /**
   * Verifies the authenticator's answer to this session's registration challenge and stores the passkey;
   * mails a notice. @throws PasskeyResponseError (400 naming `challenge`, `origin`, `rpId` or `response`),
   * 409 when that credential is registered already.
   */
  async register(
    session: CurrentSession,
    user: PublicUser,
    response: RegistrationResponseJSON,
    name: string | undefined,
    userAgent: string | undefined,
  ): Promise<PasskeyView> {
    const rp = this.rp.get();
    const challenge = await this.challenges.take(
      session,
      'register',
      (reason) => new PasskeyResponseError('challenge', reason),
    );
    // The options ask for `credProps`; a browser that says the key is not discoverable made a credential
    // that could never sign in without a password (the sign-in options name no credentials).
    const props = response.clientExtensionResults.credProps;
    if (props?.rk === false)
      throw new PasskeyResponseError(
        'response',
        'the authenticator made a non-discoverable credential',
      );
    const verification = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge.value,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
    }).catch((error: unknown) => {
      const problem = responseProblem(error, rp);
      throw new PasskeyResponseError(problem.field, problem.reason);
    });
    if (!verification.verified)
      throw new PasskeyResponseError('response', 'the attestation does not verify');
    const { credential, credentialDeviceType, credentialBackedUp } = verification.registrationInfo;
    const passkey: Omit<Passkey, 'lastUsedAt'> = {
      id: credential.id,
      userId: user.id,
      userHandle: challenge.userHandle ?? '',
      publicKey: Buffer.from(credential.publicKey).toString('base64url'),
      counter: credential.counter,
      transports: credential.transports ?? [],
      deviceType: credentialDeviceType,
      backedUp: credentialBackedUp,
      name: name ?? (await this.defaultName(user.id, userAgent)),
      createdAt: Date.now(),
    };
    if (!(await this.passkeys.insert(passkey)))
      throw new PasskeyConflictError('this passkey is registered already');
    void this.mail.passkeyAdded(user.email, passkey.name);
    return view({ ...passkey, lastUsedAt: null });
  }

  async list(userId: number): Promise<PasskeyView[]> {
    return (await this.passkeys.listFor(userId)).map(view);
  }

  count(userId: number): Promise<number> {
    return this.passkeys.countFor(userId);
  }

  /** @throws PasskeyNotFoundError (404) for another user's or an unknown id. */
  async rename(userId: number, id: string, name: string): Promise<void> {
    if (!(await this.passkeys.rename(userId, id, name))) throw new PasskeyNotFoundError();
  }

  /** Deletes it and mails a notice. @throws PasskeyNotFoundError (404) for another user's or an unknown id. */
  async delete(user: PublicUser, id: string): Promise<void> {
    const passkey = await this.passkeys.find(id);
    if (passkey === null || passkey.userId !== user.id) throw new PasskeyNotFoundError();
    if (!(await this.passkeys.delete(user.id, id))) throw new PasskeyNotFoundError();
    void this.mail.passkeyRemoved(user.email, passkey.name);
  }

  /** The device the passkey was added from ("Chrome on macOS"), else "Passkey N". */
  private async defaultName(userId: number, userAgent: string | undefined): Promise<string> {
    const device = deviceName(userAgent);
    if (device !== 'Unknown device') return device.slice(0, 64);
    return `Passkey ${(await this.passkeys.countFor(userId)) + 1}`;
  }
}
