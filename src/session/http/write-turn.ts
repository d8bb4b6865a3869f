import type { ServerResponse } from 'node:http';
import type { SessionRequest } from '../api/node-request';
import type { SessionBackend, WriteLock } from '../backends/session-backend';
import { WRITE_LOCK_WAIT_MS } from '../backends/session-backend';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A request's turn to write its stored session (SPEC §5d): methods that may write (not GET, HEAD, OPTIONS)
 * to an existing stored session wait for the requests before them, at most `WRITE_LOCK_WAIT_MS`. The turn
 * is tied to the request's life: a waiter whose client goes away leaves the queue, a turn that comes after
 * the request ended is given back at once, the lock goes back when the response closes, and it is never
 * held past the request's deadline (`REQUEST_TIMEOUT` after the session was opened).
 */
export class WriteTurns {
  constructor(
    private readonly backend: SessionBackend,
    private readonly requestTimeoutMs: number,
  ) {}

  /** Whether this request must take a write turn before it reads the session it names. */
  isNeeded(req: SessionRequest, cookieValue: string | undefined): cookieValue is string {
    return (
      cookieValue !== undefined &&
      this.backend.lockForWrite !== undefined &&
      !SAFE_METHODS.has(req.method ?? 'GET')
    );
  }

  /** Waits for the turn; `null` when the cookie names no session. Throws 503 when it does not come. */
  async take(
    res: ServerResponse,
    cookieValue: string,
    openedAt: number,
  ): Promise<WriteLock | null> {
    const signal = abortedWhenClosed(res);
    const lock = await this.backend.lockForWrite!(cookieValue, {
      waitUntil: Date.now() + WRITE_LOCK_WAIT_MS,
      holdUntil: openedAt + this.requestTimeoutMs,
      signal,
    });
    if (!lock) return null;
    res.once('close', lock.release);
    // Closed between the backend's last look and the listener above: nothing will release it otherwise.
    if (signal.aborted) lock.release();
    return lock;
  }
}

/** Aborts when the response closes: sent, or its connection gone (the client gave up). */
function abortedWhenClosed(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  if (res.closed || res.destroyed) controller.abort();
  else res.once('close', () => controller.abort());
  return controller.signal;
}
