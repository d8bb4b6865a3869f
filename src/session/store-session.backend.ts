import type { Store } from 'express-session';
import { withTimeout } from '../common/with-timeout';
import { sanitize, toSessionValues } from './safe-json';
import { PersistMode, SessionBackend } from './session-backend';
import { SessionStoreUnavailableError } from './session.errors';
import { SessionIdSigner } from './session-keys';
import { emptyValues, newSessionState, SessionOperations, SessionState } from './session-state';

/**
 * What goes into the store. `cookie.expires` is express-session's field, so stores compute their TTL from it
 * (connect-redis `EX`, MemoryStore expiry); the values sit under `data`, apart from the bookkeeping.
 */
export interface StoredSession {
  cookie: { originalMaxAge: number; expires: string };
  permanent: boolean;
  issuedAt: number;
  data: Record<string, unknown>;
}

export interface StoreBackendOptions {
  store: Store;
  storeName: string;
  signer: SessionIdSigner;
  lifetimeMs: number;
  /** A store call slower than this counts as the store being down (503). */
  timeoutMs?: number;
  ping?: () => Promise<unknown>;
  close?: () => Promise<void>;
}

type StoreCall<T> = (callback: (err: unknown, value?: T) => void) => void;

/**
 * Sessions in any express-session `Store`; the cookie holds `s:<id>.<signature>`. A store error or timeout
 * is a `SessionStoreUnavailableError` (503): never read as "no session", which would log the user out.
 */
export class StoreSessionBackend implements SessionBackend {
  readonly storeName: string;
  readonly serialisesWrites = true;
  private readonly operations: SessionOperations = {
    forget: (state) => this.call((cb) => this.options.store.destroy(state.id, cb)),
    saveNow: (state) => this.persist(state, 'set'),
    reload: (state) => this.reload(state),
  };

  constructor(private readonly options: StoreBackendOptions) {
    this.storeName = options.storeName;
  }

  async open(cookieValue: string | undefined): Promise<SessionState> {
    if (cookieValue === undefined) return newSessionState(this.operations);
    const verified = this.options.signer.verify(cookieValue);
    if (!verified) return newSessionState(this.operations, { hadCookie: true });
    const record = await this.read(verified.id);
    if (!record) return newSessionState(this.operations, { hadCookie: true });
    return newSessionState(this.operations, {
      id: verified.id,
      values: toSessionValues(sanitize(record.data)) ?? emptyValues(),
      permanent: record.permanent === true,
      isNew: false,
      issuedAt: typeof record.issuedAt === 'number' ? record.issuedAt : Date.now(),
      hadCookie: true,
      reissue: verified.keyIndex > 0,
    });
  }

  cookieValue(state: SessionState): string {
    return this.options.signer.sign(state.id);
  }

  persist(state: SessionState, mode: PersistMode): Promise<void> {
    const { store } = this.options;
    const record = this.recordOf(state);
    if (mode === 'touch' && store.touch) {
      const touch = store.touch.bind(store);
      return this.call((cb) => touch(state.id, record as never, (err?: unknown) => cb(err)));
    }
    return this.call((cb) => store.set(state.id, record as never, cb));
  }

  async ping(): Promise<void> {
    if (!this.options.ping) return;
    try {
      await withTimeout(this.options.ping(), this.timeoutMs);
    } catch (err) {
      throw new SessionStoreUnavailableError(this.storeName, err);
    }
  }

  async close(): Promise<void> {
    await this.options.close?.();
  }

  private async read(id: string): Promise<Partial<StoredSession> | null> {
    const record = await this.call<Partial<StoredSession> | null>((cb) =>
      this.options.store.get(id, cb as never),
    );
    return record && typeof record === 'object' ? record : null;
  }

  private async reload(state: SessionState): Promise<void> {
    const record = await this.read(state.id);
    state.values = toSessionValues(sanitize(record?.data)) ?? emptyValues();
    state.permanent = record?.permanent === true;
  }

  private recordOf(state: SessionState): StoredSession {
    const { lifetimeMs } = this.options;
    return {
      cookie: {
        originalMaxAge: lifetimeMs,
        expires: new Date(Date.now() + lifetimeMs).toISOString(),
      },
      permanent: state.permanent,
      issuedAt: state.issuedAt,
      data: state.values,
    };
  }

  private get timeoutMs(): number {
    return this.options.timeoutMs ?? 2000;
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
