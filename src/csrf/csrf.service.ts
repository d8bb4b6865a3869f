import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { stringifySetCookie } from 'cookie';
import Tokens from 'csrf';
import { doubleCsrf, DoubleCsrfUtilities } from 'csrf-csrf';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sessionConfig } from '../config/namespaces';
import type { CurrentSession } from '../session/index';
import {
  appendSetCookie,
  boundPurpose,
  deriveKeys,
  rawCookieValue,
  SessionUnavailableError,
} from '../session/index';

/** Where a signed-in session keeps its CSRF secret: written once, at login, inside its write turn. */
const SECRET_KEY = 'csrf_secret';

declare module '../session/index' {
  interface SessionData {
    [SECRET_KEY]: string;
  }
}

/** The request and response a form is rendered for or posted on, as Node has them on either platform. */
export interface FormHttp {
  req: IncomingMessage & { session?: CurrentSession };
  res: ServerResponse;
}

/**
 * CSRF tokens for every form, storing nothing for visitors. A signed-in session has its own secret
 * (synchroniser tokens, the `csrf` package), made at login inside the login's write turn, so page views
 * never write the session. Anyone else (a visitor, a session from before this rule) gets a stateless
 * double-submit token (csrf-csrf): an HMAC under a key derived from `SECRET_KEY`, bound to a random value
 * in a cookie of its own (`csrf`, `__Host-csrf` beside a `__Host-` session cookie), so it stores nothing
 * server-side and a cross-site page, which can neither read nor set that cookie, cannot forge it. csrf-csrf
 * is written for Express (`req.cookies`, `res.cookie`); the two small shims below give it Node's request and
 * response, so one code path serves Fastify too.
 */
@Injectable()
export class CsrfService {
  private readonly sessionTokens = new Tokens();
  private readonly visitorTokens: DoubleCsrfUtilities | null;
  private readonly cookieName: string;

  constructor(@Inject(sessionConfig.KEY) session: ConfigType<typeof sessionConfig>) {
    const { cookie } = session;
    const prefix = /^__(host|secure)-/i.exec(cookie.name)?.[0] ?? '';
    this.cookieName = `${prefix}csrf`;
    const secrets =
      session.secretKey === null ? [] : [session.secretKey, ...session.secretKeyFallbacks];
    const binding = { appId: session.appId, cookieName: this.cookieName };
    const keys = deriveKeys(secrets, boundPurpose('csrf visitor token hmac-sha256', binding));
    this.visitorTokens =
      keys.length === 0
        ? null
        : doubleCsrf({
            getSecret: () => keys.map((key) => key.toString('hex')),
            // Visitors have no session: the token is bound to the random value in its own cookie.
            getSessionIdentifier: () => '',
            cookieName: this.cookieName,
            cookieOptions: {
              path: '/',
              secure: cookie.secure,
              httpOnly: true,
              sameSite: cookie.sameSite.toLowerCase() as 'lax' | 'strict' | 'none',
            },
            getCsrfTokenFromRequest: (req) => (req as unknown as ShimRequest).token,
          });
  }

  /** Gives a signed-in session its own CSRF secret: call at login, after `regenerate()`. */
  bindToSession(session: CurrentSession): void {
    session.set(SECRET_KEY, this.sessionTokens.secretSync());
  }

  /** A token for a form on this response; never writes the session. */
  tokenFor(http: FormHttp): string {
    const secret = http.req.session?.get<string>(SECRET_KEY);
    if (typeof secret === 'string') return this.sessionTokens.create(secret);
    if (!this.visitorTokens) throw new SessionUnavailableError();
    return this.visitorTokens.generateCsrfToken(
      this.shimRequest(http.req, undefined),
      shimResponse(http.res),
    );
  }

  /** Whether `token` is this request's: the session's own when it has a secret, else the visitor's. */
  isValid(req: FormHttp['req'], token: unknown): boolean {
    if (typeof token !== 'string') return false;
    const secret = req.session?.get<string>(SECRET_KEY);
    if (typeof secret === 'string') return this.sessionTokens.verify(secret, token);
    return this.visitorTokens?.validateRequest(this.shimRequest(req, token)) ?? false;
  }

  private shimRequest(req: IncomingMessage, token: string | undefined): CsrfRequest {
    const value = req.headers.cookie && rawCookieValue(req.headers.cookie, this.cookieName);
    const shim: ShimRequest = {
      cookies: value ? { [this.cookieName]: value } : {},
      token,
    };
    return shim as unknown as CsrfRequest;
  }
}

/** The Express types csrf-csrf names, taken from its own signature (this file may not import a platform). */
type CsrfRequest = Parameters<DoubleCsrfUtilities['validateRequest']>[0];
type CsrfResponse = Parameters<DoubleCsrfUtilities['generateCsrfToken']>[1];

/** What csrf-csrf reads of a request: the parsed cookie, and the token the form sent. */
interface ShimRequest {
  cookies: Record<string, string>;
  token: string | undefined;
}

/** What csrf-csrf calls on a response: `res.cookie`, as Express has it. */
function shimResponse(res: ServerResponse): CsrfResponse {
  const cookie = (name: string, value: string, options: Record<string, unknown>) =>
    appendSetCookie(res, stringifySetCookie({ name, value, ...options }));
  return { cookie } as unknown as CsrfResponse;
}
