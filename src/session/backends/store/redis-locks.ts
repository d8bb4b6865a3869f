import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisClient } from '../../../redis/redis-client';
import { SessionBusyError, SessionStoreUnavailableError } from '../../api/session.errors';

/** Deletes the lock only while it still holds this holder's token. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
/** Extends the lease only while the lock still holds this holder's token. */
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/** A holder that dies keeps others waiting at most this long; a live one renews it every third of it. */
const LEASE_MS = 3000;
/** The longest pause between two tries while another process holds the lock. */
const MAX_POLL_MS = 20;

/**
 * Write locks on Redis sessions that hold across every process on one Redis: `SET <prefix>lock:<id>
 * <token> NX PX <lease>`, the lease renewed while the request runs, released by compare-and-delete, so a
 * holder whose lease ran out never deletes the next holder's lock. A lease that is lost anyway (a pause
 * longer than the lease) cannot lose data: every save is also a version compare-and-set
 * (`RedisSessionWrites`). Hand-written: the maintained Redis lock libraries (redlock, redis-semaphore)
 * drive ioredis, and this app's client is node-redis.
 */
export class RedisWriteLocks {
  private readonly logger = new Logger('RedisWriteLocks');

  constructor(
    private readonly client: RedisClient,
    private readonly prefix: string,
    private readonly storeName: string,
    private readonly leaseMs = LEASE_MS,
  ) {}

  /**
   * Takes the lock of session `id`, trying until `deadline` (ms since the epoch).
   * @throws SessionBusyError (503) when it stays taken; SessionStoreUnavailableError when Redis fails.
   */
  async acquire(id: string, deadline: number): Promise<() => void> {
    const key = `${this.prefix}lock:${id}`;
    const token = randomUUID();
    for (let attempt = 0; !(await this.trySet(key, token)); attempt++) {
      const pause = Math.min(2 ** attempt, MAX_POLL_MS) * (0.5 + Math.random());
      if (Date.now() + pause > deadline) throw new SessionBusyError();
      await sleep(pause);
    }
    const renewal = setInterval(
      () => void this.run(RENEW, key, token, String(this.leaseMs)),
      this.leaseMs / 3,
    );
    renewal.unref();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      clearInterval(renewal);
      void this.run(RELEASE, key, token);
    };
  }

  private async trySet(key: string, token: string): Promise<boolean> {
    try {
      const set = await this.client.set(key, token, {
        condition: 'NX',
        expiration: { type: 'PX', value: this.leaseMs },
      });
      return set === 'OK';
    } catch (error) {
      throw new SessionStoreUnavailableError(this.storeName, error);
    }
  }

  /** Renewal and release after the response: a failure only means the lease runs out by itself. */
  private async run(script: string, key: string, ...args: string[]): Promise<void> {
    try {
      await this.client.eval(script, { keys: [key], arguments: args });
    } catch (error) {
      this.logger.warn(`${key}: ${String(error)}; the lock expires within ${this.leaseMs} ms`);
    }
  }
}
