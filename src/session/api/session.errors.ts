import { PayloadTooLargeException, ServiceUnavailableException } from '@nestjs/common';
import type { WithHeaders } from '../../common/http-errors';

/**
 * A write to the session of an app built without `SECRET_KEY` (only a test can build one). Reads still work
 * and see an empty session, as Flask's `NullSession` does; every write throws this, so the mistake shows on
 * the first write instead of as a silently lost login.
 */
export class SessionUnavailableError extends Error {
  override readonly name = 'SessionUnavailableError';
  /** A 500 whose message the client sees (the http-errors convention the exception filter reads). */
  readonly status = 500;
  readonly expose = true;
  constructor() {
    super(
      'The session is unavailable because no secret key was set. Set SECRET_KEY to something unique and ' +
        'secret (`npm run secret` prints one).',
    );
  }
}

/**
 * The session store did not answer. Requests that read or write the session get 503 instead of a silent
 * logout (express-session's default is to treat a store error as "no session"); the client's cookie is kept,
 * and service resumes by itself when the store answers again.
 */
export class SessionStoreUnavailableError
  extends ServiceUnavailableException
  implements WithHeaders
{
  readonly headers = { 'Retry-After': '5' };

  constructor(storeName: string, cause?: unknown) {
    super(
      `The session store (${storeName}) is unreachable; check the service is up. ` +
        'Requests that use the session get 503 until it answers again.',
      { cause },
    );
  }
}

/**
 * The session would not fit in one `Set-Cookie` header of `MAX_COOKIE_SIZE` bytes. The response is 413 and
 * no cookie is sent, so the client keeps its last valid session.
 */
export class SessionTooLargeError extends PayloadTooLargeException {
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super(
      `The session cookie would be ${size} bytes, over MAX_COOKIE_SIZE (${limit} bytes). Store less in the ` +
        'session, or set SESSION_STORE=redis to keep the data on the server.',
    );
  }
}

/**
 * The stored session record would be larger than `MAX_SESSION_BYTES`: 413, and nothing was written (the
 * stored session stays as it was). Bounds what any client can make the server keep and re-read.
 */
export class StoredSessionTooLargeError extends PayloadTooLargeException {
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super(
      `The session would be ${size} bytes, over MAX_SESSION_BYTES (${limit} bytes); nothing was changed. ` +
        'Store less in the session.',
    );
  }
}

/**
 * Other requests that change this session held it for longer than a request may wait (5 s): 503 with
 * `Retry-After`, and nothing was changed, rather than a change made without the lock and lost.
 */
export class SessionBusyError extends ServiceUnavailableException implements WithHeaders {
  readonly headers = { 'Retry-After': '1' };

  constructor() {
    super(
      'This session is busy with other requests that change it; nothing was changed, try again in a second.',
    );
  }
}

/**
 * The stored session changed or ended (another request wrote it, or a logout removed it) after this
 * request read it, so saving would overwrite that or bring a logged-out session back: 503 with
 * `Retry-After`, the change is not saved, and the stored session stays as it is.
 */
export class SessionConflictError extends ServiceUnavailableException implements WithHeaders {
  readonly headers = { 'Retry-After': '1' };

  constructor() {
    super(
      'The session changed or ended while this request ran, so this change was not saved; reload and try again.',
    );
  }
}
