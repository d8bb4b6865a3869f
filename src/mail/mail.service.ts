import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Transporter } from 'nodemailer';
import { accountsConfig, httpConfig, mailConfig } from '../config/namespaces';
import { MailSendError, MailUnavailableError } from './mail.errors';
import * as templates from './mail.templates';
import type { MailContent } from './mail.templates';

/** The nodemailer transport for `MAIL_URL`, or `null` when mail is off (mail.module.ts makes it). */
export const MAIL_TRANSPORT = Symbol('MAIL_TRANSPORT');

/**
 * Every mail the app sends, one method each. Links are built from `PUBLIC_URL` only, never from the
 * request. The mails a flow depends on (a verification, reset or confirmation link) throw `MailSendError`
 * (503) when the server refuses or does not answer; notices about a change already made (password
 * changed, address changed) log a failure and never undo or fail that change.
 */
@Injectable()
export class MailService implements OnApplicationShutdown {
  private readonly logger = new Logger('Mail');

  constructor(
    @Inject(MAIL_TRANSPORT) private readonly transport: Transporter | null,
    @Inject(mailConfig.KEY) private readonly mail: ConfigType<typeof mailConfig>,
    @Inject(httpConfig.KEY) private readonly http: Pick<ConfigType<typeof httpConfig>, 'publicUrl'>,
    @Inject(accountsConfig.KEY) private readonly accounts: ConfigType<typeof accountsConfig>,
  ) {}

  /** Why no mail can go out (naming the key to set), or `null` when it can. */
  unavailableReason(): string | null {
    if (this.mail.url === 'none') return 'mail is off (MAIL_URL=none); set MAIL_URL=smtp://…';
    if (this.transport === null) return 'MAIL_URL is not set; set MAIL_URL=smtp://…';
    if (this.http.publicUrl === null)
      return 'PUBLIC_URL is not set, so no link can be built; set PUBLIC_URL=https://your.host';
    if (this.mail.from === null) return 'MAIL_FROM is not set; set MAIL_FROM=no-reply@your.host';
    return null;
  }

  /** @throws MailUnavailableError (503 naming the key) when no mail can go out. */
  assertCanSend(): void {
    const reason = this.unavailableReason();
    if (reason !== null) throw new MailUnavailableError(reason);
  }

  async verifyEmail(to: string, token: string): Promise<void> {
    const link = this.link('/verify-email', token);
    await this.send(
      to,
      templates.verifyEmail(this.context(), link, this.accounts.emailTokenTimeoutSeconds),
    );
  }

  async passwordReset(to: string, token: string): Promise<void> {
    const link = this.link('/password/reset', token);
    await this.send(
      to,
      templates.passwordReset(this.context(), link, this.accounts.passwordResetTimeoutSeconds),
    );
  }

  async emailChangeConfirm(to: string, token: string): Promise<void> {
    const link = this.link('/account/email/confirm', token);
    await this.send(
      to,
      templates.emailChangeConfirm(this.context(), link, this.accounts.emailTokenTimeoutSeconds),
    );
  }

  async passwordChanged(to: string): Promise<void> {
    await this.notify(to, templates.passwordChanged(this.context(), new Date()));
  }

  async emailChangeRequested(to: string, newEmail: string): Promise<void> {
    await this.notify(to, templates.emailChangeRequested(this.context(), newEmail));
  }

  async emailChanged(to: string, newEmail: string): Promise<void> {
    await this.notify(to, templates.emailChanged(this.context(), newEmail));
  }

  async passkeyAdded(to: string, name: string): Promise<void> {
    await this.notify(to, templates.passkeyAdded(this.context(), name, new Date()));
  }

  async passkeyRemoved(to: string, name: string): Promise<void> {
    await this.notify(to, templates.passkeyRemoved(this.context(), name, new Date()));
  }

  /** A sign-in from a new device and network, with a link to the list of sessions. */
  async newSignIn(to: string, signIn: templates.SignInNotice): Promise<void> {
    // A notice: with mail off or without PUBLIC_URL (warned at boot) there is nothing to send.
    if (this.unavailableReason() !== null) return;
    const link = new URL('/account/sessions', this.publicUrl()).toString();
    await this.notify(to, templates.newSignIn(this.context(), link, signIn));
  }

  /** Two-factor authentication turned on or off, or new recovery codes: a notice, sent after the change. */
  async twoFactorChanged(to: string, change: templates.TwoFactorChange): Promise<void> {
    if (this.unavailableReason() !== null) return;
    const link = new URL('/account', this.publicUrl()).toString();
    await this.notify(to, templates.twoFactorChanged(this.context(), link, change, new Date()));
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }

  private link(path: string, token: string): string {
    const url = new URL(path, this.publicUrl());
    url.searchParams.set('token', token);
    return url.toString();
  }

  private publicUrl(): string {
    if (this.http.publicUrl === null)
      throw new MailUnavailableError(this.unavailableReason() ?? '');
    return this.http.publicUrl;
  }

  private context(): templates.MailContext {
    return { site: new URL(this.publicUrl()).host };
  }

  /** Sends a mail a flow depends on. @throws MailUnavailableError; MailSendError (logged). */
  private async send(to: string, content: MailContent): Promise<void> {
    this.assertCanSend();
    try {
      await this.transport!.sendMail({ from: this.mail.from!, to, ...content });
    } catch (error) {
      this.logger.error(`"${content.subject}" to ${to} could not be sent: ${String(error)}`);
      throw new MailSendError(error);
    }
  }

  /** Sends a notice about a change already made: a failure, or mail being off, is logged only. */
  private async notify(to: string, content: MailContent): Promise<void> {
    const reason = this.unavailableReason();
    if (reason !== null) {
      if (this.mail.url !== 'none')
        this.logger.warn(`"${content.subject}" to ${to} not sent: ${reason}`);
      return;
    }
    await this.send(to, content).catch(() => undefined);
  }
}
