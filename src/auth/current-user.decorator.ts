import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { rawHttp } from '../session';
import type { PublicUser } from './auth.service';

/** Where `LoginGuard` leaves the user it loaded, on Node's request (Passport's `req.user` stays its own). */
export const CURRENT_USER = Symbol('currentUser');

export type RequestWithUser = { [CURRENT_USER]?: PublicUser };

/**
 * The signed-in user of a route `LoginGuard` protects: `dashboard(@CurrentUser() user: PublicUser)`.
 * Throws on a `@Public()` route, where nobody made sure someone is signed in.
 */
export const CurrentUser = createParamDecorator((_: unknown, context: ExecutionContext) => {
  const user = (rawHttp(context).req as RequestWithUser)[CURRENT_USER];
  if (!user) throw new Error('@CurrentUser() needs a route LoginGuard protects (not @Public())');
  return user;
});
