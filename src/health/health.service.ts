import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { withTimeout } from '../common/with-timeout';
import { DatabaseHealth } from '../database/database.health';
import { RedisHealth } from '../redis/redis.health';
import { SessionHealth } from '../session';

/** What `/readyz` answers: each check is `ok` or what went wrong. */
export const ReadinessSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z.object({
    database: z.string(),
    sessionStore: z.string(),
    redis: z
      .string()
      .optional()
      .describe('There when REDIS_URL is set: the login throttle needs it whatever the store'),
  }),
  error: z.string().optional().describe('Names what is not ready'),
});
export type Readiness = z.infer<typeof ReadinessSchema>;

const CHECK_TIMEOUT_MS = 2000;

/** Asks the database, the session store and Redis, at once and each within a bound, whether they answer. */
@Injectable()
export class HealthService {
  constructor(
    private readonly database: DatabaseHealth,
    private readonly sessions: SessionHealth,
    private readonly redis: RedisHealth,
  ) {}

  async readiness(): Promise<Readiness> {
    const [database, sessionStore, redis] = await Promise.all([
      check(() => this.database.ping()),
      check(() => this.sessions.ping()),
      this.redis.configured ? check(() => this.redis.ping()) : undefined,
    ]);
    const failing = [
      database === 'ok' ? null : `database: ${database}`,
      sessionStore === 'ok' ? null : `session store (${this.sessions.storeName}): ${sessionStore}`,
      redis === undefined || redis === 'ok'
        ? null
        : `Redis at REDIS_URL (login throttle): ${redis}`,
    ].filter((x): x is string => x !== null);
    const checks =
      redis === undefined ? { database, sessionStore } : { database, sessionStore, redis };
    return failing.length === 0
      ? { status: 'ok', checks }
      : { status: 'unavailable', checks, error: `not ready: ${failing.join('; ')}` };
  }
}

async function check(ping: () => Promise<void>): Promise<string> {
  try {
    await withTimeout(ping(), CHECK_TIMEOUT_MS);
    return 'ok';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
