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
 * `LoginRequiredError`: JSON 401, or a page's redirect to `/login?next=…`. On public routes a session
 * that says it is signed in is checked the same way, so a revoked one is destroyed before the handler
 * can write into it (the user is cached per process: no query per request).
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
    const { req } = rawHttp(context);
    // The platform's view of the client address (behind TRUST_PROXY): the sign-in record's last seen.
    const address = context.switchToHttp().getRequest<{ ip?: string }>().ip;
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) {
      if (typeof req.session?.peek('user_id') === 'number')
        await this.auth.currentUser(req.session, address);
      return true;
    }
    const user = req.session ? await this.auth.currentUser(req.session, address) : null;
    if (!user) throw new LoginRequiredError();
    (req as RequestWithUser)[CURRENT_USER] = user;
    return true;
  }
}
