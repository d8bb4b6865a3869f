import { isJsonObject, parseSafeJson, toSessionValues } from './safe-json';
import { SessionBackend } from './session-backend';
import { emptyValues, newSessionState, SessionOperations, SessionState } from './session-state';
import { CookieSealer, Opened } from './session-keys';

/** Longest cookie value even looked at; real ones are under `MAX_COOKIE_SIZE` (4 KB by default). */
const MAX_COOKIE_VALUE_CHARS = 8192;

/** The sealed JSON: `t` issue time (ms), `p` permanent, `i` id, `d` the values. */
interface CookiePayload {
  t: number;
  p: 0 | 1;
  i: string;
  d: Record<string, unknown>;
}

const cookieOperations: SessionOperations = {
  forget: () => Promise.resolve(),
  saveNow: () => Promise.resolve(), // `save()` marks the session modified; the response carries it
  reload: () => Promise.resolve(),
};

/**
 * The default store: the whole session in the cookie, encrypted and authenticated (AES-256-GCM under a key
 * derived from `SECRET_KEY`). The issue time is inside, so a session older than `PERMANENT_SESSION_LIFETIME`
 * is refused whatever the browser sends. A cookie opened with a fallback key is re-issued under the current
 * key. Stateless: a copied cookie stays valid until it expires (use a store for server-side revocation).
 */
export class CookieSessionBackend implements SessionBackend {
  readonly storeName = 'cookie';
  readonly serialisesWrites = false;

  constructor(
    private readonly sealer: CookieSealer,
    private readonly lifetimeMs: number,
  ) {}

  open(cookieValue: string | undefined): Promise<SessionState> {
    return Promise.resolve(this.openNow(cookieValue));
  }

  cookieValue(state: SessionState): string {
    const payload: CookiePayload = {
      t: state.issuedAt,
      p: state.permanent ? 1 : 0,
      i: state.id,
      d: state.values,
    };
    return this.sealer.seal(JSON.stringify(payload));
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
    const age = Date.now() - parsed.t;
    return age > this.lifetimeMs ? null : parsed;
  }
}

function isPayload(value: unknown): value is CookiePayload {
  if (value === null || typeof value !== 'object') return false;
  const p = value as Partial<CookiePayload>;
  return (
    typeof p.t === 'number' &&
    (p.p === 0 || p.p === 1) &&
    typeof p.i === 'string' &&
    isJsonObject(p.d)
  );
}
