import { Logger } from '@nestjs/common';
import type { Transport, Transporter } from 'nodemailer';

/** Bounds on one SMTP send (nodemailer's defaults wait up to 2 min to connect and 10 min idle). */
export const SMTP_TIMEOUTS = {
  connectionTimeout: 5000,
  greetingTimeout: 5000,
  socketTimeout: 10_000,
};

/**
 * The transport for `MAIL_URL`: nodemailer's SMTP transport for `smtp://` and `smtps://`; for `log`, a
 * nodemailer transport of our own that writes each mail (recipient, subject, text part with its links) to
 * the app log and sends nothing; `null` for `none` or unset. Never connects at boot: a mail server that is
 * down must not stop the app, only the flows that mail (503). nodemailer is loaded only when mail is on,
 * so an app with mail off carries none of it in memory.
 */
export async function createMailTransport(
  url: string | null,
  logger: Logger,
): Promise<Transporter | null> {
  if (url === null || url === 'none') return null;
  const { createTransport } = await import('nodemailer');
  if (url === 'log') return createTransport(logTransport(logger));
  return createTransport({ url, ...SMTP_TIMEOUTS });
}

function logTransport(logger: Logger): Transport {
  return {
    name: 'log',
    version: '1',
    send(mail, callback) {
      const { to, subject, text } = mail.data;
      logger.log(
        `mail to ${JSON.stringify(to)}: ${subject}\n${typeof text === 'string' ? text : '(no text part)'}`,
      );
      callback(null, { envelope: mail.message.getEnvelope(), messageId: mail.message.messageId() });
    },
  };
}
