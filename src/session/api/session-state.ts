import { pooledRandomBytes } from './random-pool';
import { emptyValues, SessionValues } from './session-values';

/** What the backends need to keep a session alive across `regenerate`, `save` and `reload`. */
export interface SessionOperations {
  /** Forgets the stored data of `state.id` (stores); nothing for the cookie store. */
  forget(state: SessionState): Promise<void>;
  /** Writes the data now (express-session's `save`); the cookie store marks it for the response. */
  saveNow(state: SessionState): Promise<void>;
  /** Reads the data of `state.id` again (stores); nothing for the cookie store. */
  reload(state: SessionState): Promise<void>;
}

/** One request's session, as the backends and the lifecycle see it (the `CurrentSession` proxy wraps it). */
export interface SessionState {
  id: string;
  values: SessionValues;
  permanent: boolean;
  /** Flask's `modified`: a top-level set or delete happened, or the app set the flag. */
  modified: boolean;
  /** Flask's `new`: the request carried no valid session. */
  isNew: boolean;
  /** Read or written at all: the response then gets `Vary: Cookie`. */
  accessed: boolean;
  /** `touch()` was called: re-send the cookie and extend the stored lifetime. */
  touched: boolean;
  /** Opened with a fallback key: re-send the cookie under the current key. */
  reissue: boolean;
  /** `regenerate()`/`destroy()` ran: the request's cookie must be replaced or expired. */
  rotated: boolean;
  /** When the data was last written or refreshed (ms since the epoch); bounds its idle lifetime. */
  issuedAt: number;
  /**
   * When the session began (ms since the epoch): its creation, or the login whose `regenerate()` gave it
   * its id. Never renewed, whatever the use: bounds it by `SESSION_ABSOLUTE_LIFETIME`.
   */
  createdAt: number;
  /** The stored record's version as opened (stores); `null` when it has no record yet. */
  version: number | null;
  /** The session id whose write lock this request holds (stores, methods that may write), if any. */
  lockedId: string | null;
  /** Redis: the token of that lock, which the save checks is still the lock's. */
  lockToken: string | null;
  /** Opened before its write turn (Fastify, until `preHandler` takes it after the body arrived). */
  turnPending: boolean;
  /** When the request opened it (ms since the epoch): its write lock is never held `REQUEST_TIMEOUT` past this. */
  openedAt: number;
  /** It belonged to a signed-in user when opened: the response is then never cached. */
  signedInAtOpen: boolean;
  /** Extend the stored record's lifetime with this response, without re-sending the cookie. */
  extendStored: boolean;
  /** No secret key: reads see an empty session, writes throw `SessionUnavailableError`. */
  readOnly: boolean;
  /** The store did not answer: any use of the session throws this (503). */
  unavailable: Error | null;
  /** The request carried a session cookie (valid or not). */
  hadCookie: boolean;
  /** JSON of the values as opened; development only, to catch nested writes without `modified`. */
  snapshot: string | null;
  /** Set once the response's cookie headers are decided. */
  committed: boolean;
  operations: SessionOperations;
}

export function newSessionId(): string {
  return pooledRandomBytes(18).toString('base64url');
}

export function newSessionState(
  operations: SessionOperations,
  init: Partial<SessionState> = {},
): SessionState {
  const now = Date.now();
  return {
    // An opened session keeps its own id; only a new one is given a fresh id.
    id: init.id ?? newSessionId(),
    values: emptyValues(),
    permanent: false,
    modified: false,
    isNew: true,
    accessed: false,
    touched: false,
    reissue: false,
    rotated: false,
    issuedAt: now,
    createdAt: now,
    version: null,
    lockedId: null,
    lockToken: null,
    turnPending: false,
    openedAt: now,
    signedInAtOpen: false,
    extendStored: false,
    readOnly: false,
    unavailable: null,
    hadCookie: false,
    snapshot: null,
    committed: false,
    operations,
    ...init,
  };
}

/** Drops the data and gives a new id: what `regenerate()` and `destroy()` leave behind. */
export function resetSessionState(state: SessionState): void {
  state.id = newSessionId();
  state.values = emptyValues();
  state.permanent = false;
  state.modified = false;
  state.isNew = true;
  state.touched = false;
  state.reissue = false;
  state.rotated = true;
  state.issuedAt = Date.now();
  state.createdAt = state.issuedAt;
  state.version = null;
  state.extendStored = false;
  state.snapshot = state.snapshot === null ? null : '{}';
}

/**
 * Replaces what `state` holds of its stored session by `fresh` (the same session read again, now under its
 * write lock), keeping the object that `req.session` wraps and the request's own bookkeeping.
 */
export function reopenInPlace(state: SessionState, fresh: SessionState): void {
  state.id = fresh.id;
  state.values = fresh.values;
  state.permanent = fresh.permanent;
  state.isNew = fresh.isNew;
  state.issuedAt = fresh.issuedAt;
  state.createdAt = fresh.createdAt;
  state.version = fresh.version;
  state.reissue = fresh.reissue;
  state.extendStored = fresh.extendStored;
  state.unavailable = fresh.unavailable;
  state.operations = fresh.operations;
  state.modified = false;
  state.rotated = false;
}
