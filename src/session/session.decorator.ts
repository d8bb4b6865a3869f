import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { rawHttp } from './http-context';
import type { RequestSession } from './request-session';
import type { SessionData } from './session-data';

/** The session type controllers see: the session API plus the app's `SessionData` keys as properties. */
export type Session = RequestSession & Partial<SessionData>;

/**
 * The request's session, on either platform: `handler(@Session() session: Session)`. Throws when the
 * request has none (the path is in `skipPaths`, or `SessionModule` is not imported).
 */
export const Session = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Session => {
    const { req } = rawHttp(context);
    if (!req.session) {
      throw new Error(
        'This request has no session: import SessionModule, and keep the route out of skipPaths',
      );
    }
    return req.session;
  },
);
