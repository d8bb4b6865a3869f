import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  NotFoundException,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';

/** A registration response that does not verify: 400 naming what is wrong (`challenge`, `origin`, `rpId`, `response`). */
export class PasskeyResponseError extends BadRequestException {
  constructor(
    readonly field: 'challenge' | 'origin' | 'rpId' | 'response' | 'name',
    reason: string,
  ) {
    super({ error: `${field}: ${reason}`, field });
  }
}

/**
 * A passkey sign-in that does not verify (unknown credential, bad signature, wrong or reused challenge,
 * a signature counter that did not increase): 401, no session, as a wrong password is.
 */
export class PasskeySignInError extends UnauthorizedException {
  constructor(reason: string) {
    super({ error: `passkey sign-in failed: ${reason}` });
  }
}

/** A passkey offered at re-authentication does not verify: 403, as a wrong password at `/reauth` is. */
export class PasskeyReauthError extends ForbiddenException {
  constructor(reason: string) {
    super({ error: `response: the passkey does not verify: ${reason}`, field: 'response' });
  }
}

/** No passkey of the signed-in user has this id (another user's, a deleted one, or none). */
export class PasskeyNotFoundError extends NotFoundException {
  constructor() {
    super({ error: 'no passkey of yours has this id' });
  }
}

/** The credential is registered already, or the account has as many passkeys as it may. */
export class PasskeyConflictError extends ConflictException {
  constructor(reason: string) {
    super({ error: reason });
  }
}

/** Production without `PUBLIC_URL`: there is no relying party to name, so passkey routes answer 503. */
export class PasskeysUnavailableError extends ServiceUnavailableException {
  constructor() {
    super(
      'passkeys need PUBLIC_URL (the relying party is its host); set PUBLIC_URL=https://your.host',
    );
  }
}
