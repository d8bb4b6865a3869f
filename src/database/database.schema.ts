import { ColumnType, Generated } from 'kysely';

/** The `users` table. `email` is stored trimmed and lower-cased (the service normalises it). */
export interface UsersTable {
  id: Generated<number>;
  email: string;
  password_hash: string;
  /** Moves on at `POST /logout/all` and at a password change: every session made before is refused. */
  session_generation: ColumnType<number, never, number>;
  /**
   * Whether the address was proven by a link sent to it. SQLite reads it back as 0 or 1; write it as
   * ``sql`true` `` / ``sql`false` ``, since better-sqlite3 binds no JavaScript booleans.
   */
  email_verified: ColumnType<boolean | number, boolean | undefined, boolean>;
  /** PostgreSQL returns a `Date`, SQLite the `CURRENT_TIMESTAMP` text; set by the database only. */
  created_at: ColumnType<Date | string, never, never>;
}

/** Every table the app owns: one schema for SQLite and PostgreSQL (see `migrations.ts`). */
export interface DatabaseSchema {
  users: UsersTable;
}
