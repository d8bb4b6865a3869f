import { ColumnType, Generated } from 'kysely';

/** The `users` table. `email` is stored trimmed and lower-cased (the service normalises it). */
export interface UsersTable {
  id: Generated<number>;
  email: string;
  password_hash: string;
  /** Moves on at `POST /logout/all` and at a password change: every session made before is refused. */
  session_generation: ColumnType<number, never, number>;
  /** PostgreSQL returns a `Date`, SQLite the `CURRENT_TIMESTAMP` text; set by the database only. */
  created_at: ColumnType<Date | string, never, never>;
}

/** Every table the app owns: one schema for SQLite and PostgreSQL (see `migrations.ts`). */
export interface DatabaseSchema {
  users: UsersTable;
}
