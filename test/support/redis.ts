import { describeIfAvailable } from './service-available';
import { createClient } from 'redis';

/**
 * Where Redis-backed tests find Redis: `REDIS_URL`. Without it they are skipped with a one-line reason,
 * except under `CI`, where a skip would hide a broken pipeline, so they fail instead.
 * (A Docker engine with testcontainers could start one; this machine has none, so it is not wired.)
 */
export const REDIS_URL = process.env.REDIS_URL;

export const REDIS_MISSING =
  'REDIS_URL is not set: Redis-backed session tests need a Redis (docker run --rm -p 6379:6379 redis:7)';

/** `describe` with the Redis URL, or a skip with the reason (a failure under `CI`). */
export function describeWithRedis(name: string, body: (url: string) => void): void {
  describeIfAvailable(name, REDIS_URL ? undefined : REDIS_MISSING, () => body(REDIS_URL ?? ''));
}

/** A key prefix no other test file or run shares. */
export function uniquePrefix(file: string): string {
  return `test:${file}:${process.pid}:${Date.now().toString(36)}:`;
}

/** Deletes every key under `prefix`; call in `afterAll`. */
export async function deleteKeys(url: string, prefix: string): Promise<void> {
  const client = createClient({ url });
  await client.connect();
  try {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
      if (keys.length > 0) await client.del(keys);
    }
  } finally {
    client.destroy();
  }
}

/** Counts keys under `prefix` (to check that sessions really went to Redis). */
export async function countKeys(url: string, prefix: string): Promise<number> {
  const client = createClient({ url });
  await client.connect();
  try {
    let count = 0;
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 }))
      count += keys.length;
    return count;
  } finally {
    client.destroy();
  }
}
