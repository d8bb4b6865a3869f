import { Inject, Injectable } from '@nestjs/common';
import { Kysely, sql } from 'kysely';
import { DATABASE } from './database.constants';
import { toDatabaseError } from './database.errors';
import { DatabaseSchema } from './database.schema';

/** Readiness of the users database, for `/readyz`. */
@Injectable()
export class DatabaseHealth {
  constructor(@Inject(DATABASE) private readonly db: Kysely<DatabaseSchema>) {}

  /**
   * Resolves when the database answers a trivial query.
   * @throws DatabaseUnavailableError (503) when it does not; other errors pass through unchanged.
   */
  async ping(): Promise<void> {
    try {
      await sql`select 1`.execute(this.db);
    } catch (error) {
      throw toDatabaseError(error);
    }
  }
}
