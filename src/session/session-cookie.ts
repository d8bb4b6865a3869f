import type { IncomingMessage, OutgoingHttpHeader, ServerResponse } from 'node:http';
import { parseCookie, stringifySetCookie } from 'cookie';
import vary from 'vary';
import type { SessionCookieOptions } from '../config/app-config';

/** The session cookie's value in the request, or `undefined`. The first of duplicate names wins. */
export function readSessionCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  return parseCookie(header)[name];
}

/** A whole `Set-Cookie` header value with every attribute from the config (Flask's `SESSION_COOKIE_*`). */
export function sessionSetCookie(
  options: SessionCookieOptions,
  value: string,
  expires?: Date,
): string {
  return stringifySetCookie(options.name, value, {
    domain: options.domain ?? undefined,
    path: options.path,
    httpOnly: options.httpOnly,
    secure: options.secure,
    sameSite: options.sameSite.toLowerCase() as 'lax' | 'strict' | 'none',
    partitioned: options.partitioned,
    expires,
    maxAge: expires ? Math.max(0, Math.round((expires.getTime() - Date.now()) / 1000)) : undefined,
  });
}

/** Expires the session cookie with the same Path, Domain, SameSite, Secure and Partitioned it was set with. */
export function expiredSessionCookie(options: SessionCookieOptions): string {
  return sessionSetCookie(options, '', new Date(0));
}

/** Adds one `Set-Cookie` header, keeping any the app already set. */
export function appendSetCookie(res: ServerResponse, header: string): void {
  res.setHeader('Set-Cookie', [...headerList(res.getHeader('Set-Cookie')), header]);
}

/** Adds `Cookie` to `Vary`, merged with the values already there, never twice (the `vary` package). */
export function varyOnCookie(res: ServerResponse): void {
  vary(res, 'Cookie');
}

/**
 * Merges the `Vary` and `Set-Cookie` that a framework passes to `writeHead(status, headers)` (Fastify does)
 * with those already set on the response: Node lets the `writeHead` ones replace them otherwise.
 */
export function mergeWriteHeadHeaders(res: ServerResponse, given: object): void {
  const headers = given as Record<string, OutgoingHttpHeader | undefined>;
  for (const key of Object.keys(headers)) {
    const lower = key.toLowerCase();
    const given = headers[key];
    if (given === undefined) continue;
    if (lower === 'vary' && res.hasHeader('vary')) {
      headers[key] = vary.append(headerList(given).join(', '), String(res.getHeader('vary')));
    } else if (lower === 'set-cookie' && res.hasHeader('set-cookie')) {
      headers[key] = [...headerList(res.getHeader('set-cookie')), ...headerList(given)];
    }
  }
}

function headerList(value: OutgoingHttpHeader | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [String(value)];
}
