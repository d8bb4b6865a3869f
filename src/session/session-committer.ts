import { Logger } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { SessionCookieOptions } from '../config/app-config';
import { PersistMode, SessionBackend } from './session-backend';
import { appendSetCookie, SessionCookieWriter, varyOnCookie } from './session-cookie';
import { describeRoute, SESSION_STATE, SessionRequest } from './session-request';
import { SessionTooLargeError } from './session.errors';
import { SessionState } from './session-state';

export interface CommitSettings {
  cookie: SessionCookieOptions;
  lifetimeMs: number;
  /** `SESSION_ABSOLUTE_LIFETIME`: a permanent cookie never outlasts its session's login by more. */
  absoluteLifetimeMs: number;
  refreshEachRequest: boolean;
  /** Bytes of the whole `Set-Cookie` value; 0 turns the guard off. */
  maxCookieSize: number;
}

/** What one response does: the cookie it sends, what it asks the store, whether the times renew. */
interface Plan {
  cookie: 'none' | 'set' | 'expire';
  persist: PersistMode | null;
  renew: boolean;
}

const NOTHING: Plan = { cookie: 'none', persist: null, renew: false };

interface Prepared {
  header: string | null;
  persist: PersistMode | null;
  tooLarge: SessionTooLargeError | null;
}

/**
 * Decides, once per response, what the session sends (Flask's `save_session`, with its traps closed):
 * a cookie when modified, regenerated, touched, re-keyed, or permanent with `SESSION_REFRESH_EACH_REQUEST`;
 * an expired cookie when a session that had one is emptied; nothing for a new unmodified session;
 * `Vary: Cookie` when the session was used or a cookie goes out. A permanent cookie's `Expires` is its
 * last write plus `PERMANENT_SESSION_LIFETIME`, never later than its login plus `SESSION_ABSOLUTE_LIFETIME`.
 */
export class SessionCommitter {
  private readonly logger = new Logger('Session');
  private readonly cookie: SessionCookieWriter;

  constructor(
    private readonly backend: SessionBackend,
    private readonly settings: CommitSettings,
  ) {
    this.cookie = new SessionCookieWriter(settings.cookie);
  }

  /** After the handler: persists, then sets the headers. Throws 413 (too large) or 503 (store down). */
  async commit(req: SessionRequest, res: ServerResponse): Promise<void> {
    const state = this.take(req);
    if (!state) return;
    const prepared = this.prepare(state, res);
    if (prepared.tooLarge) throw prepared.tooLarge;
    if (prepared.persist) await this.backend.persist(state, prepared.persist);
    if (prepared.header) appendSetCookie(res, prepared.header);
  }

  /**
   * For responses that bypass the interceptor (middleware, guards, exception filters): sets the headers
   * now, as the response starts, and returns the store write for `end` to wait on. Too late for a 413 or
   * 503 here, so those are logged instead.
   */
  commitNow(req: SessionRequest, res: ServerResponse): Promise<void> | null {
    const state = this.take(req);
    if (!state) return null;
    const prepared = this.prepare(state, res);
    if (prepared.tooLarge) {
      this.logger.warn(`${describeRoute(req)}: ${prepared.tooLarge.message} No cookie was sent.`);
      return null;
    }
    if (prepared.header) appendSetCookie(res, prepared.header);
    if (!prepared.persist) return null;
    return this.backend.persist(state, prepared.persist).catch((err: unknown) => {
      this.logger.error(`${describeRoute(req)}: the session was not saved: ${String(err)}`);
    });
  }

  private take(req: SessionRequest): SessionState | null {
    const state = req[SESSION_STATE];
    if (!state || state.committed) return null;
    state.committed = true;
    this.warnLostNestedWrite(state, req);
    return state;
  }

  private prepare(state: SessionState, res: ServerResponse): Prepared {
    const plan = this.plan(state);
    if (state.accessed || plan.cookie !== 'none') varyOnCookie(res);
    if (plan.cookie === 'none') return { header: null, persist: plan.persist, tooLarge: null };
    if (plan.cookie === 'expire')
      return { header: this.cookie.expired, persist: null, tooLarge: null };
    if (plan.renew) state.issuedAt = Date.now();
    const { lifetimeMs, absoluteLifetimeMs } = this.settings;
    const expires = state.permanent
      ? new Date(Math.min(state.issuedAt + lifetimeMs, state.createdAt + absoluteLifetimeMs))
      : undefined;
    const header = this.cookie.set(this.backend.cookieValue(state), expires);
    const size = Buffer.byteLength(header);
    const limit = this.settings.maxCookieSize;
    if (limit > 0 && size > limit)
      return { header: null, persist: null, tooLarge: new SessionTooLargeError(size, limit) };
    return { header, persist: plan.persist, tooLarge: null };
  }

  private plan(state: SessionState): Plan {
    if (state.readOnly || state.unavailable) return NOTHING;
    if (isEmpty(state)) {
      const emptied = (state.modified || state.rotated) && state.hadCookie;
      return emptied ? { cookie: 'expire', persist: null, renew: false } : NOTHING;
    }
    if (state.modified || state.rotated) return { cookie: 'set', persist: 'set', renew: true };
    if (state.touched || (state.permanent && this.settings.refreshEachRequest)) {
      return { cookie: 'set', persist: 'touch', renew: true };
    }
    // An anonymous stored session that was used lives on in the store, with no new cookie.
    const extend = state.extendStored ? 'touch' : null;
    return { cookie: state.reissue ? 'set' : 'none', persist: extend, renew: false };
  }

  /** Development only: a nested change without `session.modified = true` would be lost; say so, once. */
  private warnLostNestedWrite(state: SessionState, req: SessionRequest): void {
    if (state.snapshot === null || state.modified || state.readOnly || state.unavailable) return;
    if (JSON.stringify(state.values) === state.snapshot) return;
    this.logger.warn(
      `${describeRoute(req)} changed a nested session value without setting session.modified = true, ` +
        'so the change was NOT saved. Set session.modified = true after changing a nested value ' +
        '(e.g. after session.cart.push(item)).',
    );
  }
}

function isEmpty(state: SessionState): boolean {
  return Object.keys(state.values).length === 0;
}
