import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.constants';
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
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => (config.redisUrl ? connectRedis(config.redisUrl) : null),
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
