import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.constants';
import { PasswordHasher } from './password-hasher';
import { UsersRepository } from './users.repository';
import { UsersSeeder } from './users.seeder';
import { UsersService } from './users.service';

/** Accounts on the global `DatabaseModule`: exports `UsersService` (register, verify credentials). */
@Module({
  providers: [
    {
      provide: PasswordHasher,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new PasswordHasher({ concurrency: config.passwordHashConcurrency }),
    },
    UsersRepository,
    UsersService,
    UsersSeeder,
  ],
  exports: [UsersService],
})
export class UsersModule {}
