import type { RedisClient } from '../../../redis/redis-client';
import { SessionStoreUnavailableError } from '../../api/session.errors';
import type { StoredSession } from './stored-record';

/**
 * Writes the record only over the version the request read (`{"v":N,` leads every record this app
 * writes; a record without it counts as version 0), or only where no record is, for a new session
 * (`new`). So a request that opened a session before a logout deleted it, or before another request
 * saved it, changes nothing. Returns 1 when written, 0 when not.
 */
const SET_IF_VERSION = `
local current = redis.call('GET', KEYS[1])
if ARGV[1] == 'new' then
  if current then return 0 end
else
  if not current then return 0 end
  if (string.match(current, '^{"v":(%d+),') or '0') ~= ARGV[1] then return 0 end
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1`;

/**
 * Compare-and-set of session records on the keys connect-redis reads (`<prefix><id>`, JSON), so reads,
 * touches and deletes stay connect-redis's. Hand-written: connect-redis's `set` overwrites unconditionally.
 */
export class RedisSessionWrites {
  constructor(
    private readonly client: RedisClient,
    private readonly prefix: string,
    private readonly storeName: string,
  ) {}

  /** `false` when the stored version is not `expected` (`null`: there must be no record). */
  async setIfVersion(
    id: string,
    record: StoredSession,
    expected: number | null,
    ttlMs: number,
  ): Promise<boolean> {
    const args = [expected === null ? 'new' : String(expected), JSON.stringify(record)];
    try {
      const written = await this.client.eval(SET_IF_VERSION, {
        keys: [`${this.prefix}${id}`],
        arguments: [...args, String(Math.max(1, Math.ceil(ttlMs)))],
      });
      return written === 1;
    } catch (error) {
      throw new SessionStoreUnavailableError(this.storeName, error);
    }
  }
}
