import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.constants';
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
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => parseDatabaseUrl(config.databaseUrl),
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
