import { Logger } from '@nestjs/common';
import {
  DialectAdapter,
  Kysely,
  PostgresDialect,
  SqliteAdapter,
  SqliteDatabase,
  SqliteDialect,
} from 'kysely';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { DatabaseTarget, parseDatabaseUrl, SQLITE_MEMORY } from './database-url';
import { DatabaseSchema } from './database.schema';

/** How long a writer waits for another connection's write lock (SQLite) or for a connection (pg). */
export const BUSY_TIMEOUT_MS = 5000;

/** A Kysely instance and the database it talks to. Call `db.destroy()` to close the file or pool. */
export interface AppDatabase {
  db: Kysely<DatabaseSchema>;
  target: DatabaseTarget;
}

/**
 * Builds the Kysely instance for `DATABASE_URL` without touching the database: the SQLite file is opened
 * (and its folder created) and PostgreSQL is connected on first use, so a bad database surfaces as a
 * `DatabaseMigrationError` from `migrateToLatest` or a `DatabaseUnavailableError`, never at construction.
 */
export function createDatabase(url: string): AppDatabase {
  const target = parseDatabaseUrl(url);
  return { db: createKysely(target), target };
}

/**
 * The Kysely instance for one target; see `createDatabase`. Only the chosen driver is loaded, on first
 * use, so an SQLite app never pays for loading `pg` at boot.
 */
export function createKysely(target: DatabaseTarget): Kysely<DatabaseSchema> {
  const dialect =
    target.kind === 'sqlite'
      ? new TransactionalSqliteDialect({ database: () => openSqlite(target.file) })
      : new PostgresDialect({ pool: () => createPool(target.connectionString) });
  return new Kysely<DatabaseSchema>({ dialect });
}

/**
 * WAL lets readers and one writer work at once; the busy timeout makes a second process (or a second
 * `npm run user:create`) wait for a write lock instead of failing at once with `SQLITE_BUSY`. The file
 * holds password hashes, so only its owner may read it (0600; SQLite gives its `-wal` and `-shm` files
 * the same mode).
 */
async function openSqlite(file: string): Promise<SqliteDatabase> {
  const { default: Sqlite } = await import('better-sqlite3');
  if (file !== SQLITE_MEMORY) ownerOnly(file);
  const sqlite = new Sqlite(file, { timeout: BUSY_TIMEOUT_MS });
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  if (!sqlite.readonly) sqlite.pragma('journal_mode = WAL');
  return sqlite;
}

/** Creates the file (and its folder) readable by its owner only, or narrows an existing one to 0600. */
function ownerOnly(file: string): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
  fs.closeSync(fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_RDWR, 0o600));
  if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
}

/**
 * SQLite runs DDL in transactions, but Kysely's adapter says it does not, so its migrator would apply
 * migrations statement by statement with no lock. Saying so makes each run one transaction: a failed
 * migration leaves nothing behind, and of two processes migrating at once one commits and the other gets
 * `SQLITE_BUSY`, rolls back and retries (see `migrateToLatest`). Only the migrator reads this flag.
 */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class TransactionalSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalSqliteAdapter();
  }
}

async function createPool(connectionString: string): Promise<Pool> {
  const { Pool } = await import('pg');
  const pool = new Pool({ connectionString, connectionTimeoutMillis: BUSY_TIMEOUT_MS });
  // A connection whose server went away emits 'error'; with no listener that would crash the process.
  // Idle: pg-pool drops it and re-emits on the pool. Checked out (Kysely adds no listener): the same
  // error already rejects the running query (a 503 upstream), and pg-pool drops the dead client on
  // release, so there is nothing more to do with it here.
  pool.on('connect', (client) => client.on('error', () => undefined));
  pool.on('error', (error) => {
    new Logger('Database').warn(`a PostgreSQL connection was lost: ${error.message}`);
  });
  return pool;
}
