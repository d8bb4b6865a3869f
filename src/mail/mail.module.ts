import { Logger, Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { mailConfig } from '../config/namespaces';
import { MAIL_TRANSPORT, MailService } from './mail.service';
import { createMailTransport } from './mail.transport';

/** `MailService` on the transport `MAIL_URL` names (smtp, smtps, log or none). */
@Module({
  providers: [
    {
      provide: MAIL_TRANSPORT,
      inject: [mailConfig.KEY],
      useFactory: (mail: ConfigType<typeof mailConfig>) =>
        createMailTransport(mail.url, new Logger('Mail')),
    },
    MailService,
  ],
  exports: [MailService],
})
export class MailModule {}
