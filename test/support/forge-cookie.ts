import type { CookiePayload } from '../../src/session/cookie-session.backend';
import { CookieSealer, deriveKeys, KEY_PURPOSE } from '../../src/session/session-keys';
import { TEST_SECRET_KEY } from './test-app';

/** Seals any text as the cookie store would under `secret`: lets tests forge old, odd or hostile payloads. */
export function sealCookie(text: string, secret = TEST_SECRET_KEY): string {
  return new CookieSealer(deriveKeys([secret], KEY_PURPOSE.cookieCipher)).seal(text);
}

/**
 * A cookie-store payload in the app's own format (`CookiePayload`) last written `ageMs` ago and signed in
 * `loginAgeMs` ago. `data` as a string is spliced in as raw JSON, so tests can forge hostile values.
 */
export function payload(
  data: Record<string, unknown> | string,
  ageMs = 0,
  permanent = false,
  loginAgeMs = ageMs,
): string {
  const now = Date.now();
  const fields: CookiePayload = {
    t: now - ageMs,
    c: now - loginAgeMs,
    p: permanent ? 1 : 0,
    i: 'forged-id',
    d: typeof data === 'string' ? {} : data,
  };
  const text = JSON.stringify(fields);
  return typeof data === 'string' ? text.replace('"d":{}', `"d":${data}`) : text;
}
