import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.constants';
import { SEED_USER } from './users.constants';
import { UsersService } from './users.service';

/**
 * Seeds `test@example.com` / `password` in development and test (SPEC §2), once: later starts, and a
 * second process starting at the same time, find it and do nothing. Production never seeds. Runs after
 * every module's `onModuleInit`, so after the migrations; a failure stops the boot.
 */
@Injectable()
export class UsersSeeder implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'env'>,
    private readonly users: UsersService,
  ) {}

  /** Whether this environment gets the seeded account. */
  shouldSeed(): boolean {
    return this.config.env === 'development' || this.config.env === 'test';
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.shouldSeed()) return;
    if (await this.users.registerIfAbsent(SEED_USER.email, SEED_USER.password)) {
      new Logger(UsersSeeder.name).log(`seeded the ${this.config.env} user ${SEED_USER.email}`);
    }
  }
}
