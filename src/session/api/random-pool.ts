import { randomBytes, randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

/**
 * Cryptographically random bytes (the same CSPRNG as `randomBytes`), handed out from a pool filled 4 KB at
 * a time, because each `randomBytes` call is a call into OpenSSL and every written cookie needs an IV.
 * Each caller gets its own copy, and the bytes handed out are wiped from the pool. Hand-written: Node pools like this only inside
 * `randomUUID`.
 */
export function pooledRandomBytes(size: number): Buffer {
  if (size > POOL_BYTES / 4) return randomBytes(size);
  if (offset + size > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = Buffer.from(pool.subarray(offset, offset + size));
  pool.fill(0, offset, offset + size);
  offset += size;
  return bytes;
}
