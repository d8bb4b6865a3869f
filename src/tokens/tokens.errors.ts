import { BadRequestException, ServiceUnavailableException } from '@nestjs/common';

/** Why a link's token was refused: each a 400 that says which, with `field: "token"`. */
abstract class TokenError extends BadRequestException {
  constructor(message: string) {
    super({ error: `token ${message}`, field: 'token' });
  }
}

/** Not made by this app for this purpose (tampered, truncated, another kind of link, a removed key), or its user is gone. */
export class InvalidTokenError extends TokenError {
  override readonly name = 'InvalidTokenError';
  constructor() {
    super('is invalid: open the link from the latest mail, or ask for a new one');
  }
}

/** Older than its purpose's lifetime (`PASSWORD_RESET_TIMEOUT`, `EMAIL_TOKEN_TIMEOUT`). */
export class ExpiredTokenError extends TokenError {
  override readonly name = 'ExpiredTokenError';
  constructor() {
    super('has expired: ask for a new link');
  }
}

/** The state it was bound to changed: the link was used, or a later change (password, address) replaced it. */
export class UsedTokenError extends TokenError {
  override readonly name = 'UsedTokenError';
  constructor() {
    super('was already used, or the account changed since it was sent: ask for a new link');
  }
}

/** No `SECRET_KEY` (only a test builds the app so): no link can be signed. */
export class TokensUnavailableError extends ServiceUnavailableException {
  constructor() {
    super('links cannot be signed because no secret key was set; set SECRET_KEY');
  }
}
