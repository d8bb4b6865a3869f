import type { SessionState } from '../api/session-state';
import type { PersistMode, SessionLifetimes } from '../backends/session-backend';

/**
 * What one response does with its session, decided once (Flask's `save_session`, with its traps closed):
 * the cookie it sends, what it asks the store, and whether the session's times renew.
 */
export interface SavePlan {
  cookie: 'none' | 'set' | 'expire';
  persist: PersistMode | null;
  renew: boolean;
}

const NOTHING: SavePlan = { cookie: 'none', persist: null, renew: false };

/**
 * A cookie when modified, regenerated, touched, re-keyed, or permanent with `SESSION_REFRESH_EACH_REQUEST`;
 * an expired cookie when a session that had one is emptied; nothing for a new unmodified session, for a
 * read-only one (no `SECRET_KEY`) or one whose store did not answer.
 */
export function planSave(state: SessionState, refreshEachRequest: boolean): SavePlan {
  if (state.readOnly || state.unavailable) return NOTHING;
  if (Object.keys(state.values).length === 0) {
    const emptied = (state.modified || state.rotated) && state.hadCookie;
    return emptied ? { cookie: 'expire', persist: null, renew: false } : NOTHING;
  }
  if (state.modified || state.rotated) return { cookie: 'set', persist: 'set', renew: true };
  if (state.touched || (state.permanent && refreshEachRequest)) {
    return { cookie: 'set', persist: 'touch', renew: true };
  }
  // An anonymous stored session that was used lives on in the store, with no new cookie.
  const extend = state.extendStored ? 'touch' : null;
  return { cookie: state.reissue ? 'set' : 'none', persist: extend, renew: false };
}

/**
 * A permanent cookie's `Expires`: its last write plus `PERMANENT_SESSION_LIFETIME`, never later than its
 * login plus `SESSION_ABSOLUTE_LIFETIME`. A browser-session cookie has none.
 */
export function cookieExpiry(state: SessionState, lifetimes: SessionLifetimes): Date | undefined {
  if (!state.permanent) return undefined;
  const { lifetimeMs, absoluteLifetimeMs } = lifetimes;
  return new Date(Math.min(state.issuedAt + lifetimeMs, state.createdAt + absoluteLifetimeMs));
}
