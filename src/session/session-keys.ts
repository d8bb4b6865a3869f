import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';
import { sign, unsign } from 'cookie-signature';
import { pooledRandomBytes } from './random-pool';

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

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const AAD = Buffer.from('nest-session-starter session cookie v1');
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A sealed cookie value opened: its text and which key opened it (0 = the current key). */
export interface Opened {
  text: string;
  keyIndex: number;
}

/**
 * AES-256-GCM sealing of the cookie store's payload: `base64url(version | iv | ciphertext | tag)`.
 * Hand-written on node:crypto because no maintained library seals Flask-style cookie sessions with key
 * fallbacks on raw Node requests; the format is small enough to read in full here.
 */
export class CookieSealer {
  constructor(private readonly keys: readonly Buffer[]) {
    if (keys.length === 0) throw new Error('CookieSealer needs at least one key');
  }

  seal(text: string): string {
    const iv = pooledRandomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys[0], iv).setAAD(AAD);
    const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.of(VERSION), iv, body, cipher.getAuthTag()]).toString('base64url');
  }

  /**
   * The text, or `null` for anything not sealed by one of the keys (tampered, truncated, foreign) and for
   * any text but the exact one `seal` wrote: Node's decoder skips characters outside the alphabet, padding
   * and a last character's unused bits, so other spellings carry the same bytes; re-encoding tells them.
   */
  open(value: string): Opened | null {
    const raw = Buffer.from(value, 'base64url');
    if (raw.length < 1 + IV_BYTES + TAG_BYTES || raw[0] !== VERSION) return null;
    if (raw.toString('base64url') !== value) return null;
    const iv = raw.subarray(1, 1 + IV_BYTES);
    const body = raw.subarray(1 + IV_BYTES, raw.length - TAG_BYTES);
    const tag = raw.subarray(raw.length - TAG_BYTES);
    for (let keyIndex = 0; keyIndex < this.keys.length; keyIndex++) {
      const text = decrypt(this.keys[keyIndex], iv, body, tag);
      if (text !== null) return { text, keyIndex };
    }
    return null;
  }
}

function decrypt(key: Buffer, iv: Buffer, body: Buffer, tag: Buffer): string | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv).setAAD(AAD);
    decipher.setAuthTag(tag);
    return utf8.decode(Buffer.concat([decipher.update(body), decipher.final()]));
  } catch {
    return null; // authentication failed or not UTF-8: not our cookie
  }
}

/** A verified session id and which key verified it (0 = the current key). */
export interface VerifiedId {
  id: string;
  keyIndex: number;
}

/** Session ids as `newSessionId` makes them: base64url, nothing else. */
const SESSION_ID = /^[A-Za-z0-9_-]+$/;

/**
 * express-session's cookie format for stores, `s:<id>.<HMAC-SHA256>` (cookie-signature), keyed by derived
 * keys: the current key signs, every key verifies. cookie-signature compares the whole re-signed text, so
 * only the canonical signature passes; the id must be base64url.
 */
export class SessionIdSigner {
  constructor(private readonly keys: readonly Buffer[]) {
    if (keys.length === 0) throw new Error('SessionIdSigner needs at least one key');
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
