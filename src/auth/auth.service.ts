import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { WrongPasswordError } from '../accounts/accounts.errors';
import { EmailVerificationService } from '../accounts/email-verification.service';
import type { CurrentSession } from '../session';
import { CsrfService } from '../csrf/csrf.service';
import type { User, UserRecord } from '../users/users.repository';
import { UsersService } from '../users/users.service';
import { MailService } from '../mail/mail.service';
import { SessionRecordsService } from './session-records.service';
import type { RequestClient } from '../common/negotiation';
import { InvalidCredentialsError, LoginRequiredError } from './auth.errors';
import { LoginDto, RegisterDto } from './dto/login.dto';
import type { PublicUser } from './dto/user.dto';
import { LoginThrottleService, Reservation } from './login-throttle.service';
import { beginPendingLogin } from '../two-factor/pending-logins';
import { TwoFactorService } from '../two-factor/two-factor.service';

export type { PublicUser } from './dto/user.dto';

declare module '../session' {
  interface SessionData {
    user_id: number;
    /** The id of this sign-in's record (`SessionRecordsService`): the session is signed in while it lives. */
    session_record: string;
    /**
     * When the user last proved who they are (seconds since the epoch): a password at login or
     * `/reauth`, later a code or passkey. Sensitive changes need it within `REAUTH_TIMEOUT`.
     */
    auth_at: number;
  }
}

/** Seconds since the epoch, as `auth_at` holds it. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** What `AuthService.login` returns when the password was right and a second factor must follow. */
export const TWO_FACTOR_REQUIRED = {
  twoFactorRequired: true,
  methods: ['totp', 'recovery'],
} as const;

/** Whether session values belong to a signed-in user: `SessionModule`'s `isSignedIn`. */
export function isSignedIn(values: Record<string, unknown>): boolean {
  return typeof values.user_id === 'number';
}

/** Login, logout and "who is signed in", on any session store. */
@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly throttle: LoginThrottleService,
    private readonly csrf: CsrfService,
    private readonly verification: EmailVerificationService,
    private readonly records: SessionRecordsService,
    private readonly mail: MailService,
    private readonly twoFactor: TwoFactorService,
  ) {}

  /**
   * Reserves the attempt in the throttle, checks the credentials (an unverified address is refused when
   * `EMAIL_VERIFICATION=required`), then signs the user in (`signIn`), or, for a user with a second
   * factor, leaves the session pending it (`TWO_FACTOR_REQUIRED`; `POST /login/2fa` finishes it).
   */
  async login(
    session: CurrentSession,
    dto: LoginDto,
    client: RequestClient,
  ): Promise<PublicUser | typeof TWO_FACTOR_REQUIRED> {
    const { address } = client;
    const attempt = await this.throttle.reserveLogin(dto.email, address);
    const user = await unlessUnavailable(
      () => this.users.verifyCredentials(dto.email, dto.password),
      attempt,
    );
    if (!user) throw new InvalidCredentialsError();
    await attempt.succeeded();
    if (this.verification.blocksSignIn(user)) await this.verification.refuseSignIn(user);
    if (await this.twoFactor.isOn(user.id)) {
      await beginPendingLogin(session, user, { remember: dto.remember, next: dto.next });
      return TWO_FACTOR_REQUIRED;
    }
    await this.signIn(session, user, { remember: dto.remember, client });
    return toPublic(user);
  }

  /**
   * The one way a session becomes signed in, whatever proved who the user is (a password, later a second
   * factor or a passkey): a record of the sign-in is made (its device and network; a new pair for an
   * account that signed in before gets a "new sign-in" mail, sent after the response), then the session is
   * cleared and regenerated (no fixation; an anonymous cart does not survive, as in the guide), holds the
   * user, the record and when they proved it, is permanent when `remember` is set, and gets its CSRF secret
   * here, inside the sign-in's write turn, so the page views that follow (a browser restoring eight tabs at
   * once) read it and never write.
   */
  async signIn(
    session: CurrentSession,
    user: Pick<User, 'id' | 'email'>,
    options: { remember: boolean; client: RequestClient },
  ): Promise<void> {
    const record = await this.records.start(user.id, options.client);
    session.clear();
    await session.regenerate();
    session.user_id = user.id;
    session.session_record = record.id;
    session.auth_at = nowSeconds();
    session.permanent = options.remember;
    this.csrf.bindToSession(session);
    if (record.newDevice) {
      const notice = { device: record.device, address: options.client.address, when: new Date() };
      void this.mail.newSignIn(user.email, notice);
    }
  }

  /**
   * Registers an account, throttled per client address before the password is hashed, and mails it a
   * verification link (unless `EMAIL_VERIFICATION=off` or mail is off).
   */
  async register(dto: RegisterDto, address: string): Promise<User> {
    const slot = await this.throttle.reserveRegistration(address);
    const user = await unlessUnavailable(() => this.users.register(dto.email, dto.password), slot);
    await this.verification.afterRegistration(user);
    return { id: user.id, email: user.email, emailVerified: user.emailVerified };
  }

  /**
   * Checks the signed-in user's own password before a change, counted like a login attempt (a wrong one
   * is a failed login for the throttle), and marks the session recently authenticated.
   * @throws WrongPasswordError (403, naming `field`), TooManyLoginAttemptsError (429), 503.
   */
  async confirmPassword(
    session: CurrentSession,
    user: PublicUser,
    password: string,
    address: string,
    field = 'password',
  ): Promise<UserRecord> {
    const attempt = await this.throttle.reserveLogin(user.email, address);
    const record = await unlessUnavailable(
      () => this.users.checkPassword(user.id, password),
      attempt,
    );
    if (record === null) throw new LoginRequiredError();
    if (record === false) throw new WrongPasswordError(field);
    await attempt.succeeded();
    session.auth_at = nowSeconds();
    return record;
  }

  /**
   * Keeps this session signed in after a change that ended the others (a password change): a new id (no
   * fixation), the same values and sign-in record.
   */
  async keepSignedIn(session: CurrentSession): Promise<void> {
    const values = session.toJSON();
    const permanent = session.permanent;
    await session.regenerate();
    for (const [key, value] of Object.entries(values)) session.set(key, value);
    session.auth_at = nowSeconds();
    session.permanent = permanent;
  }

  /** Ends this sign-in's record and destroys the session: stores drop it, the cookie is expired. */
  async logout(session: CurrentSession): Promise<void> {
    const userId = session.user_id;
    const record = session.session_record;
    if (typeof userId === 'number' && typeof record === 'string') {
      await this.records.endOne(userId, record);
    }
    await session.destroy();
  }

  /**
   * Ends every session of `user`, on every store and instance, copied cookie-store cookies included, and
   * this one with them.
   */
  async logoutEverywhere(user: PublicUser, session: CurrentSession): Promise<void> {
    await this.records.endAll(user.id);
    await session.destroy();
  }

  /** Ends every other session of `user`; this one stays signed in. */
  async logoutOthers(user: PublicUser, session: CurrentSession): Promise<void> {
    await this.records.endAll(user.id, session.session_record);
  }

  /**
   * The signed-in user, or `null`: also when the user was deleted since, or when the session's sign-in
   * record has ended (a logout elsewhere of this device, `POST /logout/all`, a password change or reset)
   * or expired, or the session has none (signed in before records existed). Such a session is destroyed
   * here, so nothing more is written into it and its cookie is expired. `address` refreshes the record's.
   */
  async currentUser(session: CurrentSession, address?: string): Promise<PublicUser | null> {
    const id = session.user_id;
    if (typeof id !== 'number') return null;
    const live = await this.records.isLive(session.session_record, id, address);
    const user = live ? await this.users.findById(id) : null;
    if (!user) {
      await session.destroy();
      return null;
    }
    return toPublic(user);
  }
}

/** Runs `work`; a 503 (busy hashing, database down) means no password was checked, so the count is given back. */
async function unlessUnavailable<T>(
  work: () => Promise<T>,
  reservation: Pick<Reservation, 'cancel'>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ServiceUnavailableException) await reservation.cancel();
    throw error;
  }
}

function toPublic(user: PublicUser): PublicUser {
  return { id: user.id, email: user.email };
}
