import { HttpException, HttpStatus, UnauthorizedException } from '@nestjs/common';
import type { WithHeaders, WithHtmlRedirect } from '../http/http-exception.filter';

/** Wrong password and unknown email get this same 401, so a response never tells which. */
export class InvalidCredentialsError extends UnauthorizedException {
  constructor() {
    super({ error: 'invalid email or password' });
  }
}

/** No signed-in user: JSON clients get 401, HTML clients go to the login page and come back after. */
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
