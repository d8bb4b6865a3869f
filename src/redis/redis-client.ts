import { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisClientType } from 'redis';

/** A node-redis client, as `connectRedis` builds it. */
export type RedisClient = RedisClientType;

/** How long boot waits for the first connection before going on without it. */
const CONNECT_WAIT_MS = 3000;

/**
 * The app's one Redis connection (`REDIS_URL`), shared by the session store, its write locks and the login
 * throttle. Built so that Redis being down never crashes or hangs the app:
 * - `error` events are handled (logged once per outage), and the client reconnects forever with backoff;
 * - the offline queue is off, so a command while disconnected fails at once and the request gets 503;
 * - boot waits at most `connectWaitMs` for the first connection, then starts anyway and answers 503 where
 *   Redis is needed until it is up (a reachable app that says what is wrong beats a boot that hangs;
 *   `/healthz` stays 200 and `/readyz` names Redis).
 */
export async function connectRedis(
  url: string,
  connectWaitMs = CONNECT_WAIT_MS,
): Promise<RedisClient> {
  // Loaded only when Redis is configured: node-redis alone cost the cookie-store boot about 160 ms.
  const { createClient } = await import('redis');
  const logger = new Logger('Redis');
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 2000,
      reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000),
    },
  });
  watchConnection(client, logger);
  const connecting = client
    .connect()
    .catch((err: unknown) => logger.error(`Redis connect failed: ${String(err)}`));
  await Promise.race([connecting, sleep(connectWaitMs, undefined, { ref: false })]);
  return client;
}

/** Closes the connection at shutdown, whatever state it is in. */
export async function closeRedis(client: RedisClient): Promise<void> {
  if (client.isReady) {
    await client.close();
  } else if (client.isOpen) {
    client.destroy();
  }
}

function watchConnection(client: RedisClient, logger: Logger): void {
  let down = false;
  client.on('error', (err: unknown) => {
    if (down) return;
    down = true;
    logger.warn(
      `Redis is unreachable (${String(err)}); what needs it answers 503 until it is back`,
    );
  });
  client.on('ready', () => {
    if (down) logger.log('Redis is reachable again');
    down = false;
  });
}
