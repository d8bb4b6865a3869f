import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { accountsConfig, sessionConfig } from '../config/namespaces';
import { TokenService } from './token.service';

/** `TokenService` keyed from `SECRET_KEY` and its fallbacks, with the lifetimes of `PASSWORD_RESET_TIMEOUT` and `EMAIL_TOKEN_TIMEOUT`. */
@Module({
  providers: [
    {
      provide: TokenService,
      inject: [sessionConfig.KEY, accountsConfig.KEY],
      useFactory: (
        session: ConfigType<typeof sessionConfig>,
        accounts: ConfigType<typeof accountsConfig>,
      ) =>
        new TokenService({
          secrets:
            session.secretKey === null ? [] : [session.secretKey, ...session.secretKeyFallbacks],
          lifetimes: {
            'password-reset': accounts.passwordResetTimeoutSeconds,
            'email-verification': accounts.emailTokenTimeoutSeconds,
            'email-change': accounts.emailTokenTimeoutSeconds,
          },
        }),
    },
  ],
  exports: [TokenService],
})
export class TokensModule {}
