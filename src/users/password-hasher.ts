import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';

/**
 * Memory-hard password hashing: argon2id with the `argon2` package's defaults (64 MiB, 3 passes,
 * 4 lanes; RFC 9106 §4's second recommended option), encoded as a PHC string (`$argon2id$v=19$…`) that
 * carries its own salt and parameters, so raising them later still verifies old hashes.
 * Hashing runs on libuv's thread pool, off the event loop.
 */
const OPTIONS = { type: argon2.argon2id } as const;

@Injectable()
export class PasswordHasher {
  hash(password: string): Promise<string> {
    return argon2.hash(password, OPTIONS);
  }

  /** True when `hash` was made with other cost parameters than `hash()` uses now; costs no hashing. */
  needsRehash(hash: string): boolean {
    return argon2.needsRehash(hash);
  }

  /** `false` for a wrong password; throws only on a malformed hash. */
  verify(hash: string, password: string): Promise<boolean> {
    return argon2.verify(hash, password);
  }
}
