import { sign, unsign } from 'cookie-signature';

/** A verified session id and which key verified it (0 = the current key). */
export interface VerifiedId {
  id: string;
  keyIndex: number;
}

/** Session ids as `newSessionId` makes them: base64url, nothing else. */
const SESSION_ID = /^[A-Za-z0-9_-]+$/;

/**
 * The stores' cookie format, in one place: express-session's `s:<id>.<HMAC-SHA256>` (cookie-signature),
 * percent-encoded as express-session sends it (`s%3A<id>.<signature>`), keyed by derived keys: the current
 * key signs, every key verifies. Only the exact text issued is accepted: cookie-signature compares the
 * whole re-signed text, the id must be base64url, and the percent-encoding must be `encodeURIComponent`'s.
 */
export class SessionIdSigner {
  constructor(private readonly keys: readonly Buffer[]) {
    if (keys.length === 0) throw new Error('SessionIdSigner needs at least one key');
  }

  /** The cookie value that carries session `id`. */
  cookieValue(id: string): string {
    return encodeURIComponent(this.sign(id));
  }

  /** The id of a cookie value exactly as `cookieValue` issued it, or `null`. */
  idOf(cookieValue: string): VerifiedId | null {
    const decoded = decodeIssuedValue(cookieValue);
    return decoded === null ? null : this.verify(decoded);
  }

  sign(id: string): string {
    return `s:${sign(id, this.keys[0])}`;
  }

  verify(value: string): VerifiedId | null {
    if (!value.startsWith('s:')) return null;
    const signed = value.slice(2);
    if (!SESSION_ID.test(signed.slice(0, signed.lastIndexOf('.')))) return null;
    for (let keyIndex = 0; keyIndex < this.keys.length; keyIndex++) {
      const id = unsign(signed, this.keys[keyIndex]);
      if (id !== false && id.length > 0) return { id, keyIndex };
    }
    return null;
  }
}

/**
 * The text `encodeURIComponent` turned into `raw`, or `null` when `raw` is not exactly that text (other
 * percent-escapes, lower-case hex, escaped characters that needed none).
 */
function decodeIssuedValue(raw: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  return encodeURIComponent(decoded) === raw ? decoded : null;
}
