import { newSessionState, SessionOperations, SessionState } from '../../api/session-state';
import { emptyValues, toSessionValues } from '../../api/session-values';
import type { SessionBackend, SessionLifetimes } from '../session-backend';
import { CookieSealer, decodePayload, encodePayload, payloadOf } from './cookie-format';

/** Longest cookie value even looked at; real ones are under `MAX_COOKIE_SIZE` (4 KB by default). */
const MAX_COOKIE_VALUE_CHARS = 8192;

const cookieOperations: SessionOperations = {
  forget: () => Promise.resolve(),
  saveNow: () => Promise.resolve(), // `save()` marks the session modified; the response carries it
  reload: () => Promise.resolve(),
};

/**
 * The default store: the whole session in the cookie, encrypted and authenticated (AES-256-GCM under a key
 * derived from `SECRET_KEY`). Only the exact text the server sealed is opened. The times are inside, so
 * a cookie is refused `PERMANENT_SESSION_LIFETIME` after its last write and `SESSION_ABSOLUTE_LIFETIME`
 * after its login, whatever the browser sends. A cookie opened with a fallback key is re-issued under the
 * current key. Stateless: a copied cookie stays valid until then, unless its user's session generation
 * moves on (`POST /logout/all`, a password change; checked where the user is loaded).
 */
export class CookieSessionBackend implements SessionBackend {
  readonly storeName = 'cookie';

  constructor(
    private readonly sealer: CookieSealer,
    private readonly lifetimes: SessionLifetimes,
  ) {}

  open(cookieValue: string | undefined): Promise<SessionState> {
    return Promise.resolve(this.openNow(cookieValue));
  }

  cookieValue(state: SessionState): string {
    return this.sealer.seal(encodePayload(payloadOf(state)));
  }

  persist(): Promise<void> {
    return Promise.resolve();
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private openNow(cookieValue: string | undefined): SessionState {
    if (cookieValue === undefined) return newSessionState(cookieOperations);
    const opened =
      cookieValue.length <= MAX_COOKIE_VALUE_CHARS ? this.sealer.open(cookieValue) : null;
    const payload = opened && decodePayload(opened.text);
    if (!opened || !payload || !this.isCurrent(payload.t, payload.c)) {
      return newSessionState(cookieOperations, { hadCookie: true });
    }
    return newSessionState(cookieOperations, {
      id: payload.i,
      values: toSessionValues(payload.d) ?? emptyValues(),
      permanent: payload.p === 1,
      isNew: false,
      issuedAt: payload.t,
      createdAt: payload.c,
      hadCookie: true,
      reissue: opened.keyIndex > 0,
    });
  }

  private isCurrent(issuedAt: number, createdAt: number): boolean {
    const now = Date.now();
    return (
      now - issuedAt <= this.lifetimes.lifetimeMs &&
      now - createdAt <= this.lifetimes.absoluteLifetimeMs
    );
  }
}
