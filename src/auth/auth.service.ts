import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import type { CurrentSession } from '../session';
import { CsrfService } from '../csrf/csrf.service';
import { UsersService } from '../users/users.service';
import { InvalidCredentialsError } from './auth.errors';
import { LoginDto, RegisterDto } from './dto/login.dto';
import type { PublicUser } from './dto/user.dto';
import { LoginThrottleService, Reservation } from './login-throttle.service';

export type { PublicUser } from './dto/user.dto';

declare module '../session' {
  interface SessionData {
    user_id: number;
    /** The user's session generation at login; a session whose generation moved on is signed out. */
    user_generation: number;
  }
}

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
  ) {}

  /**
   * Reserves the attempt in the throttle, checks the credentials, then clears and regenerates the session
   * (no fixation; an anonymous cart does not survive, as in the guide) and signs the user in, permanent
   * when `remember` is set. The session gets its CSRF secret here, inside the login's write turn, so the
   * page views that follow (a browser restoring eight tabs at once) read it and never write.
   */
  async login(session: CurrentSession, dto: LoginDto, address: string): Promise<PublicUser> {
    const attempt = await this.throttle.reserveLogin(dto.email, address);
    const user = await unlessUnavailable(
      () => this.users.verifyCredentials(dto.email, dto.password),
      attempt,
    );
    if (!user) throw new InvalidCredentialsError();
    await attempt.succeeded();
    session.clear();
    await session.regenerate();
    session.user_id = user.id;
    session.user_generation = user.sessionGeneration;
    session.permanent = dto.remember;
    this.csrf.bindToSession(session);
    return toPublic(user);
  }

  /** Registers an account, throttled per client address before the password is hashed. */
  async register(dto: RegisterDto, address: string): Promise<PublicUser> {
    const slot = await this.throttle.reserveRegistration(address);
    return toPublic(
      await unlessUnavailable(() => this.users.register(dto.email, dto.password), slot),
    );
  }

  /** Destroys the session: stores drop it, and the client's cookie is expired. */
  async logout(session: CurrentSession): Promise<void> {
    await session.destroy();
  }

  /**
   * Ends every session of `user`, on every store and instance, copied cookie-store cookies included, and
   * this one with them.
   */
  async logoutEverywhere(user: PublicUser, session: CurrentSession): Promise<void> {
    await this.users.revokeSessions(user.id);
    await session.destroy();
  }

  /**
   * The signed-in user, or `null`: also when the user was deleted since, or when the session was signed
   * in before the user's last `POST /logout/all` or password change (its generation is behind). Such a
   * revoked session is destroyed here, so nothing more is written into it and its cookie is expired.
   */
  async currentUser(session: CurrentSession): Promise<PublicUser | null> {
    const id = session.user_id;
    if (typeof id !== 'number') return null;
    const user = await this.users.findById(id);
    if (!user || user.sessionGeneration !== (session.user_generation ?? 0)) {
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
