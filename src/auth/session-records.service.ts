import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { LRUCache } from 'lru-cache';
import { randomBytes } from 'node:crypto';
import type { RequestClient } from '../common/negotiation';
import { sessionConfig } from '../config/namespaces';
import { ACCOUNT_CACHE_MS } from '../users/users.service';
import { deviceName, networkOf } from './device';
import { SessionRecord, SessionRecordsRepository } from './session-records.repository';

/** A signed-in request writes its record's last-seen time at most this often, after the response. */
export const LAST_SEEN_EVERY_MS = 5 * 60_000;

/** Ended records are kept this long, so a device that signs in again is not "new"; then deleted. */
export const ENDED_RECORDS_KEPT_MS = 90 * 24 * 3600_000;

/** How often each process deletes records past `ENDED_RECORDS_KEPT_MS`. */
const PRUNE_EVERY_MS = 3600_000;

/** A new sign-in's record, and whether the account had signed in before but never from this device and network. */
export interface Started {
  id: string;
  device: string;
  newDevice: boolean;
}

/**
 * One record per sign-in (any session store, the cookie store included), in the users database: a session
 * is signed in while its record has not ended, so ending records is how every revocation works (logout,
 * sign out one device, the others, or all; a password change or reset). The check runs where the user is
 * loaded, from a per-process cache of `ACCOUNT_CACHE_MS` (1 s): a signed-in request costs no query, an end
 * is seen at once on the instance that made it and within that second on every other. Last seen is written
 * at most every `LAST_SEEN_EVERY_MS`, after the response.
 */
@Injectable()
export class SessionRecordsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Sessions');
  private readonly live = new LRUCache<string, SessionRecord>({
    max: 10_000,
    ttl: ACCOUNT_CACHE_MS,
  });
  /** Ends this process made: a read that overlapped one is not cached. */
  private ends = 0;
  /** Last-seen writes this process made (the bench reads it from the log at shutdown). */
  private lastSeenWrites = 0;
  private pruning: NodeJS.Timeout | undefined;

  constructor(
    private readonly records: SessionRecordsRepository,
    @Inject(sessionConfig.KEY)
    private readonly session: Pick<
      ConfigType<typeof sessionConfig>,
      'permanentLifetimeSeconds' | 'absoluteLifetimeSeconds'
    >,
  ) {}

  onApplicationBootstrap(): void {
    this.pruning = setInterval(() => void this.prune(), PRUNE_EVERY_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.pruning);
    if (this.lastSeenWrites > 0) this.logger.log(`last-seen writes: ${this.lastSeenWrites}`);
  }

  /** Records a sign-in of `userId` from `client`. */
  async start(userId: number, client: RequestClient): Promise<Started> {
    const device = deviceName(client.userAgent);
    const network = networkOf(client.address);
    const history = await this.records.history(userId, device, network);
    const id = randomBytes(16).toString('base64url');
    const createdAt = Date.now();
    await this.records.insert({ id, userId, createdAt, ip: client.address, network, device });
    return { id, device, newDevice: history.any && !history.seen };
  }

  /**
   * Whether record `id` is a live sign-in of `userId`, as the database had it at most `ACCOUNT_CACHE_MS`
   * ago; a live one seen more than `LAST_SEEN_EVERY_MS` ago gets its last-seen time (and `address`)
   * written after this returns.
   */
  async isLive(id: unknown, userId: number, address?: string): Promise<boolean> {
    if (typeof id !== 'string' || id.length > 64) return false;
    const record = this.live.get(id) ?? (await this.load(id));
    if (record === null || record.userId !== userId) return false;
    const now = Date.now();
    if (now - record.lastSeenAt > LAST_SEEN_EVERY_MS) {
      record.lastSeenAt = now;
      void this.touch(record, now, address ?? record.ip);
    }
    return true;
  }

  /** The user's live records, newest first. */
  list(userId: number): Promise<SessionRecord[]> {
    const { createdSince, seenSince } = this.windows();
    return this.records.listLive(userId, createdSince, seenSince);
  }

  /** Ends one record of the user; `false` when it is not a live record of theirs. */
  async endOne(userId: number, id: string): Promise<boolean> {
    return (await this.end(userId, { only: id })) > 0;
  }

  /** Ends every record of the user, or all but `except` (the session that asked). */
  async endAll(userId: number, except?: string): Promise<number> {
    return this.end(userId, except === undefined ? {} : { except });
  }

  private async end(userId: number, scope: { only?: string; except?: string }): Promise<number> {
    try {
      return await this.records.end(userId, Date.now(), scope);
    } finally {
      this.ends++;
      for (const [id, record] of this.live.entries()) {
        if (record.userId === userId && id !== scope.except) this.live.delete(id);
      }
    }
  }

  private async load(id: string): Promise<SessionRecord | null> {
    const endsBefore = this.ends;
    const { createdSince, seenSince } = this.windows();
    const record = await this.records.findLive(id, createdSince, seenSince);
    if (record && this.ends === endsBefore) this.live.set(id, record);
    return record;
  }

  private async touch(record: SessionRecord, at: number, address: string): Promise<void> {
    try {
      await this.records.touch(record.id, at, address);
      this.lastSeenWrites++;
    } catch (error) {
      this.logger.warn(`a session's last-seen time was not written: ${String(error)}`);
    }
  }

  /** Live records began within the absolute lifetime and were seen within the idle one (plus the write lag). */
  private windows(): { createdSince: number; seenSince: number } {
    const now = Date.now();
    return {
      createdSince: now - this.session.absoluteLifetimeSeconds * 1000,
      seenSince: now - this.session.permanentLifetimeSeconds * 1000 - LAST_SEEN_EVERY_MS,
    };
  }

  private async prune(): Promise<void> {
    try {
      await this.records.pruneBefore(Date.now() - ENDED_RECORDS_KEPT_MS);
    } catch (error) {
      this.logger.warn(`old session records were not pruned: ${String(error)}`);
    }
  }
}
