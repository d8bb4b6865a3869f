import { BadRequestException, Injectable } from '@nestjs/common';
import { AuthService, PublicUser } from '../auth/auth.service';
import { MailService } from '../mail/mail.service';
import type { CurrentSession } from '../session';
import { TokenService } from '../tokens/token.service';
import { InvalidTokenError, UsedTokenError } from '../tokens/tokens.errors';
import type { User } from '../users/users.repository';
import { EmailTakenError } from '../users/users.errors';
import { normalizeEmail, UsersService } from '../users/users.service';
import { AccountLimits } from './account-limits';

/**
 * Changing a signed-in user's address: the password, then a link to the new address (which proves it)
 * and a notice to the old one; the change applies when the link is confirmed, and the old address hears
 * of it again. The link's token carries the new address and is bound to the old and the new one.
 */
@Injectable()
export class EmailChangeService {
  constructor(
    private readonly users: UsersService,
    private readonly auth: AuthService,
    private readonly tokens: TokenService,
    private readonly mail: MailService,
    private readonly limits: AccountLimits,
  ) {}

  /**
   * @throws MailUnavailableError (503), 429, WrongPasswordError (403, counted as a failed login),
   * EmailTakenError (409), 400 when it is already the address, MailSendError (503).
   */
  async request(
    session: CurrentSession,
    user: PublicUser,
    password: string,
    newEmail: string,
    address: string,
  ): Promise<void> {
    this.mail.assertCanSend();
    await this.limits.take('emailChange', user.id);
    await this.limits.take('passwordChecks', user.id);
    const record = await this.auth.confirmPassword(session, user, password, address);
    const email = normalizeEmail(newEmail);
    if (email === record.email)
      throw new BadRequestException({ error: 'email: is already your address', field: 'email' });
    if (await this.users.findRecordByEmail(email)) throw new EmailTakenError();
    const token = this.tokens.sign('email-change', { uid: user.id, email }, [record.email, email]);
    await this.mail.emailChangeConfirm(email, token);
    await this.mail.emailChangeRequested(record.email, email);
  }

  /**
   * Applies the change of the link. @throws InvalidTokenError, ExpiredTokenError, UsedTokenError (400),
   * EmailTakenError (409: the address was taken meanwhile).
   */
  async confirm(token: string, address: string): Promise<User> {
    await this.limits.takeForClient('tokenChecks', address);
    const found: { oldEmail?: string } = {};
    const { uid, email } = await this.tokens.verify<{ uid: number; email: string }>(
      'email-change',
      token,
      async ({ uid, email }) => {
        const user = typeof uid === 'number' ? await this.users.findRecord(uid) : null;
        found.oldEmail = user?.email;
        return user && [user.email, email];
      },
    );
    if (found.oldEmail === undefined || typeof email !== 'string') throw new InvalidTokenError();
    const outcome = await this.users.changeEmail(uid, found.oldEmail, email);
    if (outcome === 'taken') throw new EmailTakenError();
    if (outcome === 'stale') throw new UsedTokenError();
    await this.mail.emailChanged(found.oldEmail, email);
    return { id: uid, email, emailVerified: true };
  }
}
