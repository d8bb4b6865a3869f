import type { Store } from 'express-session';
import { withTimeout } from '../../../common/with-timeout';
import {
  SessionConflictError,
  SessionStoreUnavailableError,
  StoredSessionTooLargeError,
} from '../../api/session.errors';
import { newSessionState, SessionOperations, SessionState } from '../../api/session-state';
import type { SessionValues } from '../../api/session-values';
import {
  PersistMode,
  SessionBackend,
  SessionLifetimes,
  STORE_CALL_TIMEOUT_MS,
  WRITE_LOCK_WAIT_MS,
  WriteLock,
  WriteTurn,
} from '../session-backend';
import { ProcessWriteLocks } from './process-locks';
import type { RedisSessionWrites } from './redis-writes';
import type { RedisWriteLocks } from './redis-locks';
import { SessionIdSigner } from './signed-id';
import { hasTimes, recordOf, StoredSession, storedValues, versionOf } from './stored-record';

/** A store record of a visitor who never signed in lives this long after its last use. */
export const ANONYMOUS_LIFETIME_MS = 3600_000;

/**
 * `lifetimeMs`: a signed-in record lives this long after its last write or refresh. `absoluteLifetimeMs`:
 * no record is used, or kept, longer than this after its login.
 */
export interface StoreBackendOptions extends SessionLifetimes {
  store: Store;
  storeName: string;
  signer: SessionIdSigner;
  /** An anonymous record (see `isSignedIn`) lives this long after its last use; default 1 hour. */
  anonymousLifetimeMs?: number;
  /** Whether these values belong to a signed-in user; default: every session counts as signed in. */
  isSignedIn?: (values: SessionValues) => boolean;
  /** Redis: write locks and compare-and-set that hold across every process on it. */
  redis?: { locks: RedisWriteLocks; writes: RedisSessionWrites };
  /** A store call slower than this counts as the store being down (503); default `STORE_CALL_TIMEOUT_MS`. */
  timeoutMs?: number;
  /** `MAX_SESSION_BYTES`: a record whose JSON is larger is refused (413) and nothing is written. */
  maxStoredBytes?: number;
  ping?: () => Promise<unknown>;
  close?: () => Promise<void>;
}

type StoreCall<T> = (callback: (err: unknown, value?: T) => void) => void;

/**
 * Sessions in any express-session `Store`; the cookie holds `s:<id>.<signature>`, accepted only in the exact
 * text issued. A store error or timeout is a `SessionStoreUnavailableError` (503): never read as "no
 * session", which would log the user out.
 *
 * Writes: requests that may write one session hold its lock (`lockForWrite`) and every save is checked
 * against the version the request read, so a request that opened the session before a logout or another
 * write can never save over it (`SessionConflictError`, 503). With `redis`, both hold across every process
 * on that Redis (a lock in Redis, a compare-and-set script). Any other store is checked inside this process
 * only: across processes its writes are last-write-wins, and a logout racing a write on another process can
 * be undone.
 *
 * Lifetimes: a record expires `PERMANENT_SESSION_LIFETIME` after its last write or refresh, an anonymous
 * one an hour after its last use, and none outlives its login by `SESSION_ABSOLUTE_LIFETIME` (the store's
 * TTL is cut to it, and `open` refuses an older record whatever the store keeps).
 */
export class StoreSessionBackend implements SessionBackend {
  readonly storeName: string;
  private readonly locks = new ProcessWriteLocks();
  /** Releases of the write locks held now: shutdown gives every one back. */
  private readonly held = new Set<() => void>();
  private readonly isSignedIn: (values: SessionValues) => boolean;
  private readonly operations: SessionOperations = {
    forget: (state) => this.call((cb) => this.options.store.destroy(state.id, cb)),
    saveNow: (state) => this.persist(state, 'set'),
    reload: (state) => this.reload(state),
  };

  constructor(private readonly options: StoreBackendOptions) {
    this.storeName = options.storeName;
    this.isSignedIn = options.isSignedIn ?? (() => true);
  }

  async open(cookieValue: string | undefined): Promise<SessionState> {
    if (cookieValue === undefined) return newSessionState(this.operations);
    const verified = this.options.signer.idOf(cookieValue);
    const record = verified && (await this.read(verified.id));
    if (!verified || !record || !this.isCurrent(record)) {
      return newSessionState(this.operations, { hadCookie: true });
    }
    const values = storedValues(record);
    return newSessionState(this.operations, {
      id: verified.id,
      values,
      permanent: record.permanent === true,
      isNew: false,
      issuedAt: record.issuedAt,
      createdAt: record.createdAt,
      version: versionOf(record),
      hadCookie: true,
      reissue: verified.keyIndex > 0,
      // Used, so an anonymous record lives another hour; a signed-in one is extended by writes and refreshes.
      extendStored: !this.isSignedIn(values),
    });
  }

  async lockForWrite(cookieValue: string, turn: WriteTurn): Promise<WriteLock | null> {
    const verified = this.options.signer.idOf(cookieValue);
    if (!verified) return null;
    const { id } = verified;
    const releaseHere = await this.locks.acquire(id, turn.waitUntil, turn.signal);
    if (!this.options.redis) return this.track({ id, release: releaseHere });
    try {
      const everywhere = await this.options.redis.locks.acquire(id, turn);
      return this.track({
        id,
        token: everywhere.token,
        release: () => {
          everywhere.release();
          releaseHere();
        },
      });
    } catch (error) {
      releaseHere();
      throw error;
    }
  }

  /** Keeps the lock's release until it is called, so `close()` can give back what is still held. */
  private track(lock: WriteLock): WriteLock {
    const release = () => {
      this.held.delete(release);
      lock.release();
    };
    this.held.add(release);
    return { ...lock, release };
  }

  cookieValue(state: SessionState): string {
    return this.options.signer.cookieValue(state.id);
  }

  async persist(state: SessionState, mode: PersistMode): Promise<void> {
    const record = this.recordOf(state);
    if (record === null) return; // past its absolute lifetime: the next request refuses it anyway
    const { store } = this.options;
    if (mode === 'touch' && store.touch) {
      const touch = store.touch.bind(store);
      return this.call((cb) => touch(state.id, record as never, (err?: unknown) => cb(err)));
    }
    await this.save(state, record);
  }

  async ping(): Promise<void> {
    if (!this.options.ping) return;
    try {
      await withTimeout(this.options.ping(), this.timeoutMs);
    } catch (err) {
      throw new SessionStoreUnavailableError(this.storeName, err);
    }
  }

  /** Gives back every write lock still held (requests cut off by shutdown), then closes the store. */
  async close(): Promise<void> {
    for (const release of [...this.held]) release();
    await this.options.redis?.locks.settled();
    await this.options.close?.();
  }

  private isCurrent(record: Partial<StoredSession>): record is StoredSession {
    return hasTimes(record) && Date.now() - record.createdAt <= this.options.absoluteLifetimeMs;
  }

  /** Saves only over the version this request read (or where no record is, for a new session). */
  private async save(state: SessionState, record: StoredSession): Promise<void> {
    const json = JSON.stringify(record);
    const limit = this.options.maxStoredBytes;
    if (limit !== undefined && Buffer.byteLength(json) > limit) {
      throw new StoredSessionTooLargeError(Buffer.byteLength(json), limit);
    }
    const { redis } = this.options;
    if (redis) {
      const ttlMs = Date.parse(record.cookie.expires) - Date.now();
      const held = state.lockedId === state.id && state.lockToken !== null;
      const lock = held
        ? { key: redis.locks.keyOf(state.id), token: state.lockToken as string }
        : null;
      await redis.writes.setIfVersion(state.id, json, state.version, ttlMs, lock);
    } else if (state.lockedId === state.id) {
      await this.checkAndSet(state, record);
    } else {
      const release = await this.locks.acquire(state.id, Date.now() + WRITE_LOCK_WAIT_MS);
      try {
        await this.checkAndSet(state, record);
      } finally {
        release();
      }
    }
    state.version = record.v;
  }

  /** Run under this process's lock of the session: atomic for stores this process alone writes. */
  private async checkAndSet(state: SessionState, record: StoredSession): Promise<void> {
    const current = await this.read(state.id);
    if (versionOf(current) !== state.version) throw new SessionConflictError();
    const { store } = this.options;
    await this.call((cb) => store.set(state.id, record as never, cb));
  }

  private async read(id: string): Promise<Partial<StoredSession> | null> {
    const record = await this.call<Partial<StoredSession> | null>((cb) =>
      this.options.store.get(id, cb as never),
    );
    return record && typeof record === 'object' ? record : null;
  }

  private async reload(state: SessionState): Promise<void> {
    const record = await this.read(state.id);
    state.values = storedValues(record);
    state.permanent = record?.permanent === true;
    state.version = versionOf(record);
  }

  /** The record to write, or `null` when the session is past its absolute lifetime. */
  private recordOf(state: SessionState): StoredSession | null {
    const now = Date.now();
    const idle = this.isSignedIn(state.values)
      ? this.options.lifetimeMs
      : (this.options.anonymousLifetimeMs ?? ANONYMOUS_LIFETIME_MS);
    const expires = Math.min(now + idle, state.createdAt + this.options.absoluteLifetimeMs);
    return expires <= now ? null : recordOf(state, expires, now);
  }

  private get timeoutMs(): number {
    return this.options.timeoutMs ?? STORE_CALL_TIMEOUT_MS;
  }

  /** Runs a callback-style store call with a timeout; any failure means the store is unavailable. */
  private async call<T = void>(run: StoreCall<T>): Promise<T> {
    const pending = new Promise<T>((resolve, reject) => {
      run((err, value) => (err ? reject(toError(err)) : resolve(value as T)));
    });
    try {
      return await withTimeout(pending, this.timeoutMs);
    } catch (err) {
      throw new SessionStoreUnavailableError(this.storeName, err);
    }
  }
}

function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
