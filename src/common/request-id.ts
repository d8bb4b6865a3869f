import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The header that carries a request's id, in and out. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

/**
 * An incoming id is kept only when it is a short token a log line can hold as it is (a proxy's UUID or hex
 * id): anything else (too long, spaces, quotes, control characters, two ids joined by a comma) is replaced.
 */
const SAFE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

const context = new AsyncLocalStorage<string>();

/** The id of the request whose code is running now; `undefined` outside a request (boot, timers). */
export function currentRequestId(): string | undefined {
  return context.getStore();
}

/** The client's `X-Request-Id` when it is a safe token, else a new UUID. */
export function requestIdFor(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && SAFE_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * The first thing each request meets (a Fastify `onRequest` hook, an Express middleware, before the body
 * parsers): gives the request its id, returns it as `X-Request-Id` on whatever response follows (errors and
 * 404s too), and runs the rest of the request inside the id's context, where `currentRequestId()` (so every
 * log line) finds it. Both platforms' body parsers keep that context, also for a body that arrives late
 * (test/e2e/request-id.e2e-spec.ts).
 */
export function beginRequest(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const id = requestIdFor(req);
  res.setHeader(REQUEST_ID_HEADER, id);
  context.run(id, next);
}
