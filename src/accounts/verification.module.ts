import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { TokensModule } from '../tokens/tokens.module';
import { UsersModule } from '../users/users.module';
import { AccountLimits } from './account-limits';
import { EmailVerificationService } from './email-verification.service';

/**
 * What sign-in needs of the account flows (the verification mail at registration and at a refused
 * login), apart from `AccountsModule` so that `AuthModule` can import it without a cycle.
 */
@Module({
  imports: [UsersModule, MailModule, TokensModule],
  providers: [EmailVerificationService, AccountLimits],
  exports: [EmailVerificationService, AccountLimits, MailModule, TokensModule],
})
export class VerificationModule {}
