import { ExecutionContext } from '@nestjs/common';
import { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestSession } from './request-session';
import type { SessionData } from './session-data';
import type { SessionState } from './session-state';

export const SESSION_STATE = Symbol('SESSION_STATE');

/**
 * Node's request as the session layer leaves it: `session` for express-session-style middleware (Passport
 * reads `req.session`), the state for the lifecycle's commit. On Fastify this is `request.raw`.
 */
export type SessionRequest = IncomingMessage & {
  session?: RequestSession & Partial<SessionData>;
  originalUrl?: string;
  [SESSION_STATE]?: SessionState;
};

/**
 * Node's own request and response under either platform, without importing one: Express's objects are
 * Node's, Fastify's wrap them as `.raw`.
 */
export function rawHttp(context: ExecutionContext): { req: SessionRequest; res: ServerResponse } {
  const http = context.switchToHttp();
  return {
    req: unwrap(http.getRequest<object>(), IncomingMessage),
    res: unwrap(http.getResponse<object>(), ServerResponse),
  };
}

function unwrap<T>(value: object, type: abstract new (...args: never[]) => T): T {
  if (value instanceof type) return value;
  const raw = (value as { raw?: unknown }).raw;
  if (raw instanceof type) return raw;
  throw new Error(`Expected a Node ${type.name} or a wrapper with .raw`);
}

/** The request's path without its query string. */
export function requestPath(req: SessionRequest): string {
  const url = req.originalUrl ?? req.url ?? '/';
  const queryAt = url.indexOf('?');
  return queryAt === -1 ? url : url.slice(0, queryAt);
}

/** `GET /cart`: how warnings name a route. */
export function describeRoute(req: SessionRequest): string {
  return `${req.method ?? 'GET'} ${requestPath(req)}`;
}
