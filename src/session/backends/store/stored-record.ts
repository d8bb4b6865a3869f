import type { SessionState } from '../../api/session-state';
import { emptyValues, sanitize, SessionValues, toSessionValues } from '../../api/session-values';

/**
 * What goes into the store, in one place. `v` is the record's version, first so that Redis's
 * compare-and-set script reads it without parsing the JSON (redis-writes.ts). `cookie.expires` is
 * express-session's field, so every store computes its TTL from it (connect-redis `PX`, MemoryStore
 * expiry); the values sit under `data`.
 */
export interface StoredSession {
  v: number;
  cookie: { originalMaxAge: number; expires: string };
  permanent: boolean;
  issuedAt: number;
  createdAt: number;
  data: Record<string, unknown>;
}

/** The record that saves `state` until `expires` (ms since the epoch), one version past the one it read. */
export function recordOf(state: SessionState, expires: number, now = Date.now()): StoredSession {
  return {
    v: (state.version ?? 0) + 1,
    cookie: { originalMaxAge: expires - now, expires: new Date(expires).toISOString() },
    permanent: state.permanent,
    issuedAt: state.issuedAt,
    createdAt: state.createdAt,
    data: state.values,
  };
}

/** A record's values as fresh session values, `sanitize`d at every depth; empty when it has none. */
export function storedValues(record: Partial<StoredSession> | null): SessionValues {
  return toSessionValues(sanitize(record?.data)) ?? emptyValues();
}

/** Whether a record read back has the times this app writes (a foreign or broken one does not). */
export function hasTimes(record: Partial<StoredSession>): record is StoredSession {
  return typeof record.createdAt === 'number' && typeof record.issuedAt === 'number';
}

/**
 * A stored record's version: `null` when there is no record, 0 for one written without `v` (as the
 * compare-and-set script in redis-writes.ts counts it).
 */
export function versionOf(record: Partial<StoredSession> | null): number | null {
  if (record === null) return null;
  return typeof record.v === 'number' ? record.v : 0;
}
