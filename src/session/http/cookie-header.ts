import type { IncomingMessage, OutgoingHttpHeader, ServerResponse } from 'node:http';
import { stringifySetCookie } from 'cookie';
import vary from 'vary';
import type { SessionCookieOptions } from '../../config/app-config';

/**
 * The session cookie's value in the request exactly as the client sent it: not percent-decoded, not
 * trimmed, quotes kept, so the backends can accept only the exact text they issued (any other spelling of
 * the same bytes is a new empty session). The first of duplicate names wins. Hand-written: the `cookie`
 * package's parser trims, unquotes and decodes, which is right for other cookies and wrong here.
 */
export function readSessionCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  return header ? rawCookieValue(header, name) : undefined;
}

/** `name`'s raw value in one `Cookie` header (`a=1; name=v`), or `undefined`. */
export function rawCookieValue(header: string, name: string): string | undefined {
  for (let start = 0; start < header.length;) {
    const end = header.indexOf(';', start);
    const pair = header.slice(start, end === -1 ? header.length : end);
    const eq = pair.indexOf('=');
    if (eq !== -1 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1);
    if (end === -1) break;
    start = end + 1;
  }
  return undefined;
}

/**
 * Whole `Set-Cookie` values for the session cookie, with every attribute from the config (Flask's
 * `SESSION_COOKIE_*`). The attributes never change, so the `cookie` package serialises and validates them
 * once, here at boot; per response only the value and, for a permanent session, `Max-Age` and `Expires`
 * are added. The value is the exact text a backend issues (`cookieValue`: base64url, or a percent-encoded
 * signed id), which holds only cookie-safe characters, so it is written as it is: the text the client
 * sends back must be byte for byte this one.
 */
export class SessionCookieWriter {
  private readonly prefix: string;
  private readonly attributes: string;
  /** Expires the cookie with the same Path, Domain, SameSite, Secure and Partitioned it was set with. */
  readonly expired: string;

  constructor(options: SessionCookieOptions) {
    const attributes = cookieAttributes(options);
    this.prefix = `${options.name}=`;
    const { name } = options;
    this.attributes = stringifySetCookie({ name, value: '', ...attributes }).slice(
      this.prefix.length,
    );
    this.expired = stringifySetCookie({
      name,
      value: '',
      ...attributes,
      expires: new Date(0),
      maxAge: 0,
    });
  }

  /** The cookie with this value; `expires` (a permanent session) adds `Max-Age` and `Expires`. */
  set(value: string, expires?: Date): string {
    if (!expires) return this.prefix + value + this.attributes;
    return `${this.prefix}${value}; Max-Age=${maxAgeUntil(expires)}; Expires=${expires.toUTCString()}${this.attributes}`;
  }
}

/** The config's cookie attributes (`SESSION_COOKIE_*`) as the `cookie` package's options. */
export function cookieAttributes(options: SessionCookieOptions) {
  return {
    domain: options.domain ?? undefined,
    path: options.path,
    httpOnly: options.httpOnly,
    secure: options.secure,
    sameSite: options.sameSite.toLowerCase() as 'lax' | 'strict' | 'none',
    partitioned: options.partitioned,
  };
}

/** Whole seconds from now until `expires`, never negative: a permanent cookie's `Max-Age`. */
export function maxAgeUntil(expires: Date): number {
  return Math.max(0, Math.round((expires.getTime() - Date.now()) / 1000));
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
