import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { createSession } from './request-session';
import { SESSION_BACKEND } from './session-backend';
import type { SessionBackend, WriteLock } from './session-backend';
import { SessionCommitter } from './session-committer';
import { readSessionCookie } from './session-cookie';
import { WRITE_LOCK_WAIT_MS } from './session-locks';
import { SESSION_MODULE_OPTIONS } from './session.module-definition';
import type { SessionModuleOptions } from './session.module-definition';
import { installCommitHooks } from './session-response-hooks';
import { SESSION_STATE, SessionRequest } from './session-request';
import { SessionStoreUnavailableError } from './session.errors';
import { newSessionState, SessionOperations, SessionState } from './session-state';

/** Paths the session layer leaves alone by default: liveness and readiness probes. */
export const DEFAULT_SKIP_PATHS = ['/healthz', '/readyz'];

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Opens the session before anything else runs and attaches it as `req.session` on Node's request, so
 * express-session-style middleware (Passport) finds it on either platform. A store that does not answer
 * leaves a session that throws `SessionStoreUnavailableError` (503) when used, so routes that never touch
 * the session keep working. Requests that may write (not GET/HEAD/OPTIONS) to an existing stored session
 * first wait for the earlier ones on it (`lockForWrite`: in this process, and in Redis across processes);
 * one that waits longer than 5 s gets `SessionBusyError` (503) before anything is read.
 */
@Injectable()
export class SessionMiddleware implements NestMiddleware {
  private readonly skipPaths: Set<string>;
  private readonly cookieName: string;
  private readonly watchNestedWrites: boolean;

  constructor(
    @Inject(SESSION_BACKEND) private readonly backend: SessionBackend,
    private readonly committer: SessionCommitter,
    @Inject(SESSION_MODULE_OPTIONS) options: SessionModuleOptions,
  ) {
    this.skipPaths = new Set(options.skipPaths ?? DEFAULT_SKIP_PATHS);
    this.cookieName = options.session.cookie.name;
    this.watchNestedWrites = options.warnLostNestedWrites === true;
  }

  async use(req: SessionRequest, res: ServerResponse, next: () => void): Promise<void> {
    if (req[SESSION_STATE] || this.skipPaths.has(pathOf(req))) return next();
    const cookieValue = readSessionCookie(req, this.cookieName);
    const lock = await this.lockForWrite(req, cookieValue);
    if (lock) res.once('finish', lock.release).once('close', lock.release);
    const state = await this.open(cookieValue);
    state.lockedId = lock?.id ?? null;
    if (this.watchNestedWrites) state.snapshot = JSON.stringify(state.values);
    req[SESSION_STATE] = state;
    req.session = createSession(state);
    installCommitHooks(req, res, this.committer);
    next();
  }

  /** Methods that may write wait for their turn on a stored session; GET, HEAD and OPTIONS never do. */
  private async lockForWrite(
    req: SessionRequest,
    cookieValue: string | undefined,
  ): Promise<WriteLock | null> {
    if (cookieValue === undefined || !this.backend.lockForWrite) return null;
    if (SAFE_METHODS.has(req.method ?? 'GET')) return null;
    return this.backend.lockForWrite(cookieValue, Date.now() + WRITE_LOCK_WAIT_MS);
  }

  private async open(cookieValue: string | undefined): Promise<SessionState> {
    try {
      return await this.backend.open(cookieValue);
    } catch (err) {
      if (!(err instanceof SessionStoreUnavailableError)) throw err;
      return newSessionState(unavailableOperations(err), { unavailable: err, hadCookie: true });
    }
  }
}

function unavailableOperations(err: Error): SessionOperations {
  const fail = () => Promise.reject(err);
  return { forget: fail, saveNow: fail, reload: fail };
}

function pathOf(req: SessionRequest): string {
  const url = req.originalUrl ?? req.url ?? '/';
  const queryAt = url.indexOf('?');
  return queryAt === -1 ? url : url.slice(0, queryAt);
}
