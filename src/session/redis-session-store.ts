import { RedisStore } from 'connect-redis';
import type { RedisClient } from '../redis/redis-client';
import { parseSafeJson } from './safe-json';
import { SessionIdSigner } from './session-keys';
import { StoreSessionBackend } from './store-session.backend';

export interface RedisBackendOptions {
  client: RedisClient;
  keyPrefix: string;
  signer: SessionIdSigner;
  lifetimeMs: number;
}

/** connect-redis on the app's shared node-redis client (`RedisModule`), which owns the connection. */
export function createRedisSessionBackend(options: RedisBackendOptions): StoreSessionBackend {
  const { client } = options;
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
  });
}
