import { ExecutionContext } from '@nestjs/common';
import { IncomingMessage, ServerResponse } from 'node:http';
import { SessionRequest } from './session-request';

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
