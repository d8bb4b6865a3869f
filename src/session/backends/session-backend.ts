import type { SessionConfig } from '../../config/app-config';
import { SessionState } from '../api/session-state';

/** How long a session is accepted: the config's lifetimes, in milliseconds. */
export interface SessionLifetimes {
  /** `PERMANENT_SESSION_LIFETIME`: how long after its last write or refresh a session is accepted. */
  lifetimeMs: number;
  /** `SESSION_ABSOLUTE_LIFETIME`: how long after its login a session is accepted, however refreshed. */
  absoluteLifetimeMs: number;
}

export function lifetimesOf(session: SessionConfig): SessionLifetimes {
  return {
    lifetimeMs: session.permanentLifetimeSeconds * 1000,
    absoluteLifetimeMs: session.absoluteLifetimeSeconds * 1000,
  };
}

/** How a commit asks a backend to persist: write the data, only extend its lifetime, or nothing. */
export type PersistMode = 'set' | 'touch';

/**
 * Loads and saves one request's session. `CookieSessionBackend` keeps the data in an encrypted cookie;
 * `StoreSessionBackend` keeps a signed id in the cookie and the data in any express-session `Store`
 * (connect-redis, MemoryStore). The HTTP side (cookie attributes, `Vary`, size guard, when to save) is the
 * lifecycle's (`http/session-lifecycle.ts`), so the backends only translate between a cookie value and a `SessionState`.
 */
export interface SessionBackend {
  /** Names the store in messages: `cookie`, `memory`, `Redis at REDIS_URL`. */
  readonly storeName: string;
  /**
   * The session named by the request's cookie value, exactly as the client sent it (`undefined`: no
   * cookie). A bad, foreign, expired or differently spelled cookie gives an empty new session; only an
   * unreachable store throws (`SessionStoreUnavailableError`).
   */
  open(cookieValue: string | undefined): Promise<SessionState>;
  /**
   * Stores only: waits until this request may write the session the cookie names, and returns the release
   * (`null` when the cookie names no session). Requests that may write one session then run one at a time;
   * each backend's TSDoc says across what (one process, or every process on one Redis). Throws
   * `SessionBusyError` (503) when the turn does not come by `turn.waitUntil`, or when `turn.signal` aborts
   * (the client went away: the waiter leaves the queue); `SessionStoreUnavailableError` (503) when the
   * store does not answer in time. A lock is never held past `turn.holdUntil`.
   */
  lockForWrite?(cookieValue: string, turn: WriteTurn): Promise<WriteLock | null>;
  /**
   * The exact text of the cookie that carries this session, cookie-safe as it is; `open` accepts only this
   * text. Synchronous, so a raw `writeHead` can send it.
   */
  cookieValue(state: SessionState): string;
  /** Writes the data to the store or extends its lifetime; nothing for the cookie store. */
  persist(state: SessionState, mode: PersistMode): Promise<void>;
  /** Resolves when the store answers; throws `SessionStoreUnavailableError` when it does not. */
  ping(): Promise<void>;
  /** Releases connections at shutdown. */
  close(): Promise<void>;
}

/** One request's claim to write a session: how long it waits, how long it may hold it, and its abort. */
export interface WriteTurn {
  /** Give up waiting at this time (ms since the epoch): `SessionBusyError`. */
  waitUntil: number;
  /** The request's own deadline (ms since the epoch): the lock is never held, nor its lease renewed, past it. */
  holdUntil: number;
  /** Aborts when the request ends (its client went away, or it was answered): the waiter leaves the queue. */
  signal: AbortSignal;
}

/**
 * A held write lock: the id it covers, its release (idempotent), and for Redis the token that the save's
 * compare-and-set checks is still the lock's (a holder whose lease ran out cannot save).
 */
export interface WriteLock {
  id: string;
  token?: string;
  release: () => void;
}

/** How long a request waits for its turn to write a session before it gets `SessionBusyError` (503). */
export const WRITE_LOCK_WAIT_MS = 5000;

/**
 * How long one call to a session store may take before it counts as the store being down (503 with
 * `Retry-After`): a stalled Redis answers every request within about this, never holds it for good.
 */
export const STORE_CALL_TIMEOUT_MS = 2000;

/** Injection token of the app's `SessionBackend`. */
export const SESSION_BACKEND = Symbol('SESSION_BACKEND');
