import { ServiceUnavailableException } from '@nestjs/common';
import type { WithHeaders } from '../common/http-errors';

/**
 * Mail is off or cannot build links, so a flow that must mail (forgot, resend, email change) cannot work:
 * 503 naming the key to set. No `Retry-After`: it takes a configuration change, not time.
 */
export class MailUnavailableError extends ServiceUnavailableException {
  constructor(readonly reason: string) {
    super(`this needs mail, but ${reason}`);
  }
}

/** The mail server refused or did not answer in time: logged, and the flow that needed it answers 503. */
export class MailSendError extends ServiceUnavailableException implements WithHeaders {
  readonly headers = { 'Retry-After': '30' };

  constructor(cause: unknown) {
    super('the mail could not be sent; try again in a minute', { cause });
  }
}
