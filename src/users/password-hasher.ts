import { ServiceUnavailableException } from '@nestjs/common';
import * as argon2 from 'argon2';
import { E_TIMEOUT, Semaphore, SemaphoreInterface, withTimeout } from 'async-mutex';
import { randomBytes } from 'node:crypto';
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

/** A password check and what its hash computation took (waiting for a slot not included). */
export interface Check {
  matches: boolean;
  costMs: number;
}

/** How much each new measure moves a parameter set's cost (an exponential moving average). */
const COST_WEIGHT = 0.2;

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
  /** What a check costs, by parameter set (`m=…,p=…,t=…`): measured at every check and by `measure`. */
  private readonly costs = new Map<string, number>();

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
  async verify(hash: string, password: string): Promise<boolean> {
    return (await this.check(hash, password)).matches;
  }

  /** `verify`, and what the hash computation took: a stored hash's parameters set its cost. */
  check(hash: string, password: string): Promise<Check> {
    return this.inSlot(async () => {
      const started = performance.now();
      const matches = await argon2.verify(hash, password);
      const costMs = performance.now() - started;
      this.record(parametersOf(hash), costMs);
      return { matches, costMs };
    });
  }

  /**
   * Waits until a failed check that cost `spentMs` has taken as long as a check of the costliest
   * parameter set seen, so a wrong password for an account still on older, slower parameters answers no
   * later than one for an unknown address (no timing tells which accounts exist). Sleeps: no CPU, no slot.
   */
  async padFailure(spentMs: number): Promise<void> {
    const wait = Math.max(0, ...this.costs.values()) - spentMs;
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
  }

  /**
   * Measures, once each, the parameter sets of `hashes` that it has not seen (stored hashes made before the
   * parameters changed), by hashing a throwaway password with them. Call in the background after boot.
   */
  async measure(hashes: readonly string[]): Promise<void> {
    for (const parameters of new Set(hashes.map(parametersOf))) {
      if (parameters === null || this.costs.has(parameters)) continue;
      const options = argon2OptionsOf(parameters);
      if (!options) continue;
      await this.inSlot(async () => {
        const started = performance.now();
        await argon2.hash(randomBytes(16).toString('base64'), options);
        this.record(parameters, performance.now() - started);
      });
    }
  }

  private record(parameters: string | null, costMs: number): void {
    if (parameters === null) return;
    const previous = this.costs.get(parameters);
    this.costs.set(
      parameters,
      previous === undefined ? costMs : previous + COST_WEIGHT * (costMs - previous),
    );
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

/** An argon2 PHC string's parameters in one spelling (`m=19456,p=1,t=2`), or `null` for anything else. */
function parametersOf(hash: string): string | null {
  const match = /^\$argon2(?:id|i|d)\$v=\d+\$([^$]+)\$/.exec(hash);
  return match ? match[1].split(',').sort().join(',') : null;
}

function argon2OptionsOf(parameters: string): argon2.HashOptions | null {
  const values = new Map(parameters.split(',').map((pair) => pair.split('=') as [string, string]));
  const [m, t, p] = ['m', 't', 'p'].map((name) => Number(values.get(name)));
  if (![m, t, p].every((n) => Number.isInteger(n) && n > 0)) return null;
  return { type: argon2.argon2id, memoryCost: m, timeCost: t, parallelism: p };
}
