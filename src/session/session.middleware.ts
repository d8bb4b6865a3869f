import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { createSession } from './request-session';
import { SESSION_BACKEND, SessionBackend } from './session-backend';
import { SessionCommitter } from './session-committer';
import { readSessionCookie } from './session-cookie';
import { SessionLocks } from './session-locks';
import { SESSION_MODULE_OPTIONS, SessionModuleOptions } from './session.module-definition';
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
 * wait for the earlier ones on it (`SessionLocks`).
 */
@Injectable()
export class SessionMiddleware implements NestMiddleware {
  private readonly skipPaths: Set<string>;
  private readonly cookieName: string;
  private readonly watchNestedWrites: boolean;
  private readonly locks = new SessionLocks();

  constructor(
    @Inject(SESSION_BACKEND) private readonly backend: SessionBackend,
    private readonly committer: SessionCommitter,
    @Inject(SESSION_MODULE_OPTIONS) options: SessionModuleOptions,
  ) {
    this.skipPaths = new Set(options.skipPaths ?? DEFAULT_SKIP_PATHS);
    this.cookieName = options.config.session.cookie.name;
    this.watchNestedWrites = options.config.env === 'development';
  }

  async use(req: SessionRequest, res: ServerResponse, next: () => void): Promise<void> {
    if (req[SESSION_STATE] || this.skipPaths.has(pathOf(req))) return next();
    const cookieValue = readSessionCookie(req, this.cookieName);
    if (
      cookieValue !== undefined &&
      this.backend.serialisesWrites &&
      !SAFE_METHODS.has(req.method ?? 'GET')
    ) {
      const release = await this.locks.acquire(cookieValue);
      res.once('finish', release).once('close', release);
    }
    const state = await this.open(cookieValue);
    if (this.watchNestedWrites) state.snapshot = JSON.stringify(state.values);
    req[SESSION_STATE] = state;
    req.session = createSession(state);
    installCommitHooks(req, res, this.committer);
    next();
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
