import {
  CallHandler,
  ExecutionContext,
  Inject,
  Injectable,
  INestApplication,
  Logger,
  NestInterceptor,
} from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mergeMap, Observable } from 'rxjs';
import {
  describeRoute,
  rawHttp,
  requestPath,
  SESSION_STATE,
  SessionRequest,
} from '../api/node-request';
import { createSession } from '../api/request-session';
import { SessionStoreUnavailableError, SessionTooLargeError } from '../api/session.errors';
import {
  newSessionState,
  reopenInPlace,
  SessionOperations,
  SessionState,
} from '../api/session-state';
import { lifetimesOf, SESSION_BACKEND } from '../backends/session-backend';
import type { PersistMode, SessionBackend, SessionLifetimes } from '../backends/session-backend';
import type { SessionValues } from '../api/session-values';
import { SESSION_MODULE_OPTIONS } from '../session-options';
import type { SessionModuleOptions } from '../session-options';
import {
  appendSetCookie,
  mergeWriteHeadHeaders,
  readSessionCookie,
  SessionCookieWriter,
  varyOnCookie,
} from './cookie-header';
import { cookieExpiry, planSave } from './save-plan';
import { DEFAULT_SKIP_PATHS, pathMatcher } from './skip-paths';
import { WriteTurns } from './write-turn';

/**
 * Opens the session on every request and commits it on every response, on Fastify and Express alike.
 * Call it once, after `NestFactory.create` and before `init()`/`listen()` (`src/create-app.ts` does).
 */
export function installSessions(app: INestApplication): void {
  app.get(SessionLifecycle).install(app);
}

/** The headers a response sends and the store write it makes, decided once. */
interface Commit {
  header: string | null;
  persist: PersistMode | null;
  tooLarge: SessionTooLargeError | null;
}

/**
 * Everything that happens to one request's session, in order:
 *
 * 1. **Open**, before routing and before any Nest middleware (so Passport finds `req.session`): the cookie
 *    is read exactly as sent and the backend opens it. A store that does not answer leaves a session that
 *    throws `SessionStoreUnavailableError` (503) when used, so routes that never touch it keep working.
 *    A request that may write (not GET/HEAD/OPTIONS) to an existing stored session first waits for the
 *    earlier ones on it, at most `WRITE_LOCK_WAIT_MS` (then `SessionBusyError`, 503, before anything is read).
 * 2. **Commit after the handler**, before anything is written: Fastify's `onSend` hook, a global interceptor
 *    on Express. A too-large session (413) or a store that fails the write (503) becomes the response.
 * 3. **Commit as the headers go out**, for responses that skip step 2 (a guard's or middleware's redirect,
 *    Passport, an exception filter): on `writeHead`, with `end` held until the store write is done, as
 *    express-session does. Too late for a 413 or 503, so those are logged instead.
 *
 * What a commit sends is `planSave`'s decision; `Vary: Cookie` goes out when the session was used or a
 * cookie is sent. Each response commits once, whichever path comes first.
 */
@Injectable()
export class SessionLifecycle {
  private readonly logger = new Logger('Session');
  private readonly cookie: SessionCookieWriter;
  private readonly skips: (path: string) => boolean;
  private readonly lifetimes: SessionLifetimes;
  private readonly turns: WriteTurns;
  private readonly isSignedIn: (values: SessionValues) => boolean;

  constructor(
    @Inject(SESSION_BACKEND) private readonly backend: SessionBackend,
    @Inject(SESSION_MODULE_OPTIONS) private readonly options: SessionModuleOptions,
  ) {
    this.cookie = new SessionCookieWriter(options.session.cookie);
    this.skips = pathMatcher(options.skipPaths ?? DEFAULT_SKIP_PATHS);
    this.lifetimes = lifetimesOf(options.session);
    this.turns = new WriteTurns(backend, options.session.requestTimeoutSeconds * 1000);
    this.isSignedIn = options.isSignedIn ?? (() => true);
  }

  /**
   * Hooks steps 1 and 2 into the platform the way it runs such code natively (Fastify hooks, an Express
   * `use` and interceptor), not as Nest middleware, which on Fastify goes through @fastify/middie.
   */
  install(app: INestApplication): void {
    const adapter = app.getHttpAdapter();
    if (adapter.getType() === 'fastify') {
      const fastify = adapter.getInstance() as FastifyHooks;
      // The write turn waits for the body (`preHandler`), so a slow upload never holds the session's lock.
      fastify.addHook('onRequest', (request, reply, done) => {
        this.open(request.raw, reply.raw, false).then(() => done(), done);
      });
      fastify.addHook('preHandler', (request, reply, done) => {
        this.takeWriteTurn(request.raw, reply.raw).then(() => done(), done);
      });
      fastify.addHook('onSend', async (request, reply, payload) => {
        await this.commit(request.raw, reply.raw);
        return payload;
      });
    } else {
      // Express parses the body before this middleware (`useBodyParser` comes first), so the turn comes after it.
      app.use((req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => {
        this.open(req, res, true).then(() => next(), next);
      });
      app.useGlobalInterceptors(new CommitAfterHandler(this));
    }
  }

  /**
   * Step 1: attaches the request's session as `req.session` and installs step 3. With `withTurn`, a request
   * that needs a write turn takes it before reading; without, it reads now and takes the turn in
   * `takeWriteTurn`, once its body has arrived.
   */
  async open(req: SessionRequest, res: ServerResponse, withTurn: boolean): Promise<void> {
    if (req[SESSION_STATE] || this.skips(requestPath(req))) return;
    const openedAt = Date.now();
    const cookieValue = readSessionCookie(req, this.options.session.cookie.name);
    const needsTurn = this.turns.isNeeded(req, cookieValue);
    const lock = needsTurn && withTurn ? await this.turns.take(res, cookieValue, openedAt) : null;
    const state = await this.openState(cookieValue);
    state.lockedId = lock?.id ?? null;
    state.lockToken = lock?.token ?? null;
    state.turnPending = needsTurn && !withTurn;
    state.openedAt = openedAt;
    state.signedInAtOpen = this.isSignedIn(state.values);
    if (this.options.warnLostNestedWrites) state.snapshot = JSON.stringify(state.values);
    req[SESSION_STATE] = state;
    req.session = createSession(state);
    this.commitAsHeadersGo(req, res);
  }

  /**
   * Fastify's `preHandler`: the write turn of a request opened without it, then the session read again
   * under it, in place (`req.session` stays the same object). What Nest middleware wrote to it before the
   * body arrived is replaced by the stored session: write the session in guards and handlers.
   */
  async takeWriteTurn(req: SessionRequest, res: ServerResponse): Promise<void> {
    const state = req[SESSION_STATE];
    if (!state?.turnPending) return;
    state.turnPending = false;
    // The store did not answer the read: any use of the session is a 503 already, with no second wait.
    if (state.unavailable) return;
    const cookieValue = readSessionCookie(req, this.options.session.cookie.name) as string;
    const lock = await this.turns.take(res, cookieValue, state.openedAt);
    if (!lock) return;
    reopenInPlace(state, await this.openState(cookieValue));
    state.lockedId = lock.id;
    state.lockToken = lock.token ?? null;
    if (this.options.warnLostNestedWrites) state.snapshot = JSON.stringify(state.values);
  }

  /** Step 2: persists, then sets the headers. Throws 413 (too large) or 503 (store down). */
  async commit(req: SessionRequest, res: ServerResponse): Promise<void> {
    const state = this.take(req);
    if (!state) return;
    const commit = this.decide(state, res);
    if (commit.tooLarge) throw commit.tooLarge;
    if (commit.persist) await this.backend.persist(state, commit.persist);
    if (commit.header) appendSetCookie(res, commit.header);
  }

  private async openState(cookieValue: string | undefined): Promise<SessionState> {
    try {
      return await this.backend.open(cookieValue);
    } catch (err) {
      if (!(err instanceof SessionStoreUnavailableError)) throw err;
      return newSessionState(unavailableOperations(err), { unavailable: err, hadCookie: true });
    }
  }

  /** Step 3: wraps `writeHead` and `end` of Node's response, so it works the same on both platforms. */
  private commitAsHeadersGo(req: SessionRequest, res: ServerResponse): void {
    const writeHead = res.writeHead.bind(res);
    const end = res.end.bind(res);
    let pending: Promise<void> | null = null;

    ownMethod(res, 'writeHead', (...args: unknown[]) => {
      pending = this.commitNow(req, res) ?? pending;
      const headers = args[args.length - 1];
      if (headers !== null && typeof headers === 'object' && !Array.isArray(headers)) {
        mergeWriteHeadHeaders(res, headers);
      }
      return writeHead(...(args as Parameters<typeof writeHead>));
    });

    ownMethod(res, 'end', (...args: unknown[]) => {
      if (!res.headersSent) pending = this.commitNow(req, res) ?? pending;
      const finish = () => end(...(args as Parameters<typeof end>));
      if (!pending) return finish();
      void pending.then(finish);
      return res;
    });
  }

  /** Sets the headers now and returns the store write for `end` to wait on; failures are logged. */
  private commitNow(req: SessionRequest, res: ServerResponse): Promise<void> | null {
    const state = this.take(req);
    if (!state) return null;
    const commit = this.decide(state, res);
    if (commit.tooLarge) {
      this.logger.warn(`${describeRoute(req)}: ${commit.tooLarge.message} No cookie was sent.`);
      return null;
    }
    if (commit.header) appendSetCookie(res, commit.header);
    if (!commit.persist) return null;
    return this.backend.persist(state, commit.persist).catch((err: unknown) => {
      this.logger.error(`${describeRoute(req)}: the session was not saved: ${String(err)}`);
    });
  }

  /** The request's session if it has not been committed yet, now marked committed. */
  private take(req: SessionRequest): SessionState | null {
    const state = req[SESSION_STATE];
    if (!state || state.committed) return null;
    state.committed = true;
    this.warnLostNestedWrite(state, req);
    return state;
  }

  /**
   * `Vary`, `Cache-Control: no-store` when a signed-in session was used (no browser or proxy keeps such a
   * response), the `Set-Cookie` value (size-checked against `MAX_COOKIE_SIZE`) and the store write.
   */
  private decide(state: SessionState, res: ServerResponse): Commit {
    const { session } = this.options;
    const plan = planSave(state, session.refreshEachRequest);
    if (state.accessed || plan.cookie !== 'none') varyOnCookie(res);
    if (state.accessed && (state.signedInAtOpen || this.isSignedIn(state.values))) {
      res.setHeader('Cache-Control', 'no-store');
    }
    if (plan.cookie === 'none') return { header: null, persist: plan.persist, tooLarge: null };
    if (plan.cookie === 'expire') {
      return { header: this.cookie.expired, persist: null, tooLarge: null };
    }
    if (plan.renew) state.issuedAt = Date.now();
    const expires = cookieExpiry(state, this.lifetimes);
    const header = this.cookie.set(this.backend.cookieValue(state), expires);
    const size = Buffer.byteLength(header);
    const limit = session.maxCookieSize;
    if (limit > 0 && size > limit) {
      return { header: null, persist: null, tooLarge: new SessionTooLargeError(size, limit) };
    }
    return { header, persist: plan.persist, tooLarge: null };
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

/**
 * Gives `res` its own `name` method. Defined, not assigned: on Node 20 and 24, assigning a new closure
 * to the same property of every response made V8 keep each request's objects alive through the next
 * scavenge, so all of them were promoted (~380 KB per scavenge on `GET /dashboard`, against under 1 KB
 * without); `Object.defineProperty` with the same attributes keeps nothing (docs/PERFORMANCE.md).
 */
function ownMethod(
  res: ServerResponse,
  name: 'writeHead' | 'end',
  method: (...args: unknown[]) => unknown,
): void {
  Object.defineProperty(res, name, {
    value: method,
    writable: true,
    enumerable: true,
    configurable: true,
  });
}

function unavailableOperations(err: Error): SessionOperations {
  const fail = () => Promise.reject(err);
  return { forget: fail, saveNow: fail, reload: fail };
}

/** Step 2 on Express, which has no hook between the handler and the write. */
class CommitAfterHandler implements NestInterceptor {
  constructor(private readonly lifecycle: SessionLifecycle) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const { req, res } = rawHttp(context);
    return next.handle().pipe(
      mergeMap(async (value: unknown) => {
        await this.lifecycle.commit(req, res);
        return value;
      }),
    );
  }
}

/** The part of Fastify's instance this file uses, typed here so the session layer needs no platform package. */
interface FastifyHooks {
  addHook(
    name: 'onRequest' | 'preHandler',
    hook: (
      request: { raw: IncomingMessage },
      reply: { raw: ServerResponse },
      done: (error?: Error) => void,
    ) => void,
  ): unknown;
  addHook(
    name: 'onSend',
    hook: (
      request: { raw: IncomingMessage },
      reply: { raw: ServerResponse },
      payload: unknown,
    ) => Promise<unknown>,
  ): unknown;
}
