/**
 * The session layer's public API: an app imports from `./session` only. What lies behind it:
 * `api/` what handlers use, `backends/` where the data lives, `http/` when the cookie is read and written.
 */
export { SessionModule } from './session.module';
export type { SessionModuleOptions } from './session-options';
export { installSessions } from './http/session-lifecycle';
export { DEFAULT_SKIP_PATHS, pathMatcher } from './http/skip-paths';
export { CurrentSession } from './api/current-session.decorator';
export type { SessionData } from './api/session-data';
export type { RequestSession } from './api/request-session';
export type { SessionValues } from './api/session-values';
export { rawHttp } from './api/node-request';
export { appendSetCookie, rawCookieValue } from './http/cookie-header';
export { boundPurpose, deriveKeys } from './backends/keys';
export type { SessionBinding } from './backends/keys';
export type { SessionRequest } from './api/node-request';
export { SessionHealth } from './session-health';
export {
  SessionBusyError,
  SessionConflictError,
  SessionStoreUnavailableError,
  SessionTooLargeError,
  StoredSessionTooLargeError,
  SessionUnavailableError,
} from './api/session.errors';
