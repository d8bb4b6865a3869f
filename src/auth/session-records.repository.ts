import { Inject, Injectable } from '@nestjs/common';
import { Kysely, Transaction } from 'kysely';
import { DATABASE } from '../database/database.constants';
import { toDatabaseError } from '../database/database.errors';
import { DatabaseSchema } from '../database/database.schema';

/** One sign-in as the app reads it back. */
export interface SessionRecord {
  id: string;
  userId: number;
  createdAt: number;
  lastSeenAt: number;
  ip: string;
  network: string;
  device: string;
}

/** What a new sign-in writes. */
export type NewSessionRecord = Omit<SessionRecord, 'lastSeenAt'>;

type Db = Kysely<DatabaseSchema> | Transaction<DatabaseSchema>;

const COLUMNS = [
  'id',
  'user_id as userId',
  'created_at as createdAt',
  'last_seen_at as lastSeenAt',
  'ip',
  'network',
  'device',
] as const;

/**
 * The `user_sessions` table, I/O only. Ending is `ended_at = now` on rows not ended yet, so a record that
 * ended stays ended; ended rows are kept a while (`pruneBefore`) so a returning device is recognised.
 * Every method throws `DatabaseUnavailableError` (503) when the database does not answer.
 */
@Injectable()
export class SessionRecordsRepository {
  constructor(@Inject(DATABASE) private readonly db: Kysely<DatabaseSchema>) {}

  async insert(record: NewSessionRecord): Promise<void> {
    await this.run(() =>
      this.db
        .insertInto('user_sessions')
        .values({
          id: record.id,
          user_id: record.userId,
          created_at: record.createdAt,
          last_seen_at: record.createdAt,
          ip: record.ip,
          network: record.network,
          device: record.device,
        })
        .execute(),
    );
  }

  /** The record when it has not ended and began after `since` and was seen after `seenSince`. */
  async findLive(
    id: string,
    createdSince: number,
    seenSince: number,
  ): Promise<SessionRecord | null> {
    const row = await this.run(() =>
      this.db
        .selectFrom('user_sessions')
        .select(COLUMNS)
        .where('id', '=', id)
        .where('ended_at', 'is', null)
        .where('created_at', '>', createdSince)
        .where('last_seen_at', '>', seenSince)
        .executeTakeFirst(),
    );
    return row ? numeric(row) : null;
  }

  /** The user's live records, newest first. */
  async listLive(
    userId: number,
    createdSince: number,
    seenSince: number,
  ): Promise<SessionRecord[]> {
    const rows = await this.run(() =>
      this.db
        .selectFrom('user_sessions')
        .select(COLUMNS)
        .where('user_id', '=', userId)
        .where('ended_at', 'is', null)
        .where('created_at', '>', createdSince)
        .where('last_seen_at', '>', seenSince)
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .execute(),
    );
    return rows.map(numeric);
  }

  /** Whether the user signed in before (ended records included), and from this device and network. */
  async history(
    userId: number,
    device: string,
    network: string,
  ): Promise<{ any: boolean; seen: boolean }> {
    const rows = await this.run(() =>
      this.db
        .selectFrom('user_sessions')
        .select(['device', 'network'])
        .where('user_id', '=', userId)
        .execute(),
    );
    return {
      any: rows.length > 0,
      seen: rows.some((row) => row.device === device && row.network === network),
    };
  }

  async touch(id: string, at: number, ip: string): Promise<void> {
    await this.run(() =>
      this.db
        .updateTable('user_sessions')
        .set({ last_seen_at: at, ip })
        .where('id', '=', id)
        .execute(),
    );
  }

  /**
   * Ends records of `userId` that have not ended: `only` one of them, or all but `except`.
   * @returns how many ended.
   */
  async end(
    userId: number,
    at: number,
    scope: { only?: string; except?: string } = {},
    db: Db = this.db,
  ): Promise<number> {
    const result = await this.run(() => {
      let query = db
        .updateTable('user_sessions')
        .set({ ended_at: at })
        .where('user_id', '=', userId)
        .where('ended_at', 'is', null);
      if (scope.only !== undefined) query = query.where('id', '=', scope.only);
      if (scope.except !== undefined) query = query.where('id', '!=', scope.except);
      return query.executeTakeFirst();
    });
    return Number(result.numUpdatedRows);
  }

  /** Deletes records that ended, or were last seen, before `before`. */
  async pruneBefore(before: number): Promise<number> {
    const result = await this.run(() =>
      this.db
        .deleteFrom('user_sessions')
        .where((eb) => eb.or([eb('ended_at', '<', before), eb('last_seen_at', '<', before)]))
        .executeTakeFirst(),
    );
    return Number(result.numDeletedRows);
  }

  private async run<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (error) {
      throw toDatabaseError(error);
    }
  }
}

/** A row with its times as numbers (PostgreSQL's `bigint` arrives as text). */
function numeric(row: {
  id: string;
  userId: number;
  createdAt: number | string;
  lastSeenAt: number | string;
  ip: string;
  network: string;
  device: string;
}): SessionRecord {
  return { ...row, createdAt: Number(row.createdAt), lastSeenAt: Number(row.lastSeenAt) };
}
