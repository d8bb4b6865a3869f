import { Kysely, sql } from 'kysely';
import { MigrationResult, MigrationResultSet, Migrator } from 'kysely/migration';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorCode } from './database-error-codes';
import { redact } from './database-url';
import { DatabaseMigrationError } from './database.errors';
import { AppDatabase } from './database.factory';
import { InCodeMigrationProvider } from './migrations';

const SQLITE_BUSY_RETRIES = 5;

/**
 * Brings the schema up to date; a second run is a no-op and returns no results. Safe when several
 * processes start at once: on PostgreSQL Kysely's migrator holds an advisory lock and migrates in a
 * transaction; on SQLite the loser of the race gets `SQLITE_BUSY` (SQLite does not wait when a read
 * transaction must become a write), rolls back, and is retried, then finds nothing to do.
 *
 * @throws DatabaseMigrationError when the database is unreachable or a migration fails.
 */
export async function migrateToLatest(database: AppDatabase): Promise<MigrationResult[]> {
  for (let attempt = 0; ; attempt += 1) {
    const { error, results = [] } = await migrateOnce(database).catch(
      (thrown: unknown): MigrationResultSet => ({ error: thrown }),
    );
    if (error === undefined) return results;
    if (!isSqliteBusy(error) || attempt >= SQLITE_BUSY_RETRIES) {
      throw new DatabaseMigrationError(describeTarget(database.target), error);
    }
    await sleep(50 * (attempt + 1));
  }
}

async function migrateOnce({ db, target }: AppDatabase): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db: db as Kysely<unknown>,
    provider: new InCodeMigrationProvider(target.kind),
    migrationTableSchema: target.kind === 'postgres' ? await currentSchema(db) : undefined,
  });
  return migrator.migrateToLatest();
}

/**
 * The schema that `search_path` selects. Kysely looks its own tables up in every schema unless told
 * one, and would mistake another schema's `kysely_migration` for ours.
 */
async function currentSchema(db: AppDatabase['db']): Promise<string | undefined> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(
    db,
  );
  return rows[0]?.schema ?? undefined;
}

function isSqliteBusy(error: unknown): boolean {
  return errorCode(error)?.startsWith('SQLITE_BUSY') ?? false;
}

function describeTarget(target: AppDatabase['target']): string {
  return target.kind === 'sqlite' ? `sqlite:${target.file}` : redact(target.connectionString);
}
