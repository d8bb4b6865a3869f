import { Inject, Injectable } from '@nestjs/common';
import { Kysely } from 'kysely';
import { isUniqueViolation } from '../database/database-error-codes';
import { DATABASE } from '../database/database.constants';
import { toDatabaseError } from '../database/database.errors';
import { DatabaseSchema } from '../database/database.schema';

/** What the app shows of a user (`{"user":{"id","email"}}`). */
export interface User {
  id: number;
  email: string;
}

/** A user as a session needs it: the generation its sessions must carry to stay valid. */
export interface Account extends User {
  sessionGeneration: number;
}

/** A user row as the service needs it to check a password. */
export interface UserRecord extends Account {
  passwordHash: string;
}

/**
 * The `users` table, I/O only: emails are stored exactly as given (the service normalises them).
 * Every method throws `DatabaseUnavailableError` (503) when the database does not answer.
 */
@Injectable()
export class UsersRepository {
  constructor(@Inject(DATABASE) private readonly db: Kysely<DatabaseSchema>) {}

  /** The new user, or `undefined` when the email is already taken (the unique constraint decides). */
  async insert(email: string, passwordHash: string): Promise<User | undefined> {
    try {
      return await this.db
        .insertInto('users')
        .values({ email, password_hash: passwordHash })
        .returning(['id', 'email'])
        .executeTakeFirstOrThrow();
    } catch (error) {
      if (isUniqueViolation(error)) return undefined;
      throw toDatabaseError(error);
    }
  }

  async updatePasswordHash(id: number, passwordHash: string): Promise<void> {
    try {
      await this.db
        .updateTable('users')
        .set({ password_hash: passwordHash })
        .where('id', '=', id)
        .execute();
    } catch (error) {
      throw toDatabaseError(error);
    }
  }

  /** Moves the user's session generation on (and sets a new hash, when given); `false`: no such user. */
  async bumpSessionGeneration(id: number, passwordHash?: string): Promise<boolean> {
    try {
      const result = await this.db
        .updateTable('users')
        .set((eb) => ({
          session_generation: eb('session_generation', '+', 1),
          ...(passwordHash === undefined ? {} : { password_hash: passwordHash }),
        }))
        .where('id', '=', id)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    } catch (error) {
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
    try {
      return await this.db
        .selectFrom('users')
        .select([
          'id',
          'email',
          'password_hash as passwordHash',
          'session_generation as sessionGeneration',
        ])
        .where('email', '=', email)
        .executeTakeFirst();
    } catch (error) {
      throw toDatabaseError(error);
    }
  }

  async findById(id: number): Promise<Account | undefined> {
    try {
      return await this.db
        .selectFrom('users')
        .select(['id', 'email', 'session_generation as sessionGeneration'])
        .where('id', '=', id)
        .executeTakeFirst();
    } catch (error) {
      throw toDatabaseError(error);
    }
  }
}
