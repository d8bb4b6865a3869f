import { newSessionState } from '../../src/session/api/session-state';
import type { SessionOperations } from '../../src/session/api/session-state';
import {
  CookieSealer,
  encodePayload,
  payloadOf,
} from '../../src/session/backends/cookie/cookie-format';
import { KEY_PURPOSE, SessionBinding, sessionKeys } from '../../src/session/backends/keys';
import { TEST_SECRET_KEY } from './test-app';

/** What the test apps' cookies are bound to: the default `SESSION_APP_ID` and cookie name. */
export const TEST_BINDING: SessionBinding = {
  appId: 'nest-session-starter',
  cookieName: 'session',
};

/** Seals any text as the cookie store would under `secret`: lets tests forge old, odd or hostile payloads. */
export function sealCookie(text: string, secret = TEST_SECRET_KEY, binding = TEST_BINDING): string {
  const keys = sessionKeys([secret], KEY_PURPOSE.cookieCipher, binding);
  return new CookieSealer(keys, binding).seal(text);
}

const noOperations: SessionOperations = {
  forget: () => Promise.resolve(),
  saveNow: () => Promise.resolve(),
  reload: () => Promise.resolve(),
};

/**
 * The cookie store's payload text (its own `payloadOf` and `encodePayload`) of a session last written
 * `ageMs` ago and signed in `loginAgeMs` ago. `data` as a string is spliced in as raw JSON, so tests can
 * forge hostile values.
 */
export function payload(
  data: Record<string, unknown> | string,
  ageMs = 0,
  permanent = false,
  loginAgeMs = ageMs,
): string {
  const now = Date.now();
  const state = newSessionState(noOperations, {
    id: 'forged-id',
    values: typeof data === 'string' ? {} : data,
    permanent,
    issuedAt: now - ageMs,
    createdAt: now - loginAgeMs,
  });
  const text = encodePayload(payloadOf(state));
  return typeof data === 'string' ? text.replace('"d":{}', `"d":${data}`) : text;
}
