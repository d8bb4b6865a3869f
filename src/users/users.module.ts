import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { authConfig } from '../config/namespaces';
import { PasswordHasher } from './password-hasher';
import { UsersRepository } from './users.repository';
import { UsersSeeder } from './users.seeder';
import { UsersService } from './users.service';

/** Accounts on the global `DatabaseModule`: exports `UsersService` (register, verify credentials). */
@Module({
  providers: [
    {
      provide: PasswordHasher,
      inject: [authConfig.KEY],
      useFactory: (auth: ConfigType<typeof authConfig>) =>
        new PasswordHasher({ concurrency: auth.passwordHashConcurrency }),
    },
    UsersRepository,
    UsersService,
    UsersSeeder,
  ],
  exports: [UsersService],
})
export class UsersModule {}
