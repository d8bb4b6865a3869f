import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { deriveKeys } from '../session';

/** The HKDF purpose of the TOTP secret's key: this key encrypts nothing else. */
export const TOTP_SECRET_PURPOSE = 'two-factor totp-secret aes-256-gcm';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts TOTP secrets at rest with AES-256-GCM under a key derived from `SECRET_KEY`; decrypts under it
 * or any of `SECRET_KEY_FALLBACKS`, so a rotation keeps every authenticator working. The user id is the
 * authenticated data: a row copied to another user does not decrypt. Stored text:
 * `v1.<iv>.<ciphertext+tag>` (base64url).
 */
export class TotpSecretCipher {
  private readonly keys: Buffer[];

  /** `secrets`: `SECRET_KEY` first, then the fallbacks. */
  constructor(secrets: readonly string[]) {
    this.keys = deriveKeys(secrets, TOTP_SECRET_PURPOSE);
  }

  encrypt(userId: number, secret: string): string {
    if (this.keys.length === 0) throw new Error('no SECRET_KEY: TOTP secrets cannot be stored');
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys[0], iv);
    cipher.setAAD(aad(userId));
    const body = Buffer.concat([
      cipher.update(secret, 'utf8'),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
    return [VERSION, iv.toString('base64url'), body.toString('base64url')].join('.');
  }

  /** The secret, or `null` when no key opens it (a foreign, tampered or moved row, or a retired key). */
  decrypt(userId: number, stored: string): string | null {
    return this.open(userId, stored)?.secret ?? null;
  }

  /**
   * As `decrypt`, and whether `SECRET_KEY` itself opened it (`current: false`: a fallback did, so the
   * caller may seal it again under the current key).
   */
  open(userId: number, stored: string): { secret: string; current: boolean } | null {
    const [version, ivText, bodyText] = stored.split('.');
    if (version !== VERSION || !ivText || !bodyText) return null;
    const iv = Buffer.from(ivText, 'base64url');
    const body = Buffer.from(bodyText, 'base64url');
    if (iv.length !== IV_BYTES || body.length <= TAG_BYTES) return null;
    // Node's base64url decoding skips what it cannot read: only the exact text written is accepted.
    if (iv.toString('base64url') !== ivText || body.toString('base64url') !== bodyText) return null;
    for (const [index, key] of this.keys.entries()) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAAD(aad(userId));
        decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
        const plain = Buffer.concat([
          decipher.update(body.subarray(0, body.length - TAG_BYTES)),
          decipher.final(),
        ]);
        return { secret: plain.toString('utf8'), current: index === 0 };
      } catch {
        // Not this key: try the next one.
      }
    }
    return null;
  }
}

function aad(userId: number): Buffer {
  return Buffer.from(`user_totp:${userId}`);
}
