import { Inject, Injectable } from '@nestjs/common';
import { RedisClient } from './redis-client';
import { REDIS_CLIENT } from './redis.constants';

/** Readiness of Redis (`REDIS_URL`), for `/readyz`: the login throttle needs it whatever the session store. */
@Injectable()
export class RedisHealth {
  constructor(@Inject(REDIS_CLIENT) private readonly client: RedisClient | null) {}

  get configured(): boolean {
    return this.client !== null;
  }

  /** Resolves when Redis answers `PING`, or at once when no Redis is configured. */
  async ping(): Promise<void> {
    await this.client?.ping();
  }
}
