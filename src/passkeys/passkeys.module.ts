import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuthModule } from '../auth/auth.module';
import { WebModule } from '../common/web.module';
import { PasskeyAssertions } from './passkey-assertions';
import { PasskeyChallenges } from './passkey-challenges';
import { PasskeyReauthController } from './passkey-reauth.controller';
import { PasskeySignInController } from './passkey-sign-in.controller';
import { PasskeySignInService } from './passkey-sign-in.service';
import { PasskeysController } from './passkeys.controller';
import { PasskeysDataModule } from './passkeys-data.module';
import { PasskeysService } from './passkeys.service';
import { RelyingPartyConfig } from './relying-party';

/** Passkeys (WebAuthn): registration and management on the account, passwordless sign-in. */
@Module({
  imports: [AuthModule, AccountsModule, WebModule, PasskeysDataModule],
  controllers: [PasskeysController, PasskeySignInController, PasskeyReauthController],
  providers: [
    PasskeysService,
    PasskeySignInService,
    PasskeyAssertions,
    PasskeyChallenges,
    RelyingPartyConfig,
  ],
})
export class PasskeysModule {}
