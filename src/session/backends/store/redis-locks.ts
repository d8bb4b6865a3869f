import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { withTimeout } from '../../../common/with-timeout';
import type { RedisClient } from '../../../redis/redis-client';
import { SessionBusyError, SessionStoreUnavailableError } from '../../api/session.errors';
import { STORE_CALL_TIMEOUT_MS, WriteTurn } from '../session-backend';

/** Deletes the lock only while it still holds this holder's token. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** Extends the lease only while the lock still holds this holder's token. */
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/** A holder that dies keeps others waiting at most this long; a live one renews it every third of it. */
const LEASE_MS = 3000;

/** The longest pause between two tries while another process holds the lock. */
const MAX_POLL_MS = 20;

/** A lock taken in Redis: its token (the save checks it is still the lock's) and its release. */
export interface RedisLock {
  token: string;
  release: () => void;
}

/**
 * Write locks on Redis sessions that hold across every process on one Redis: `SET <prefix>lock:<id>
 * <token> NX PX <lease>`, the lease renewed while the request runs but never past its deadline
 * (`WriteTurn.holdUntil`), released by compare-and-delete, so a holder whose lease ran out never deletes
 * the next holder's lock. A waiter whose client goes away stops trying at once. Each call is bounded by
 * `STORE_CALL_TIMEOUT_MS` (a stalled Redis is a 503, not a hung request). A lease lost anyway cannot lose
 * data: the save checks that the lock still holds the token (`RedisSessionWrites`). Hand-written: the
 * maintained Redis lock libraries (redlock, redis-semaphore) drive ioredis, and this app's client is node-redis.
 */
export class RedisWriteLocks {
  private readonly logger = new Logger('RedisWriteLocks');
  /** Releases and renewals on their way to Redis: shutdown waits for them before the client closes. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly client: RedisClient,
    private readonly prefix: string,
    private readonly storeName: string,
    private readonly leaseMs = LEASE_MS,
  ) {}

  /** The key of session `id`'s lock, which the save's compare-and-set reads too. */
  keyOf(id: string): string {
    return `${this.prefix}lock:${id}`;
  }

  /**
   * Takes the lock of session `id`, trying until `turn.waitUntil` (ms since the epoch).
   * @throws SessionBusyError (503) when it stays taken or the turn is aborted; SessionStoreUnavailableError
   * when Redis fails or does not answer in time.
   */
  async acquire(id: string, turn: WriteTurn): Promise<RedisLock> {
    const key = this.keyOf(id);
    const token = randomUUID();
    for (let attempt = 0; ; attempt++) {
      const lease = this.leaseWithin(turn);
      if (turn.signal.aborted || lease <= 0) throw new SessionBusyError();
      if (await this.trySet(key, token, lease)) break;
      const pause = Math.min(2 ** attempt, MAX_POLL_MS) * (0.5 + Math.random());
      if (Date.now() + pause > turn.waitUntil) throw new SessionBusyError();
      await sleep(pause, undefined, { signal: turn.signal }).catch(() => undefined);
    }
    const lock = { token, release: this.holdUntilReleased(key, token, turn) };
    // Taken just as the request ended (its client went away while SET NX was in flight): give it back.
    if (turn.signal.aborted) {
      lock.release();
      throw new SessionBusyError();
    }
    return lock;
  }

  /** Renews the lease while held, never past the request's deadline; returns the idempotent release. */
  private holdUntilReleased(key: string, token: string, turn: WriteTurn): () => void {
    let renewing = false;
    const renewal = setInterval(() => {
      const lease = this.leaseWithin(turn);
      if (lease <= 0) return clearInterval(renewal);
      if (renewing) return; // a stalled Redis gets one renewal at a time, not a queue of them
      renewing = true;
      void this.run(RENEW, key, token, String(lease)).finally(() => (renewing = false));
    }, this.leaseMs / 3);
    renewal.unref();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      clearInterval(renewal);
      void this.run(RELEASE, key, token);
    };
  }

  /** A lease that ends by the request's deadline: at most `leaseMs`, and nothing once the deadline passed. */
  private leaseWithin(turn: WriteTurn): number {
    return Math.min(this.leaseMs, Math.floor(turn.holdUntil - Date.now()));
  }

  private async trySet(key: string, token: string, leaseMs: number): Promise<boolean> {
    try {
      const set = this.client.set(key, token, {
        condition: 'NX',
        expiration: { type: 'PX', value: leaseMs },
      });
      return (await withTimeout(set, STORE_CALL_TIMEOUT_MS)) === 'OK';
    } catch (error) {
      throw new SessionStoreUnavailableError(this.storeName, error);
    }
  }

  /** Resolves once every release and renewal sent so far has been answered (or timed out). */
  async settled(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  /** Renewal and release after the response: a failure only means the lease runs out by itself. */
  private run(script: string, key: string, ...args: string[]): Promise<void> {
    const call = this.call(script, key, args).finally(() => this.inFlight.delete(call));
    this.inFlight.add(call);
    return call;
  }

  private async call(script: string, key: string, args: string[]): Promise<void> {
    try {
      const call = this.client.eval(script, { keys: [key], arguments: args });
      await withTimeout(call, STORE_CALL_TIMEOUT_MS);
    } catch (error) {
      // The key names the session; logs never carry it.
      this.logger.warn(
        `a session lock call failed (${String(error)}); it expires within ${this.leaseMs} ms`,
      );
    }
  }
}
