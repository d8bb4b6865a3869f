import { Injectable } from '@nestjs/common';
import Tokens from 'csrf';
import type { CurrentSession } from '../session/index';

const SECRET_KEY = 'csrf_secret';

/**
 * CSRF tokens bound to the session (the `csrf` package's synchroniser tokens): the secret lives in the
 * session, each form gets a fresh token derived from it. A new session gets its secret when the first form
 * is rendered.
 */
@Injectable()
export class CsrfService {
  private readonly tokens = new Tokens();

  /** A token for a form; creates the session's secret when it has none. */
  tokenFor(session: CurrentSession): string {
    let secret = session.get<string>(SECRET_KEY);
    if (typeof secret !== 'string') {
      secret = this.tokens.secretSync();
      session.set(SECRET_KEY, secret);
    }
    return this.tokens.create(secret);
  }

  isValid(session: CurrentSession, token: unknown): boolean {
    const secret = session.get<string>(SECRET_KEY);
    return (
      typeof secret === 'string' && typeof token === 'string' && this.tokens.verify(secret, token)
    );
  }
}
