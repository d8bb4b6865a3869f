import { Inject, Injectable } from '@nestjs/common';
import { Kysely } from 'kysely';
import { DATABASE } from '../database/database.constants';
import { toDatabaseError } from '../database/database.errors';
import { DatabaseSchema } from '../database/database.schema';

/** One passkey as the app reads it back. */
export interface Passkey {
  /** The credential id, base64url. */
  id: string;
  userId: number;
  userHandle: string;
  /** The COSE public key, base64url. */
  publicKey: string;
  counter: number;
  transports: string[];
  deviceType: string;
  backedUp: boolean;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
}

const COLUMNS = [
  'id',
  'user_id as userId',
  'user_handle as userHandle',
  'public_key as publicKey',
  'counter',
  'transports',
  'device_type as deviceType',
  'backed_up as backedUp',
  'name',
  'created_at as createdAt',
  'last_used_at as lastUsedAt',
] as const;

/**
 * The `passkeys` and `passkey_challenges` tables, I/O only. Every method throws
 * `DatabaseUnavailableError` (503) when the database does not answer.
 */
@Injectable()
export class PasskeysRepository {
  constructor(@Inject(DATABASE) private readonly db: Kysely<DatabaseSchema>) {}

  /** @returns `false` when a passkey with this credential id exists already (of anyone). */
  async insert(passkey: Omit<Passkey, 'lastUsedAt'>): Promise<boolean> {
    const result = await this.run(() =>
      this.db
        .insertInto('passkeys')
        .values({
          id: passkey.id,
          user_id: passkey.userId,
          user_handle: passkey.userHandle,
          public_key: passkey.publicKey,
          counter: passkey.counter,
          transports: JSON.stringify(passkey.transports),
          device_type: passkey.deviceType,
          backed_up: passkey.backedUp ? 1 : 0,
          name: passkey.name,
          created_at: passkey.createdAt,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst(),
    );
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async find(id: string): Promise<Passkey | null> {
    const row = await this.run(() =>
      this.db.selectFrom('passkeys').select(COLUMNS).where('id', '=', id).executeTakeFirst(),
    );
    return row ? toPasskey(row) : null;
  }

  /** The user's passkeys, oldest first. */
  async listFor(userId: number): Promise<Passkey[]> {
    const rows = await this.run(() =>
      this.db
        .selectFrom('passkeys')
        .select(COLUMNS)
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .orderBy('id')
        .execute(),
    );
    return rows.map(toPasskey);
  }

  async countFor(userId: number): Promise<number> {
    const row = await this.run(() =>
      this.db
        .selectFrom('passkeys')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow(),
    );
    return Number(row.n);
  }

  /** @returns whether a passkey of `userId` had that id. */
  async rename(userId: number, id: string, name: string): Promise<boolean> {
    const result = await this.run(() =>
      this.db
        .updateTable('passkeys')
        .set({ name })
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst(),
    );
    return Number(result.numUpdatedRows) === 1;
  }

  /** @returns whether a passkey of `userId` had that id. */
  async delete(userId: number, id: string): Promise<boolean> {
    const result = await this.run(() =>
      this.db
        .deleteFrom('passkeys')
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst(),
    );
    return Number(result.numDeletedRows) === 1;
  }

  /**
   * Records a use: the new counter and the time, only while the counter is still `seen` (a compare and
   * set), so of two parallel uses that read the same counter one wins. @returns whether this one won.
   */
  async recordUse(id: string, seen: number, counter: number, at: number): Promise<boolean> {
    const result = await this.run(() =>
      this.db
        .updateTable('passkeys')
        .set({ counter, last_used_at: at })
        .where('id', '=', id)
        .where('counter', '=', seen)
        .executeTakeFirst(),
    );
    return Number(result.numUpdatedRows) === 1;
  }

  /**
   * Records that `challenge` was answered, until `expiresAt`, and drops the records that expired.
   * @returns `false` when it was answered before (the unique key refused it).
   */
  async markChallengeUsed(challenge: string, expiresAt: number, now: number): Promise<boolean> {
    await this.run(() =>
      this.db.deleteFrom('passkey_challenges').where('expires_at', '<', now).execute(),
    );
    const result = await this.run(() =>
      this.db
        .insertInto('passkey_challenges')
        .values({ challenge, expires_at: expiresAt })
        .onConflict((oc) => oc.column('challenge').doNothing())
        .executeTakeFirst(),
    );
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  private async run<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (error) {
      throw toDatabaseError(error);
    }
  }
}

/** A row as a `Passkey`: PostgreSQL's `bigint` arrives as text, SQLite's booleans as 0 and 1. */
function toPasskey(row: {
  id: string;
  userId: number;
  userHandle: string;
  publicKey: string;
  counter: number | string;
  transports: string;
  deviceType: string;
  backedUp: number;
  name: string;
  createdAt: number | string;
  lastUsedAt: number | string | null;
}): Passkey {
  return {
    ...row,
    counter: Number(row.counter),
    transports: JSON.parse(row.transports) as string[],
    backedUp: Number(row.backedUp) === 1,
    createdAt: Number(row.createdAt),
    lastUsedAt: row.lastUsedAt === null ? null : Number(row.lastUsedAt),
  };
}
