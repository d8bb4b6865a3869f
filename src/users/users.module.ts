import { Module } from '@nestjs/common';
import { PasswordHasher } from './password-hasher';
import { UsersRepository } from './users.repository';
import { UsersSeeder } from './users.seeder';
import { UsersService } from './users.service';

/** Accounts on the global `DatabaseModule`: exports `UsersService` (register, verify credentials). */
@Module({
  providers: [PasswordHasher, UsersRepository, UsersService, UsersSeeder],
  exports: [UsersService],
})
export class UsersModule {}
