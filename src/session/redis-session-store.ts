import { Logger } from '@nestjs/common';
import { RedisStore } from 'connect-redis';
import { createClient } from 'redis';
import { parseSafeJson } from './safe-json';
import { SessionIdSigner } from './session-keys';
import { StoreSessionBackend } from './store-session.backend';

export interface RedisBackendOptions {
  url: string;
  keyPrefix: string;
  signer: SessionIdSigner;
  lifetimeMs: number;
  /** How long boot waits for the first connection before going on without it. Default 3000 ms. */
  connectWaitMs?: number;
}

/**
 * connect-redis on a node-redis 5 client, built so that Redis being down never crashes or hangs the app:
 * - `error` events are handled (logged once per outage), and the client reconnects forever with backoff;
 * - the offline queue is off, so a command while disconnected fails at once and the request gets 503;
 * - boot waits at most `connectWaitMs` for the first connection, then starts anyway and answers 503 for
 *   session requests until Redis is up (decision: a reachable app that says what is wrong beats a boot
 *   that hangs; `/healthz` stays 200 and a readiness probe sees `ping()` fail).
 */
export async function createRedisSessionBackend(
  options: RedisBackendOptions,
): Promise<StoreSessionBackend> {
  const logger = new Logger('SessionRedis');
  const client = createClient({
    url: options.url,
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
  await Promise.race([connecting, delay(options.connectWaitMs ?? 3000)]);
  const store = new RedisStore({
    client,
    prefix: options.keyPrefix,
    serializer: {
      parse: (text: string) => parseSafeJson(text) as never,
      stringify: JSON.stringify,
    },
  });
  return new StoreSessionBackend({
    store,
    storeName: 'Redis at REDIS_URL',
    signer: options.signer,
    lifetimeMs: options.lifetimeMs,
    ping: () => client.ping(),
    close: () => closeClient(client),
  });
}

type Client = ReturnType<typeof createClient>;

function watchConnection(client: Client, logger: Logger): void {
  let down = false;
  client.on('error', (err: unknown) => {
    if (down) return;
    down = true;
    logger.warn(
      `Redis is unreachable (${String(err)}); session requests answer 503 until it is back`,
    );
  });
  client.on('ready', () => {
    if (down) logger.log('Redis is reachable again; sessions resume');
    down = false;
  });
}

async function closeClient(client: Client): Promise<void> {
  if (client.isReady) {
    await client.close();
  } else if (client.isOpen) {
    client.destroy();
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
