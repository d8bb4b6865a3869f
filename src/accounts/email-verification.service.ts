import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { accountsConfig } from '../config/namespaces';
import { MailSendError } from '../mail/mail.errors';
import { MailService } from '../mail/mail.service';
import { TokenService } from '../tokens/token.service';
import { UsedTokenError } from '../tokens/tokens.errors';
import type { User } from '../users/users.repository';
import { UsersService } from '../users/users.service';
import { AccountLimits } from './account-limits';
import { AlreadyVerifiedError, EmailNotVerifiedError } from './accounts.errors';

/**
 * Email verification (`EMAIL_VERIFICATION`): a link at registration, on request, and at a refused login
 * when verification is `required`. The link's token is bound to the address and its verified flag, so it
 * works once, and not after the address changed.
 */
@Injectable()
export class EmailVerificationService {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: TokenService,
    private readonly mail: MailService,
    private readonly limits: AccountLimits,
    @Inject(accountsConfig.KEY) private readonly accounts: ConfigType<typeof accountsConfig>,
  ) {}

  /** Whether this user may not sign in yet (`EMAIL_VERIFICATION=required` and an unverified address). */
  blocksSignIn(user: Pick<User, 'emailVerified'>): boolean {
    return this.accounts.emailVerification === 'required' && !user.emailVerified;
  }

  /**
   * Mails a link to a new account, unless verification or mail is off. A failed send is logged and the
   * account stands (the user can ask again at `POST /verify-email/resend`, or by logging in).
   */
  async afterRegistration(user: User): Promise<void> {
    if (this.accounts.emailVerification === 'off' || this.mail.unavailableReason() !== null) return;
    if (!(await this.limits.tryTake('verificationMails', user.email))) return;
    await this.mail.verifyEmail(user.email, this.tokenFor(user)).catch(ignoreSendError);
  }

  /** A new link for a signed-in user. @throws AlreadyVerifiedError (409), 429, MailUnavailableError/MailSendError (503). */
  async resend(userId: number): Promise<void> {
    this.assertEnabled();
    const user = await this.users.findRecord(userId);
    if (!user) throw new NotFoundException({ error: 'no such user' });
    if (user.emailVerified) throw new AlreadyVerifiedError();
    this.mail.assertCanSend();
    await this.limits.take('verificationMails', user.email);
    await this.mail.verifyEmail(user.email, this.tokenFor(user));
  }

  /** A right password for an unverified address under `required`: a fresh link (while the limit allows), then 403. */
  async refuseSignIn(user: User): Promise<never> {
    if (
      this.mail.unavailableReason() === null &&
      (await this.limits.tryTake('verificationMails', user.email))
    ) {
      await this.mail.verifyEmail(user.email, this.tokenFor(user)).catch(ignoreSendError);
    }
    throw new EmailNotVerifiedError();
  }

  /** Marks the address of the link verified. @throws InvalidTokenError, ExpiredTokenError, UsedTokenError (400); 429 per client address. */
  async verify(token: string, address: string): Promise<User> {
    this.assertEnabled();
    await this.limits.takeForClient('tokenChecks', address);
    let email = '';
    const { uid } = await this.tokens.verify<{ uid: number }>(
      'email-verification',
      token,
      async ({ uid }) => {
        const user = typeof uid === 'number' ? await this.users.findRecord(uid) : null;
        email = user?.email ?? '';
        return user && [user.email, user.emailVerified];
      },
    );
    if (!(await this.users.markEmailVerified(uid, email))) throw new UsedTokenError();
    return { id: uid, email, emailVerified: true };
  }

  private tokenFor(user: Pick<User, 'id' | 'email'>): string {
    return this.tokens.sign('email-verification', { uid: user.id }, [user.email, false]);
  }

  private assertEnabled(): void {
    if (this.accounts.emailVerification === 'off')
      throw new NotFoundException({ error: 'email verification is off (EMAIL_VERIFICATION=off)' });
  }
}

/** `MailService` has logged the failure; the flow goes on without the mail. */
function ignoreSendError(error: unknown): void {
  if (!(error instanceof MailSendError)) throw error;
}
