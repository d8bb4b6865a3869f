import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { appConfig } from '../config/namespaces';
import { SEED_USER } from './users.constants';
import { UsersService } from './users.service';

/**
 * Seeds `test@example.com` / `password` in development and test, once: later starts, and a
 * second process starting at the same time, find it and do nothing. Production never seeds, and warns at
 * boot when a database used in development still holds that account with its well-known password.
 * Runs after every module's `onModuleInit`, so after the migrations; a failure stops the boot.
 */
@Injectable()
export class UsersSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(UsersSeeder.name);

  constructor(
    @Inject(appConfig.KEY) private readonly app: Pick<ConfigType<typeof appConfig>, 'env'>,
    private readonly users: UsersService,
  ) {}

  /** Whether this environment gets the seeded account. */
  shouldSeed(): boolean {
    return this.app.env === 'development' || this.app.env === 'test';
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.shouldSeed()) return this.warnIfSeedRemains();
    // Verified: its address is not real, and EMAIL_VERIFICATION=required must still let it sign in.
    if (await this.users.registerIfAbsent(SEED_USER.email, SEED_USER.password, true)) {
      this.logger.log(`seeded the ${this.app.env} user ${SEED_USER.email}`);
    }
  }

  private async warnIfSeedRemains(): Promise<void> {
    if (!(await this.users.hasPassword(SEED_USER.email, SEED_USER.password))) return;
    this.logger.warn(
      `the development account ${SEED_USER.email} still exists with its well-known password ` +
        `"${SEED_USER.password}": anyone can sign in as it; delete it or change its password`,
    );
  }
}
