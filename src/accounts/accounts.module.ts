import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { WebModule } from '../common/web.module';
import { CsrfModule } from '../csrf/csrf.module';
import { PasskeysDataModule } from '../passkeys/passkeys-data.module';
import { AccountController } from './account.controller';
import { AccountService } from './account.service';
import { EmailChangeService } from './email-change.service';
import { PasswordController } from './password.controller';
import { PasswordService } from './password.service';
import { ReauthController } from './reauth.controller';
import { SessionsController } from './sessions.controller';
import { ReauthService } from './reauth.service';
import { RecentAuthGuard } from './recent-auth.guard';
import { VerificationController } from './verification.controller';
import { TwoFactorCoreModule } from '../two-factor/two-factor-core.module';

/**
 * The account lifecycle after sign-in: verification, password reset and change, email change,
 * re-authentication (`@RecentAuth()`, exported for the modules whose routes need it), the settings page.
 */
@Module({
  imports: [AuthModule, WebModule, CsrfModule, TwoFactorCoreModule, PasskeysDataModule],
  controllers: [
    AccountController,
    PasswordController,
    VerificationController,
    ReauthController,
    SessionsController,
  ],
  providers: [AccountService, PasswordService, EmailChangeService, ReauthService, RecentAuthGuard],
  exports: [ReauthService, RecentAuthGuard],
})
export class AccountsModule {}
