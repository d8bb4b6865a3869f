import { Module } from '@nestjs/common';
import { VerificationModule } from '../accounts/verification.module';
import { APP_GUARD } from '@nestjs/core';
import { WebModule } from '../common/web.module';
import { CsrfModule } from '../csrf/csrf.module';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { LoginGuard } from './login.guard';
import { LoginThrottleService } from './login-throttle.service';
import { SessionRecordsRepository } from './session-records.repository';
import { SessionRecordsService } from './session-records.service';
import { TwoFactorCoreModule } from '../two-factor/two-factor-core.module';

@Module({
  imports: [UsersModule, WebModule, CsrfModule, VerificationModule, TwoFactorCoreModule],
  controllers: [AuthController],
  providers: [
    AuthService,
    LoginThrottleService,
    SessionRecordsRepository,
    SessionRecordsService,
    { provide: APP_GUARD, useClass: LoginGuard },
  ],
  exports: [AuthService, SessionRecordsService, UsersModule, VerificationModule],
})
export class AuthModule {}
