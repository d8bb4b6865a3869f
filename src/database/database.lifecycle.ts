import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Kysely } from 'kysely';
import type { DatabaseTarget } from './database-url';
import { DATABASE, DATABASE_TARGET } from './database.constants';
import type { DatabaseSchema } from './database.schema';
import { migrateToLatest } from './migrate';

/**
 * Runs the migrations at start and closes the database at shutdown.
 *
 * Decision: when the migrations cannot run (PostgreSQL down, SQLite folder not writable), the app does
 * not boot: `app.init()` rejects with `DatabaseMigrationError` naming DATABASE_URL, so an orchestrator
 * restarts it instead of routing traffic to an app without a schema. Once booted, a database outage is
 * a 503 (`DatabaseUnavailableError`) per request and `/readyz` reports it; the process keeps running.
 * The pool closes in `onApplicationShutdown`, after the HTTP server has finished its requests in flight.
 */
@Injectable()
export class DatabaseLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(DATABASE) private readonly db: Kysely<DatabaseSchema>,
    @Inject(DATABASE_TARGET) private readonly target: DatabaseTarget,
  ) {}

  async onModuleInit(): Promise<void> {
    try {
      await migrateToLatest({ db: this.db, target: this.target });
    } catch (error) {
      await this.db.destroy();
      throw error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.db.destroy();
  }
}
