import { SessionState } from './session-state';

/** How the committer asks a backend to persist: write the data, only extend its lifetime, or nothing. */
export type PersistMode = 'set' | 'touch';

/**
 * Loads and saves one request's session. `CookieSessionBackend` keeps the data in an encrypted cookie;
 * `StoreSessionBackend` keeps a signed id in the cookie and the data in any express-session `Store`
 * (connect-redis, MemoryStore). The HTTP side (cookie attributes, `Vary`, size guard, when to save) is the
 * `SessionCommitter`'s, so the backends only translate between a cookie value and a `SessionState`.
 */
export interface SessionBackend {
  /** Names the store in messages: `cookie`, `memory`, `Redis at REDIS_URL`. */
  readonly storeName: string;
  /** Store backends serialise writes to one session in this process (see `SessionLocks`). */
  readonly serialisesWrites: boolean;
  /**
   * The session named by the request's cookie value (`undefined`: no cookie). A bad, foreign or expired
   * cookie gives an empty new session; only an unreachable store throws (`SessionStoreUnavailableError`).
   */
  open(cookieValue: string | undefined): Promise<SessionState>;
  /** The value of the cookie that carries this session. Synchronous, so a raw `writeHead` can send it. */
  cookieValue(state: SessionState): string;
  /** Writes the data to the store or extends its lifetime; nothing for the cookie store. */
  persist(state: SessionState, mode: PersistMode): Promise<void>;
  /** Resolves when the store answers; throws `SessionStoreUnavailableError` when it does not. */
  ping(): Promise<void>;
  /** Releases connections at shutdown. */
  close(): Promise<void>;
}

/** Injection token of the app's `SessionBackend`. */
export const SESSION_BACKEND = Symbol('SESSION_BACKEND');
