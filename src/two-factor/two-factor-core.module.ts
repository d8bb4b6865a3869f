import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { sessionConfig } from '../config/namespaces';
import { MailModule } from '../mail/mail.module';
import { RecoveryCodeHasher } from './recovery-codes';
import { TotpSecretCipher } from './two-factor.cipher';
import { TwoFactorRepository } from './two-factor.repository';
import { TwoFactorService } from './two-factor.service';

type SessionConfig = ConfigType<typeof sessionConfig>;

/** `SECRET_KEY` first, then the fallbacks: the first keys new data, every one reads. */
function secretsOf(session: SessionConfig): string[] {
  return session.secretKey === null ? [] : [session.secretKey, ...session.secretKeyFallbacks];
}

/**
 * `TwoFactorService` with its storage and keys, and nothing of sign-in: `AuthModule` (the password step
 * asks whether a second one follows) and `AccountsModule` (`/reauth` with a code) import it, and
 * `TwoFactorModule` (the routes) builds on both.
 */
@Module({
  imports: [MailModule],
  providers: [
    TwoFactorRepository,
    TwoFactorService,
    {
      provide: TotpSecretCipher,
      inject: [sessionConfig.KEY],
      useFactory: (session: SessionConfig) => new TotpSecretCipher(secretsOf(session)),
    },
    {
      provide: RecoveryCodeHasher,
      inject: [sessionConfig.KEY],
      useFactory: (session: SessionConfig) => new RecoveryCodeHasher(secretsOf(session)),
    },
  ],
  exports: [TwoFactorService],
})
export class TwoFactorCoreModule {}
