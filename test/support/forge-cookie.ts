import { CookieSealer, deriveKeys, KEY_PURPOSE } from '../../src/session/session-keys';
import { TEST_SECRET_KEY } from './test-app';

/** Seals any text as the cookie store would under `secret`: lets tests forge old, odd or hostile payloads. */
export function sealCookie(text: string, secret = TEST_SECRET_KEY): string {
  return new CookieSealer(deriveKeys([secret], KEY_PURPOSE.cookieCipher)).seal(text);
}

/** A well-formed cookie-store payload issued `ageMs` ago. */
export function payload(
  data: Record<string, unknown> | string,
  ageMs = 0,
  permanent = false,
): string {
  const d = typeof data === 'string' ? data : JSON.stringify(data);
  return `{"t":${Date.now() - ageMs},"p":${permanent ? 1 : 0},"i":"forged-id","d":${d}}`;
}
