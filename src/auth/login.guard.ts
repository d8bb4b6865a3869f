import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { rawHttp } from '../session';
import { LoginRequiredError } from './auth.errors';
import { AuthService } from './auth.service';
import { CURRENT_USER, RequestWithUser } from './current-user.decorator';
import { IS_PUBLIC } from './public.decorator';

/**
 * The app-wide guard (`APP_GUARD`): a route not marked `@Public()` needs a signed-in user, loaded from
 * the session on each request as `AuthService.currentUser` loads it (so a deleted user, or a session
 * ended by `POST /logout/all`, is signed out at once), and handed to `@CurrentUser()`. Otherwise
 * `LoginRequiredError`: JSON 401, or a page's redirect to `/login?next=…`.
 */
@Injectable()
export class LoginGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const { req } = rawHttp(context);
    const user = req.session ? await this.auth.currentUser(req.session) : null;
    if (!user) throw new LoginRequiredError();
    (req as RequestWithUser)[CURRENT_USER] = user;
    return true;
  }
}
