import type { IncomingMessage } from 'node:http';
import type { CurrentSession } from './current-session.decorator';
import type { SessionState } from './session-state';

export const SESSION_STATE = Symbol('SESSION_STATE');

/**
 * Node's request as the session layer leaves it: `session` for express-session-style middleware (Passport
 * reads `req.session`), the state for the committer. On Fastify this is `request.raw`.
 */
export type SessionRequest = IncomingMessage & {
  session?: CurrentSession;
  originalUrl?: string;
  [SESSION_STATE]?: SessionState;
};

/** `GET /cart`: how warnings name a route. */
export function describeRoute(req: SessionRequest): string {
  const url = req.originalUrl ?? req.url ?? '/';
  const queryAt = url.indexOf('?');
  return `${req.method ?? 'GET'} ${queryAt === -1 ? url : url.slice(0, queryAt)}`;
}
