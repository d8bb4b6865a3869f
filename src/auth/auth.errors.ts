import {
  HttpException,
  HttpStatus,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import type { WithHeaders, WithHtmlRedirect } from '../common/http-errors';

/** Wrong password and unknown email get this same 401, so a response never tells which. */
export class InvalidCredentialsError extends UnauthorizedException {
  constructor() {
    super({ error: 'invalid email or password' });
  }
}

/**
 * No signed-in user: JSON clients get 401; a browser asking for a page (GET) goes to the login page and
 * comes back after, a form post gets the 401 error page.
 */
export class LoginRequiredError extends UnauthorizedException implements WithHtmlRedirect {
  constructor() {
    super({ error: 'login required' });
  }

  htmlRedirect(path: string): string {
    // Slashes stay readable (`/login?next=/dashboard`); everything else that could break the query is encoded.
    return `/login?next=${encodeURIComponent(path).replace(/%2F/gi, '/')}`;
  }
}

/** Too many failed logins for one email or one client address. */
export class TooManyLoginAttemptsError extends HttpException implements WithHeaders {
  readonly headers: Record<string, string>;

  constructor(readonly retryAfterSeconds: number) {
    super(
      { error: `too many failed logins: try again in ${retryAfterSeconds} seconds` },
      HttpStatus.TOO_MANY_REQUESTS,
    );
    this.headers = { 'Retry-After': String(retryAfterSeconds) };
  }
}

/** Too many registrations from one client address. */
export class TooManyRegistrationsError extends HttpException implements WithHeaders {
  readonly headers: Record<string, string>;

  constructor(readonly retryAfterSeconds: number) {
    super(
      {
        error: `too many registrations from this address: try again in ${retryAfterSeconds} seconds`,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
    this.headers = { 'Retry-After': String(retryAfterSeconds) };
  }
}

/**
 * The login counters in Redis cannot be read or written. Logins and registrations are refused (fail
 * closed) rather than checked without a limit; they resume by themselves when Redis answers again.
 */
export class ThrottleUnavailableError extends ServiceUnavailableException implements WithHeaders {
  readonly headers = { 'Retry-After': '5' };

  constructor(cause?: unknown) {
    super(
      'Redis at REDIS_URL is unreachable, so logins cannot be throttled and are refused; check the service is up',
      { cause },
    );
  }
}
