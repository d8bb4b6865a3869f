import {
  ConflictException,
  ForbiddenException,
  HttpException,
  HttpStatus,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import type { WithHeaders, WithHtmlRedirect } from '../common/http-errors';

/** A limit of `ACCOUNT_LIMITS` is used up: 429 with `Retry-After`. */
export class TooManyRequestsError extends HttpException implements WithHeaders {
  readonly headers: Record<string, string>;

  constructor(
    what: string,
    readonly retryAfterSeconds: number,
  ) {
    super(
      { error: `too many ${what}: try again in ${retryAfterSeconds} seconds` },
      HttpStatus.TOO_MANY_REQUESTS,
    );
    this.headers = { 'Retry-After': String(retryAfterSeconds) };
  }
}

/** The account counters in Redis cannot be read or written: refused (fail closed), never unthrottled. */
export class AccountLimitsUnavailableError
  extends ServiceUnavailableException
  implements WithHeaders
{
  readonly headers = { 'Retry-After': '5' };

  constructor(cause?: unknown) {
    super(
      'Redis at REDIS_URL is unreachable, so this request cannot be throttled and is refused; check the service is up',
      { cause },
    );
  }
}

/** A signed-in user's password, entered to confirm a change, is wrong (counted like a failed login). */
export class WrongPasswordError extends ForbiddenException {
  constructor(field: string) {
    super({ error: `${field}: wrong password`, field });
  }
}

/** `EMAIL_VERIFICATION=required` and the address is not verified: no session; a fresh link was mailed. */
export class EmailNotVerifiedError extends ForbiddenException {
  constructor() {
    super({ error: 'email not verified' });
  }
}

export class AlreadyVerifiedError extends ConflictException {
  constructor() {
    super({ error: 'email already verified' });
  }
}

/** The password changed between its check and the write (another request): nothing was changed. */
export class PasswordChangedMeanwhileError extends ConflictException {
  constructor() {
    super({ error: 'the password was changed by another request meanwhile; nothing was changed' });
  }
}

/**
 * A sensitive change needs a password, TOTP code or passkey entered within `REAUTH_TIMEOUT`: JSON 401,
 * a browser goes to `/reauth?next=…` (form posts too: they come back to `next` after).
 */
export class ReauthRequiredError extends UnauthorizedException implements WithHtmlRedirect {
  readonly redirectsPosts = true;

  constructor(private readonly next: string) {
    super({ error: 'reauthentication required' });
  }

  htmlRedirect(): string {
    return `/reauth?next=${encodeURIComponent(this.next).replace(/%2F/gi, '/')}`;
  }
}
