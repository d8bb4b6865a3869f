import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuthModule } from '../auth/auth.module';
import { WebModule } from '../common/web.module';
import { CsrfModule } from '../csrf/csrf.module';
import { LoginTwoFactorController } from './login-two-factor.controller';
import { SecondStepService } from './second-step.service';
import { TwoFactorCoreModule } from './two-factor-core.module';
import { TwoFactorController } from './two-factor.controller';

/** The two-factor routes: `/account/2fa/*` (behind `@RecentAuth()`) and the sign-in's `/login/2fa`. */
@Module({
  imports: [AuthModule, AccountsModule, TwoFactorCoreModule, WebModule, CsrfModule],
  controllers: [TwoFactorController, LoginTwoFactorController],
  providers: [SecondStepService],
})
export class TwoFactorModule {}
