import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { redisConfig } from '../config/namespaces';
import { closeRedis, connectRedis, RedisClient } from './redis-client';
import { REDIS_CLIENT } from './redis.constants';
import { RedisHealth } from './redis.health';

/**
 * The one Redis connection of `REDIS_URL`, for every module that keeps state shared between instances
 * (sessions, their write locks, login counters). Provides `null` when `REDIS_URL` is unset. Closed at
 * shutdown, after the HTTP server has finished the requests in flight.
 */
@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [redisConfig.KEY],
      useFactory: (redis: ConfigType<typeof redisConfig>) =>
        redis.url ? connectRedis(redis.url) : null,
    },
    RedisHealth,
  ],
  exports: [REDIS_CLIENT, RedisHealth],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly client: RedisClient | null) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.client) await closeRedis(this.client);
  }
}
