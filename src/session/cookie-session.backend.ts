import { isJsonObject, parseSafeJson, toSessionValues } from './safe-json';
import { SessionBackend } from './session-backend';
import { emptyValues, newSessionState, SessionOperations, SessionState } from './session-state';
import { CookieSealer, Opened } from './session-keys';

/** Longest cookie value even looked at; real ones are under `MAX_COOKIE_SIZE` (4 KB by default). */
const MAX_COOKIE_VALUE_CHARS = 8192;

/**
 * The sealed JSON, the cookie store's one format (test/support/forge-cookie.ts builds its payloads with
 * `cookiePayload` too): `t` last write (ms), `c` when the session began (its login; never renewed), `p`
 * permanent, `i` id, `d` the values.
 */
export interface CookiePayload {
  t: number;
  c: number;
  p: 0 | 1;
  i: string;
  d: Record<string, unknown>;
}

export function cookiePayload(state: SessionState): CookiePayload {
  return {
    t: state.issuedAt,
    c: state.createdAt,
    p: state.permanent ? 1 : 0,
    i: state.id,
    d: state.values,
  };
}

const cookieOperations: SessionOperations = {
  forget: () => Promise.resolve(),
  saveNow: () => Promise.resolve(), // `save()` marks the session modified; the response carries it
  reload: () => Promise.resolve(),
};

export interface CookieLifetimes {
  /** `PERMANENT_SESSION_LIFETIME`: how long after its last write a cookie is accepted. */
  lifetimeMs: number;
  /** `SESSION_ABSOLUTE_LIFETIME`: how long after its login a cookie is accepted, however refreshed. */
  absoluteLifetimeMs: number;
}

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
    private readonly lifetimes: CookieLifetimes,
  ) {}

  open(cookieValue: string | undefined): Promise<SessionState> {
    return Promise.resolve(this.openNow(cookieValue));
  }

  cookieValue(state: SessionState): string {
    return this.sealer.seal(JSON.stringify(cookiePayload(state)));
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
    const payload = opened && this.payloadOf(opened);
    if (!opened || !payload) return newSessionState(cookieOperations, { hadCookie: true });
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

  private payloadOf(opened: Opened): CookiePayload | null {
    let parsed: unknown;
    try {
      parsed = parseSafeJson(opened.text);
    } catch {
      return null;
    }
    if (!isPayload(parsed)) return null;
    const now = Date.now();
    if (now - parsed.t > this.lifetimes.lifetimeMs) return null;
    return now - parsed.c > this.lifetimes.absoluteLifetimeMs ? null : parsed;
  }
}

function isPayload(value: unknown): value is CookiePayload {
  if (value === null || typeof value !== 'object') return false;
  const p = value as Partial<CookiePayload>;
  return (
    typeof p.t === 'number' &&
    typeof p.c === 'number' &&
    (p.p === 0 || p.p === 1) &&
    typeof p.i === 'string' &&
    isJsonObject(p.d)
  );
}
