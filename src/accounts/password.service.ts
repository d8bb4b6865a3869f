import { Injectable, Logger } from '@nestjs/common';
import { AuthService, PublicUser } from '../auth/auth.service';
import { SessionRecordsService } from '../auth/session-records.service';
import { MailSendError } from '../mail/mail.errors';
import { MailService } from '../mail/mail.service';
import type { CurrentSession } from '../session';
import { TokenService } from '../tokens/token.service';
import { InvalidTokenError, UsedTokenError } from '../tokens/tokens.errors';
import type { UserRecord } from '../users/users.repository';
import { UsersService } from '../users/users.service';
import { AccountLimits } from './account-limits';
import { PasswordChangedMeanwhileError } from './accounts.errors';

/**
 * Forgotten passwords (a reset link, then a new password) and password changes by a signed-in user.
 * A reset link's token is bound to the password hash and the address: it works once, and not after any
 * other password or address change. Both flows end sessions through one call, `UsersService.changePassword`.
 */
@Injectable()
export class PasswordService {
  private readonly logger = new Logger(PasswordService.name);

  constructor(
    private readonly users: UsersService,
    private readonly auth: AuthService,
    private readonly tokens: TokenService,
    private readonly mail: MailService,
    private readonly limits: AccountLimits,
    private readonly records: SessionRecordsService,
  ) {}

  /**
   * Mails a reset link when `email` has an account and its mail limit allows; answers the same whether or
   * not it has one (no enumeration). The mail is sent after the answer, so its time does not tell either;
   * a failed send is logged. @throws 429 (per client address), MailUnavailableError (503, whatever the address).
   */
  async forgot(email: string, address: string): Promise<void> {
    this.mail.assertCanSend();
    await this.limits.takeForClient('forgotClient', address);
    const user = await this.users.findRecordByEmail(email);
    if (!user || !(await this.limits.tryTake('resetMails', user.email))) return;
    const token = this.tokens.sign('password-reset', { uid: user.id }, resetState(user));
    void this.mail.passwordReset(user.email, token).catch((error: unknown) => {
      // MailService logged a failed send; anything else is logged here, never an unhandled rejection.
      if (!(error instanceof MailSendError)) this.logger.error(error);
    });
  }

  /**
   * Sets the password of the link's user, marks the address verified (the link reached it), ends every
   * session of the user on every store and instance, and mails "password changed". Does not sign in.
   * @throws InvalidTokenError, ExpiredTokenError, UsedTokenError (400); 429 per client address.
   */
  async reset(token: string, password: string, address: string): Promise<void> {
    await this.limits.takeForClient('tokenChecks', address);
    const found: { user?: UserRecord | null } = {};
    await this.tokens.verify<{ uid: number }>('password-reset', token, async ({ uid }) => {
      found.user = typeof uid === 'number' ? await this.users.findRecord(uid) : null;
      return found.user && resetState(found.user);
    });
    if (!found.user) throw new InvalidTokenError();
    const { id, email, passwordHash } = found.user;
    // Sessions end first: a failure before the password changes leaves the user signed out, never in.
    await this.records.endAll(id);
    const changed = await this.users.changePassword(id, password, {
      expectedHash: passwordHash,
      markEmailVerified: true,
    });
    if (!changed) throw new UsedTokenError();
    await this.mail.passwordChanged(email);
  }

  /**
   * Changes a signed-in user's password after checking the current one (a wrong one counts as a failed
   * login, 403); ends every other session and keeps this one, under a new id. Mails "password changed".
   */
  async change(
    session: CurrentSession,
    user: PublicUser,
    currentPassword: string,
    password: string,
    address: string,
  ): Promise<void> {
    await this.limits.take('passwordChecks', user.id);
    const record = await this.auth.confirmPassword(
      session,
      user,
      currentPassword,
      address,
      'currentPassword',
    );
    await this.records.endAll(user.id, session.session_record);
    const changed = await this.users.changePassword(user.id, password, {
      expectedHash: record.passwordHash,
    });
    if (!changed) throw new PasswordChangedMeanwhileError();
    await this.auth.keepSignedIn(session);
    await this.mail.passwordChanged(record.email);
  }
}

function resetState(user: UserRecord): readonly string[] {
  return [user.passwordHash, user.email];
}
