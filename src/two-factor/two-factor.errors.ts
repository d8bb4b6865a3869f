import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  HttpException,
  HttpStatus,
  UnauthorizedException,
} from '@nestjs/common';
import type { WithHeaders } from '../common/http-errors';

/** `POST /account/2fa/totp` while TOTP is on: a second authenticator would silently replace the first. */
export class TwoFactorAlreadyOnError extends ConflictException {
  constructor() {
    super({
      error:
        'two-factor authentication is already on; turn it off first (DELETE /account/2fa) to set up another authenticator',
    });
  }
}

/** A change that needs TOTP on (new recovery codes) while it is off. */
export class TwoFactorOffError extends ConflictException {
  constructor() {
    super({ error: 'two-factor authentication is off; turn it on first (POST /account/2fa/totp)' });
  }
}

/** `POST /account/2fa/totp/confirm` with no setup waiting (none started, or replaced meanwhile). */
export class NoTotpSetupError extends BadRequestException {
  constructor() {
    super({
      error: 'code: no TOTP setup is waiting for a code; start one with POST /account/2fa/totp',
      field: 'code',
    });
  }
}

/** The code confirming a setup is not the authenticator's current one. */
export class WrongSetupCodeError extends BadRequestException {
  constructor() {
    super({
      error: 'code: wrong code; enter the 6 digits your authenticator app shows now',
      field: 'code',
    });
  }
}

/** A code entered at `POST /reauth` is wrong or was used already (counted in `passwordChecks`). */
export class WrongReauthCodeError extends ForbiddenException {
  constructor() {
    super({ error: 'code: wrong or already used code', field: 'code' });
  }
}

/** `POST /login/2fa`: the code is neither a fresh TOTP code nor an unused recovery code. */
export class WrongLoginCodeError extends UnauthorizedException {
  constructor() {
    super({ error: 'code: wrong or already used code', field: 'code' });
  }
}

/** `POST /login/2fa` without a password step in this session, or after it expired or was dropped. */
export class NoPendingLoginError extends UnauthorizedException {
  constructor() {
    super({
      error:
        'no two-factor sign-in is waiting in this session (none started, expired after 5 minutes, or ended): log in with your password again',
    });
  }
}

/** Too many wrong codes for one pending login: it is dropped; the password step starts over. */
export class TooManyCodesError extends HttpException implements WithHeaders {
  readonly headers: Record<string, string>;

  constructor(readonly retryAfterSeconds: number) {
    super(
      {
        error: `too many wrong codes for this sign-in: log in with your password again (this sign-in stays refused for ${retryAfterSeconds} seconds)`,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
    this.headers = { 'Retry-After': String(retryAfterSeconds) };
  }
}
