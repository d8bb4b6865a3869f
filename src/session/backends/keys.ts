import { hkdfSync } from 'node:crypto';

const HKDF_SALT = 'nest-session-starter/session/v1';

/** What each derived key is for; one secret never keys two algorithms (HKDF "info", RFC 5869 §3.2). */
export const KEY_PURPOSE = {
  cookieCipher: 'session-cookie aes-256-gcm',
  idSignature: 'session-id hmac-sha256',
} as const;

/**
 * What a session cookie belongs to besides `SECRET_KEY`: the app (`SESSION_APP_ID`) and the cookie's name.
 * Both go into the key derivation and the cookie store's authenticated data, so two apps, or two cookies,
 * that share a secret never accept each other's sessions.
 */
export interface SessionBinding {
  appId: string;
  cookieName: string;
}

/** The HKDF info of a session key: its purpose, then what it is bound to (NUL-separated, unambiguous). */
export function boundPurpose(purpose: string, binding: SessionBinding): string {
  return `${purpose}\0app=${binding.appId}\0cookie=${binding.cookieName}`;
}

/**
 * A 32-byte key for one purpose, derived from a secret with HKDF-SHA256. Works for any secret the config
 * accepts, short test keys included; the raw secret is never used as a key. Call at boot, not per request.
 */
export function deriveKey(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, HKDF_SALT, purpose, 32));
}

/** Keys for `SECRET_KEY` first, then each of `SECRET_KEY_FALLBACKS`. */
export function deriveKeys(secrets: readonly string[], purpose: string): Buffer[] {
  return secrets.map((secret) => deriveKey(secret, purpose));
}

/** `deriveKeys` for a session purpose bound to an app and a cookie name: what the backends key with. */
export function sessionKeys(
  secrets: readonly string[],
  purpose: string,
  binding: SessionBinding,
): Buffer[] {
  return deriveKeys(secrets, boundPurpose(purpose, binding));
}
