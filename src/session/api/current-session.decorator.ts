import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { rawHttp } from './node-request';
import type { SessionRequest } from './node-request';

/** The session type controllers see: the session API plus the app's `SessionData` keys as properties. */
export type CurrentSession = NonNullable<SessionRequest['session']>;

/**
 * The request's session, on either platform: `handler(@CurrentSession() session: CurrentSession)`. Throws
 * when the request has none (the path is in `skipPaths`, or the app never called `installSessions`).
 */
export const CurrentSession = createParamDecorator(
  (_data: unknown, context: ExecutionContext): CurrentSession => {
    const { req } = rawHttp(context);
    if (!req.session) {
      throw new Error(
        'This request has no session: import SessionModule, call installSessions(app) before init(), ' +
          'and keep the route out of skipPaths',
      );
    }
    return req.session;
  },
);
