import { createHmac, randomInt } from 'node:crypto';
import { deriveKeys } from '../session';

/** How many recovery codes a set holds. */
export const RECOVERY_CODE_COUNT = 10;

/** The HKDF purpose of the recovery codes' hash key. */
export const RECOVERY_CODE_PURPOSE = 'two-factor recovery-code hmac-sha256';

// Crockford's base32 in lower case: 32 symbols (5 bits each), no i, l, o or u to misread.
const SYMBOLS = '0123456789abcdefghjkmnpqrstvwxyz';
const LENGTH = 10;

/** `xxxxx-xxxxx`: ten random symbols, 50 bits (`crypto.randomInt` has no modulo bias). */
export function newRecoveryCode(): string {
  let code = '';
  for (let i = 0; i < LENGTH; i++) code += SYMBOLS[randomInt(SYMBOLS.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** A code's entropy in bits (50). */
export const ENTROPY_BITS = LENGTH * Math.log2(SYMBOLS.length);

/** What a user typed, as codes are compared: lower case, without spaces or hyphens. */
export function normalizeRecoveryCode(input: string): string {
  return input.toLowerCase().replace(/[\s-]/g, '');
}

/** Whether `input` could be a recovery code at all (so a typo is not counted as a try of one). */
export function looksLikeRecoveryCode(input: string): boolean {
  const code = normalizeRecoveryCode(input);
  return code.length === LENGTH && [...code].every((c) => SYMBOLS.includes(c));
}

/**
 * Hashes recovery codes for storage with HMAC-SHA256 under a key derived from `SECRET_KEY`. A fast hash is
 * enough: each code is random with about 50 bits, so there is nothing for a slow hash to protect that a
 * dictionary could find; the key means stolen rows alone cannot even be brute-forced offline. `hashes`
 * gives the code's hash under every key (`SECRET_KEY`, then the fallbacks), for lookups after a rotation.
 */
export class RecoveryCodeHasher {
  private readonly keys: Buffer[];

  constructor(secrets: readonly string[]) {
    this.keys = deriveKeys(secrets, RECOVERY_CODE_PURPOSE);
  }

  /** The hash to store, under `SECRET_KEY`. */
  hash(code: string): string {
    return this.hashWith(this.keys[0], code);
  }

  /** The hashes a stored code may have, one per key. */
  hashes(code: string): string[] {
    return this.keys.map((key) => this.hashWith(key, code));
  }

  private hashWith(key: Buffer, code: string): string {
    return createHmac('sha256', key).update(normalizeRecoveryCode(code)).digest('base64url');
  }
}
