import {
  applyDecorators,
  CanActivate,
  ExecutionContext,
  Injectable,
  UseGuards,
} from '@nestjs/common';
import { safeNext } from '../common/safe-next';
import { rawHttp } from '../session';
import { ReauthRequiredError } from './accounts.errors';
import { ReauthService } from './reauth.service';

/**
 * Needs a password, TOTP code or passkey entered within `REAUTH_TIMEOUT`, after `LoginGuard` made sure
 * someone is signed in; else `ReauthRequiredError` (JSON 401, a browser to `/reauth?next=…`).
 */
@Injectable()
export class RecentAuthGuard implements CanActivate {
  constructor(private readonly reauth: ReauthService) {}

  canActivate(context: ExecutionContext): boolean {
    const { req } = rawHttp(context);
    if (req.session && this.reauth.isRecent(req.session)) return true;
    // A page comes back to itself; a form post to the settings page it was sent from.
    const next =
      req.method === 'GET' ? safeNext(req.originalUrl ?? req.url, '/account') : '/account';
    throw new ReauthRequiredError(next);
  }
}

/** `@RecentAuth()` on a sensitive route (revoking a session, a second-factor or passkey change). */
export const RecentAuth = () => applyDecorators(UseGuards(RecentAuthGuard));
