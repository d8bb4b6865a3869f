import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { LoginRequiredError } from '../auth/auth.errors';
import { accountsConfig } from '../config/namespaces';
import { MailService } from '../mail/mail.service';
import { UsersService } from '../users/users.service';
import { SessionRecordsService } from '../auth/session-records.service';
import type { AccountPageData, AccountView } from '../views/account-pages';
import { sessionViews } from './sessions.controller';
import { TwoFactorService } from '../two-factor/two-factor.service';
import { PasskeysRepository } from '../passkeys/passkeys.repository';
import { view as passkeyView } from '../passkeys/passkey-view';

/** The settings page's view of an account, and what the pages tell a user after registering. */
@Injectable()
export class AccountService {
  constructor(
    private readonly users: UsersService,
    private readonly mail: MailService,
    @Inject(accountsConfig.KEY)
    private readonly accounts: Pick<ConfigType<typeof accountsConfig>, 'emailVerification'>,
    private readonly records: SessionRecordsService,
    private readonly twoFactor: TwoFactorService,
    private readonly passkeys: PasskeysRepository,
  ) {}

  /** What the settings page shows: the account, and its live sessions with `current` marked. */
  async page(userId: number, currentRecord: unknown): Promise<AccountPageData> {
    const [account, sessions, passkeys] = await Promise.all([
      this.view(userId),
      sessionViews(this.records, userId, currentRecord),
      this.passkeys.listFor(userId),
    ]);
    return { account, sessions, passkeys: passkeys.map(passkeyView) };
  }

  async view(userId: number): Promise<AccountView> {
    const [user, twoFactor, passkeys] = await Promise.all([
      this.users.findById(userId),
      this.twoFactor.isOn(userId),
      this.passkeys.countFor(userId),
    ]);
    if (!user) throw new LoginRequiredError();
    return {
      id: user.id,
      email: user.email,
      emailVerified: user.emailVerified,
      twoFactor,
      passkeys,
    };
  }

  /** Whether registering mails a verification link (verification on, and mail on). */
  registrationMails(): boolean {
    return this.accounts.emailVerification !== 'off' && this.mail.unavailableReason() === null;
  }
}
