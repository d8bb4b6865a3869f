import { ServiceUnavailableException } from '@nestjs/common';
import * as argon2 from 'argon2';
import { E_TIMEOUT, Semaphore, SemaphoreInterface, withTimeout } from 'async-mutex';
import type { WithHeaders } from '../common/http-errors';

/**
 * argon2id at the first of OWASP's Password Storage Cheat Sheet settings: 19 MiB of memory, 2 passes,
 * 1 lane (about 21 ms a hash on one core here, a seventh of the `argon2` package's 64 MiB / 3 / 4
 * defaults). Hashes are PHC strings (`$argon2id$v=19$m=19456,t=2,p=1$…`) that carry their own salt and
 * parameters, so hashes made with other parameters still verify and are re-hashed at the next login.
 * https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#argon2id
 */
export const ARGON2_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/** libuv's default thread pool size: argon2 runs there, so more hashes at once only queue. */
export const DEFAULT_HASH_CONCURRENCY = 4;
/** How long a hash waits for a free slot before the request gets 503. */
export const HASH_WAIT_MS = 2000;

/** Every hashing slot is taken and the wait ran out: 503 with `Retry-After`, never an unbounded queue. */
export class PasswordHashBusyError extends ServiceUnavailableException implements WithHeaders {
  readonly headers = { 'Retry-After': '1' };

  constructor() {
    super('the server is busy checking passwords; try again in a second');
  }
}

export interface PasswordHasherOptions {
  /** Hashes and verifications in flight at once in this process; default `DEFAULT_HASH_CONCURRENCY`. */
  concurrency?: number;
  /** Longest wait for a slot; default `HASH_WAIT_MS`. */
  waitMs?: number;
}

/**
 * Memory-hard password hashing on libuv's thread pool, off the event loop, with at most `concurrency`
 * hashes in flight: a burst of logins or registrations waits a bounded time for a slot, then gets
 * `PasswordHashBusyError` (503), instead of queueing every login behind it.
 */
export class PasswordHasher {
  private readonly slots: SemaphoreInterface;

  constructor(options: PasswordHasherOptions = {}) {
    const concurrency = options.concurrency ?? DEFAULT_HASH_CONCURRENCY;
    this.slots = withTimeout(new Semaphore(concurrency), options.waitMs ?? HASH_WAIT_MS);
  }

  hash(password: string): Promise<string> {
    return this.inSlot(() => argon2.hash(password, ARGON2_OPTIONS));
  }

  /** True when `hash` was made with other parameters than `hash()` uses now; costs no hashing. */
  needsRehash(hash: string): boolean {
    return argon2.needsRehash(hash, ARGON2_OPTIONS);
  }

  /** `false` for a wrong password; throws only on a malformed hash, or 503 when every slot stays busy. */
  verify(hash: string, password: string): Promise<boolean> {
    return this.inSlot(() => argon2.verify(hash, password));
  }

  private async inSlot<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await this.slots.runExclusive(work);
    } catch (error) {
      if (error === E_TIMEOUT) throw new PasswordHashBusyError();
      throw error;
    }
  }
}
