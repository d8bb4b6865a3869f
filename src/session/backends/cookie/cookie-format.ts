import { createCipheriv, createDecipheriv } from 'node:crypto';
import { pooledRandomBytes } from '../../api/random-pool';
import type { SessionState } from '../../api/session-state';
import { isJsonObject, parseSafeJson } from '../../api/session-values';
import { boundPurpose, SessionBinding } from '../keys';

/**
 * The cookie store's whole format, in one place: the payload (`CookiePayload`, its JSON) and the seal
 * around it (`CookieSealer`). test/support/forge-cookie.ts forges cookies with these same functions.
 */

/** `t` last write (ms), `c` when the session began (its login; never renewed), `p` permanent, `i` id, `d` the values. */
export interface CookiePayload {
  t: number;
  c: number;
  p: 0 | 1;
  i: string;
  d: Record<string, unknown>;
}

export function payloadOf(state: SessionState): CookiePayload {
  return {
    t: state.issuedAt,
    c: state.createdAt,
    p: state.permanent ? 1 : 0,
    i: state.id,
    d: state.values,
  };
}

export function encodePayload(payload: CookiePayload): string {
  return JSON.stringify(payload);
}

/** The payload in `text`, or `null` when it is not JSON of that shape (forbidden keys dropped). */
export function decodePayload(text: string): CookiePayload | null {
  let parsed: unknown;
  try {
    parsed = parseSafeJson(text);
  } catch {
    return null;
  }
  return isPayload(parsed) ? parsed : null;
}

function isPayload(value: unknown): value is CookiePayload {
  if (value === null || typeof value !== 'object') return false;
  const p = value as Partial<CookiePayload>;
  return (
    typeof p.t === 'number' &&
    typeof p.c === 'number' &&
    (p.p === 0 || p.p === 1) &&
    typeof p.i === 'string' &&
    isJsonObject(p.d)
  );
}

/** Version 2 binds the cookie to its app and name (`SessionBinding`); version 1 cookies open as empty sessions. */
const VERSION = 2;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A sealed cookie value opened: its text and which key opened it (0 = the current key). */
export interface Opened {
  text: string;
  keyIndex: number;
}

/**
 * AES-256-GCM sealing of the payload: `base64url(version | iv | ciphertext | tag)`, the current key seals,
 * every key opens. Hand-written on node:crypto because no maintained library seals Flask-style cookie
 * sessions with key fallbacks on raw Node requests; the format is small enough to read in full here.
 */
export class CookieSealer {
  /** Authenticated, not encrypted: a cookie sealed for another app or cookie name does not open here. */
  private readonly aad: Buffer;

  constructor(
    private readonly keys: readonly Buffer[],
    binding: SessionBinding,
  ) {
    if (keys.length === 0) throw new Error('CookieSealer needs at least one key');
    this.aad = Buffer.from(boundPurpose(`session cookie v${VERSION}`, binding));
  }

  seal(text: string): string {
    const iv = pooledRandomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys[0], iv).setAAD(this.aad);
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
      const text = decrypt(this.keys[keyIndex], this.aad, iv, body, tag);
      if (text !== null) return { text, keyIndex };
    }
    return null;
  }
}

function decrypt(key: Buffer, aad: Buffer, iv: Buffer, body: Buffer, tag: Buffer): string | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv).setAAD(aad);
    decipher.setAuthTag(tag);
    return utf8.decode(Buffer.concat([decipher.update(body), decipher.final()]));
  } catch {
    return null; // authentication failed or not UTF-8: not our cookie
  }
}
