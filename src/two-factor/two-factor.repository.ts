import { Inject, Injectable } from '@nestjs/common';
import { Kysely, Transaction } from 'kysely';
import { DATABASE } from '../database/database.constants';
import { toDatabaseError } from '../database/database.errors';
import { DatabaseSchema } from '../database/database.schema';

/** A user's TOTP row as the service reads it. */
export interface TotpRow {
  secret: string;
  confirmed: boolean;
  lastUsedStep: number | null;
}

/**
 * The `user_totp` and `recovery_codes` tables, I/O only. Every "once" rule is one conditional `UPDATE`
 * (a step later than the last one, a code not used yet), so of parallel requests exactly one wins on
 * SQLite and PostgreSQL alike. Every method throws `DatabaseUnavailableError` (503) when the database does
 * not answer.
 */
@Injectable()
export class TwoFactorRepository {
  constructor(@Inject(DATABASE) private readonly db: Kysely<DatabaseSchema>) {}

  async findTotp(userId: number): Promise<TotpRow | null> {
    const row = await this.run(() =>
      this.db
        .selectFrom('user_totp')
        .select(['secret', 'confirmed_at', 'last_used_step'])
        .where('user_id', '=', userId)
        .executeTakeFirst(),
    );
    if (!row) return null;
    return {
      secret: row.secret,
      confirmed: row.confirmed_at !== null,
      lastUsedStep: row.last_used_step === null ? null : Number(row.last_used_step),
    };
  }

  /** Stores a setup not confirmed yet, replacing an earlier unconfirmed one; `false` when TOTP is on. */
  async saveUnconfirmed(userId: number, secret: string): Promise<boolean> {
    return this.run(() =>
      this.db.transaction().execute(async (tx) => {
        await tx
          .deleteFrom('user_totp')
          .where('user_id', '=', userId)
          .where('confirmed_at', 'is', null)
          .execute();
        const inserted = await tx
          .insertInto('user_totp')
          .values({ user_id: userId, secret, confirmed_at: null, last_used_step: null })
          .onConflict((oc) => oc.column('user_id').doNothing())
          .returning('user_id')
          .execute();
        return inserted.length === 1;
      }),
    );
  }

  /**
   * Turns TOTP on with the step of the code that confirmed it and a first set of recovery codes, in one
   * transaction; `false` when the setup was confirmed (or replaced) by another request meanwhile.
   */
  async confirm(
    userId: number,
    secret: string,
    step: number,
    codeHashes: string[],
  ): Promise<boolean> {
    return this.run(() =>
      this.db.transaction().execute(async (tx) => {
        const result = await tx
          .updateTable('user_totp')
          .set({ confirmed_at: Date.now(), last_used_step: step })
          .where('user_id', '=', userId)
          .where('secret', '=', secret)
          .where('confirmed_at', 'is', null)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) !== 1) return false;
        await putRecoveryCodes(tx, userId, codeHashes);
        return true;
      }),
    );
  }

  /** Accepts `step` for a confirmed TOTP only if it is later than the last accepted one (no replay). */
  async claimStep(userId: number, step: number): Promise<boolean> {
    const result = await this.run(() =>
      this.db
        .updateTable('user_totp')
        .set({ last_used_step: step })
        .where('user_id', '=', userId)
        .where('confirmed_at', 'is not', null)
        .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]))
        .executeTakeFirst(),
    );
    return Number(result.numUpdatedRows) === 1;
  }

  /** Replaces the sealed secret `from` with `to` (the same secret under the current key), unless it changed since. */
  async reseal(userId: number, from: string, to: string): Promise<void> {
    await this.run(() =>
      this.db
        .updateTable('user_totp')
        .set({ secret: to })
        .where('user_id', '=', userId)
        .where('secret', '=', from)
        .executeTakeFirst(),
    );
  }

  /** Marks the unused code with one of `hashes` used; `false` when there is none (wrong or used). */
  async useRecoveryCode(userId: number, hashes: string[]): Promise<boolean> {
    if (hashes.length === 0) return false;
    const result = await this.run(() =>
      this.db
        .updateTable('recovery_codes')
        .set({ used_at: Date.now() })
        .where('user_id', '=', userId)
        .where('hash', 'in', hashes)
        .where('used_at', 'is', null)
        .executeTakeFirst(),
    );
    return Number(result.numUpdatedRows) >= 1;
  }

  /** Replaces the set of recovery codes of a user whose TOTP is on; `false` when it is not on. */
  async replaceRecoveryCodes(userId: number, codeHashes: string[]): Promise<boolean> {
    return this.run(() =>
      this.db.transaction().execute(async (tx) => {
        const on = await tx
          .selectFrom('user_totp')
          .select('user_id')
          .where('user_id', '=', userId)
          .where('confirmed_at', 'is not', null)
          .executeTakeFirst();
        if (!on) return false;
        await putRecoveryCodes(tx, userId, codeHashes);
        return true;
      }),
    );
  }

  /** How many recovery codes are left unused. */
  async unusedRecoveryCodes(userId: number): Promise<number> {
    const row = await this.run(() =>
      this.db
        .selectFrom('recovery_codes')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('user_id', '=', userId)
        .where('used_at', 'is', null)
        .executeTakeFirstOrThrow(),
    );
    return Number(row.n);
  }

  /** Removes TOTP (confirmed or not) and the recovery codes; whether TOTP was on. */
  async remove(userId: number): Promise<boolean> {
    return this.run(() =>
      this.db.transaction().execute(async (tx) => {
        const result = await tx
          .deleteFrom('user_totp')
          .where('user_id', '=', userId)
          .returning('confirmed_at')
          .execute();
        await tx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
        return result.some((row) => row.confirmed_at !== null);
      }),
    );
  }

  private async run<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (error) {
      throw toDatabaseError(error);
    }
  }
}

/** Replaces the user's recovery codes with `codeHashes`, inside the caller's transaction. */
async function putRecoveryCodes(
  tx: Transaction<DatabaseSchema>,
  userId: number,
  codeHashes: string[],
): Promise<void> {
  await tx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  await tx
    .insertInto('recovery_codes')
    .values(codeHashes.map((hash) => ({ user_id: userId, hash })))
    .execute();
}
