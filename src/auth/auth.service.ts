import { Injectable } from '@nestjs/common';
import type { Session } from '../session/session.decorator';
import { UsersService } from '../users/users.service';
import { InvalidCredentialsError, LoginRequiredError } from './auth.errors';
import { LoginDto, RegisterDto } from './dto/login.dto';
import { LoginThrottleService } from './login-throttle.service';

export interface PublicUser {
  id: number;
  email: string;
}

declare module '../session/session-data' {
  interface SessionData {
    user_id: number;
  }
}

/** Login, logout and "who is signed in", on any session store. */
@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly throttle: LoginThrottleService,
  ) {}

  /**
   * Checks the credentials, then clears and regenerates the session (no fixation; an anonymous cart does not
   * survive, as in the guide) and signs the user in, permanent when `remember` is set.
   */
  async login(session: Session, dto: LoginDto, address: string): Promise<PublicUser> {
    await this.throttle.assertAllowed(dto.email, address);
    const user = await this.users.verifyCredentials(dto.email, dto.password);
    if (!user) {
      await this.throttle.recordFailure(dto.email, address);
      throw new InvalidCredentialsError();
    }
    await this.throttle.recordSuccess(dto.email);
    session.clear();
    await session.regenerate();
    session.user_id = user.id;
    session.permanent = dto.remember;
    return toPublic(user);
  }

  async register(dto: RegisterDto): Promise<PublicUser> {
    return toPublic(await this.users.register(dto.email, dto.password));
  }

  /** Destroys the session: stores drop it, and the client's cookie is expired. */
  async logout(session: Session): Promise<void> {
    await session.destroy();
  }

  /** The signed-in user, or `null` (also when the user was deleted since). */
  async currentUser(session: Session): Promise<PublicUser | null> {
    const id = session.user_id;
    if (typeof id !== 'number') return null;
    const user = await this.users.findById(id);
    return user ? toPublic(user) : null;
  }

  async requireUser(session: Session): Promise<PublicUser> {
    const user = await this.currentUser(session);
    if (!user) throw new LoginRequiredError();
    return user;
  }
}

function toPublic(user: PublicUser): PublicUser {
  return { id: user.id, email: user.email };
}
