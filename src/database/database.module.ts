import { Global, Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { databaseConfig } from '../config/namespaces';
import { DatabaseTarget, parseDatabaseUrl } from './database-url';
import { DATABASE, DATABASE_TARGET } from './database.constants';
import { createKysely } from './database.factory';
import { DatabaseHealth } from './database.health';
import { DatabaseLifecycle } from './database.lifecycle';

/**
 * The users database named by `DATABASE_URL`, migrated at start and closed at shutdown. Provides
 * `DATABASE` (`Kysely<DatabaseSchema>`), `DATABASE_TARGET` and `DatabaseHealth` to every module.
 */
@Global()
@Module({
  providers: [
    {
      provide: DATABASE_TARGET,
      inject: [databaseConfig.KEY],
      useFactory: (database: ConfigType<typeof databaseConfig>) => parseDatabaseUrl(database.url),
    },
    {
      provide: DATABASE,
      inject: [DATABASE_TARGET],
      useFactory: (target: DatabaseTarget) => createKysely(target),
    },
    DatabaseLifecycle,
    DatabaseHealth,
  ],
  exports: [DATABASE, DATABASE_TARGET, DatabaseHealth],
})
export class DatabaseModule {}
