import { hkdfSync } from 'node:crypto';

const HKDF_SALT = 'nest-session-starter/session/v1';

/** What each derived key is for; one secret never keys two algorithms (HKDF "info", RFC 5869 §3.2). */
export const KEY_PURPOSE = {
  cookieCipher: 'session-cookie aes-256-gcm',
  idSignature: 'session-id hmac-sha256',
} as const;

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
