import { withTimeout } from '../../../common/with-timeout';
import type { RedisClient } from '../../../redis/redis-client';
import { SessionConflictError, SessionStoreUnavailableError } from '../../api/session.errors';
import { STORE_CALL_TIMEOUT_MS } from '../session-backend';

/**
 * Writes the record only over the version the request read (`{"v":N,` leads every record this app
 * writes; a record without it counts as version 0), or only where no record is, for a new session
 * (`new`); only while the request's lock still holds its token (when it holds one); and only before the
 * deadline, in Redis's own clock. So a request that opened a session before a logout deleted it, or
 * before another request saved it, or whose lease ran out, changes nothing, and a call that Redis runs
 * only after the app gave up on it (a stall) writes nothing either. Returns `{code, redis time in ms}`:
 * 1 written, 0 another version, -1 the lock is not ours, -2 past the deadline.
 */
const SET_IF_VERSION = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if now > tonumber(ARGV[5]) then return {-2, now} end
if ARGV[4] ~= '' and redis.call('GET', KEYS[2]) ~= ARGV[4] then return {-1, now} end
local current = redis.call('GET', KEYS[1])
if ARGV[1] == 'new' then
  if current then return {0, now} end
else
  if not current then return {0, now} end
  if (string.match(current, '^{"v":(%d+),') or '0') ~= ARGV[1] then return {0, now} end
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return {1, now}`;

/** How much longer the app waits for an answer than Redis may take to run the write: the reply's way back. */
const REPLY_MARGIN_MS = 500;

/** `run`'s code for a write refused as late by a Redis that answered at once: a wrong clock offset. */
const LATE_BUT_QUICK = -3;

/** Round trips slower than this say nothing reliable about the clock offset. */
const CLOCK_SAMPLE_MAX_RTT_MS = 100;

/**
 * Compare-and-set of session records on the keys connect-redis reads (`<prefix><id>`, JSON), so reads,
 * touches and deletes stay connect-redis's. Hand-written: connect-redis's `set` overwrites unconditionally.
 * A write either lands before the app answers or never: Redis refuses to run it after its deadline
 * (`STORE_CALL_TIMEOUT_MS` after it was sent, in Redis's clock, which the app tracks from each answer).
 */
export class RedisSessionWrites {
  /** Redis's clock minus this process's, in ms, as the last quick round trip saw it. */
  private clockOffsetMs = 0;

  constructor(
    private readonly client: RedisClient,
    private readonly prefix: string,
    private readonly storeName: string,
  ) {}

  /**
   * Saves the record (its JSON) over version `expected` (`null`: there must be no record yet), while `lock` (the lock
   * key and token this request holds, if any) is still this request's.
   * @throws SessionConflictError (503) when another version is stored or the lock is lost;
   * SessionStoreUnavailableError (503) when Redis fails or does not run the write in time (nothing written).
   */
  async setIfVersion(
    id: string,
    recordJson: string,
    expected: number | null,
    ttlMs: number,
    lock: { key: string; token: string } | null,
  ): Promise<void> {
    let code = await this.run(id, recordJson, expected, ttlMs, lock);
    // Refused as late although Redis answered at once: the clock offset was off; it is corrected now.
    if (code === LATE_BUT_QUICK) code = await this.run(id, recordJson, expected, ttlMs, lock);
    if (code === 1) return;
    if (code === 0 || code === -1) throw new SessionConflictError();
    throw new SessionStoreUnavailableError(this.storeName, new Error(`write refused (${code})`));
  }

  private async run(
    id: string,
    recordJson: string,
    expected: number | null,
    ttlMs: number,
    lock: { key: string; token: string } | null,
  ): Promise<number> {
    const sentAt = Date.now();
    const deadline = sentAt + STORE_CALL_TIMEOUT_MS + this.clockOffsetMs;
    let reply: unknown;
    try {
      const call = this.client.eval(SET_IF_VERSION, {
        keys: [`${this.prefix}${id}`, lock?.key ?? `${this.prefix}lock:${id}`],
        arguments: [
          expected === null ? 'new' : String(expected),
          recordJson,
          String(Math.max(1, Math.ceil(ttlMs))),
          lock?.token ?? '',
          String(deadline),
        ],
      });
      reply = await withTimeout(call, STORE_CALL_TIMEOUT_MS + REPLY_MARGIN_MS);
    } catch (error) {
      throw new SessionStoreUnavailableError(this.storeName, error);
    }
    const [code, redisNow] = Array.isArray(reply) ? reply.map(Number) : [NaN, NaN];
    const quick = this.sampleClock(sentAt, Date.now(), redisNow);
    return code === -2 && quick ? LATE_BUT_QUICK : code;
  }

  /** Updates the clock offset from a quick round trip; returns whether it was quick. */
  private sampleClock(sentAt: number, receivedAt: number, redisNow: number): boolean {
    if (!Number.isFinite(redisNow) || receivedAt - sentAt > CLOCK_SAMPLE_MAX_RTT_MS) return false;
    this.clockOffsetMs = Math.round(redisNow - (sentAt + receivedAt) / 2);
    return true;
  }
}
