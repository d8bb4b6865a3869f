import { RedisStore } from 'connect-redis';
import type { RedisClient } from '../../../redis/redis-client';
import { RedisSessionWrites } from './redis-writes';
import { RedisWriteLocks } from './redis-locks';
import { parseSafeJson } from '../../api/session-values';
import { StoreBackendOptions, StoreSessionBackend } from './store-backend';

export interface RedisBackendOptions extends Omit<
  StoreBackendOptions,
  'store' | 'storeName' | 'redis' | 'ping' | 'close'
> {
  client: RedisClient;
  keyPrefix: string;
}

const STORE_NAME = 'Redis at REDIS_URL';

/**
 * connect-redis on the app's shared node-redis client (`RedisModule`, which owns the connection), with
 * the write locks and compare-and-set that make writes to one session safe across processes.
 */
export function createRedisSessionBackend(options: RedisBackendOptions): StoreSessionBackend {
  const { client, keyPrefix, ...rest } = options;
  const store = new RedisStore({
    client,
    prefix: keyPrefix,
    serializer: {
      parse: (text: string) => parseSafeJson(text) as never,
      stringify: JSON.stringify,
    },
  });
  return new StoreSessionBackend({
    ...rest,
    store,
    storeName: STORE_NAME,
    redis: {
      locks: new RedisWriteLocks(client, keyPrefix, STORE_NAME),
      writes: new RedisSessionWrites(client, keyPrefix, STORE_NAME),
    },
    ping: () => client.ping(),
  });
}
