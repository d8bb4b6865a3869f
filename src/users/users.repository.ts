import { Inject, Injectable } from '@nestjs/common';
import { Kysely, sql } from 'kysely';
import { isUniqueViolation } from '../database/database-error-codes';
import { DATABASE } from '../database/database.constants';
import { toDatabaseError } from '../database/database.errors';
import { DatabaseSchema } from '../database/database.schema';

/** What the app shows of a user (`{"user":{"id","email","emailVerified"}}`). */
export interface User {
  id: number;
  email: string;
  emailVerified: boolean;
}

/** A user as a signed-in request loads it (the same fields as `User`; cached per process). */
export type Account = User;

/** A user row as the service needs it to check a password or bind a token to it. */
export interface UserRecord extends Account {
  passwordHash: string;
}

/** The outcome of an address change that was bound to the old address. */
export type EmailChange = 'changed' | 'stale' | 'taken';

const ACCOUNT_COLUMNS = ['id', 'email', 'email_verified as emailVerified'] as const;

const TRUE = sql<boolean>`true`;
const FALSE = sql<boolean>`false`;

/**
 * The `users` table, I/O only: emails are stored exactly as given (the service normalises them).
 * Writes that end a token's life are compare-and-set (`where` the state the token was bound to), so two
 * requests with one token cannot both succeed. Every method throws `DatabaseUnavailableError` (503) when
 * the database does not answer.
 */
@Injectable()
export class UsersRepository {
  constructor(@Inject(DATABASE) private readonly db: Kysely<DatabaseSchema>) {}

  /** The new user, or `undefined` when the email is already taken (the unique constraint decides). */
  async insert(email: string, passwordHash: string, verified = false): Promise<User | undefined> {
    try {
      const row = await this.db
        .insertInto('users')
        .values({ email, password_hash: passwordHash, email_verified: verified ? TRUE : FALSE })
        .returning(['id', 'email', 'email_verified as emailVerified'])
        .executeTakeFirstOrThrow();
      return { ...row, emailVerified: Boolean(row.emailVerified) };
    } catch (error) {
      if (isUniqueViolation(error)) return undefined;
      throw toDatabaseError(error);
    }
  }

  async updatePasswordHash(id: number, passwordHash: string): Promise<void> {
    await this.run(() =>
      this.db
        .updateTable('users')
        .set({ password_hash: passwordHash })
        .where('id', '=', id)
        .execute(),
    );
  }

  /**
   * Sets a new hash, only while the stored hash is still `expectedHash` (when given). Marks the address
   * verified too when `markVerified`.
   * @returns `false` when no row matched (no such user, or the hash changed).
   */
  async replacePassword(
    id: number,
    passwordHash: string,
    options: { expectedHash?: string; markVerified?: boolean },
  ): Promise<boolean> {
    const result = await this.run(() => {
      let query = this.db
        .updateTable('users')
        .set({
          password_hash: passwordHash,
          ...(options.markVerified ? { email_verified: TRUE } : {}),
        })
        .where('id', '=', id);
      if (options.expectedHash !== undefined)
        query = query.where('password_hash', '=', options.expectedHash);
      return query.executeTakeFirst();
    });
    return result.numUpdatedRows > 0n;
  }

  /** Marks `email` verified while it is still the user's unverified address; `false` otherwise. */
  async markEmailVerified(id: number, email: string): Promise<boolean> {
    const result = await this.run(() =>
      this.db
        .updateTable('users')
        .set({ email_verified: TRUE })
        .where('id', '=', id)
        .where('email', '=', email)
        .where('email_verified', '=', FALSE)
        .executeTakeFirst(),
    );
    return result.numUpdatedRows > 0n;
  }

  /** Replaces `oldEmail` by `newEmail` (verified: a link sent there was followed) while it is still the user's. */
  async changeEmail(id: number, oldEmail: string, newEmail: string): Promise<EmailChange> {
    try {
      const result = await this.db
        .updateTable('users')
        .set({ email: newEmail, email_verified: TRUE })
        .where('id', '=', id)
        .where('email', '=', oldEmail)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n ? 'changed' : 'stale';
    } catch (error) {
      if (isUniqueViolation(error)) return 'taken';
      throw toDatabaseError(error);
    }
  }

  /** Up to `limit` stored hashes, oldest accounts first (those most likely made with older parameters). */
  async oldestHashes(limit: number): Promise<string[]> {
    try {
      const rows = await this.db
        .selectFrom('users')
        .select('password_hash')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((row) => row.password_hash);
    } catch (error) {
      throw toDatabaseError(error);
    }
  }

  async findByEmail(email: string): Promise<UserRecord | undefined> {
    const row = await this.run(() =>
      this.db
        .selectFrom('users')
        .select([...ACCOUNT_COLUMNS, 'password_hash as passwordHash'])
        .where('email', '=', email)
        .executeTakeFirst(),
    );
    return row && { ...row, emailVerified: Boolean(row.emailVerified) };
  }

  async findById(id: number): Promise<Account | undefined> {
    const row = await this.run(() =>
      this.db.selectFrom('users').select(ACCOUNT_COLUMNS).where('id', '=', id).executeTakeFirst(),
    );
    return row && { ...row, emailVerified: Boolean(row.emailVerified) };
  }

  /** `findById` with the password hash, for a password check or a token bound to it. */
  async findRecordById(id: number): Promise<UserRecord | undefined> {
    const row = await this.run(() =>
      this.db
        .selectFrom('users')
        .select([...ACCOUNT_COLUMNS, 'password_hash as passwordHash'])
        .where('id', '=', id)
        .executeTakeFirst(),
    );
    return row && { ...row, emailVerified: Boolean(row.emailVerified) };
  }

  private async run<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (error) {
      throw toDatabaseError(error);
    }
  }
}
