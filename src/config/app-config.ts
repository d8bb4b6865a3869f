import type { AppConfig } from './config.schema';

/** The typed configuration and its parts, all derived from the one schema in config.schema.ts. */
export type { AppConfig } from './config.schema';
export type { TrustProxy } from './config-values';
export type NodeEnv = AppConfig['app']['env'];
export type HttpAdapterKind = AppConfig['http']['adapter'];
export type SessionConfig = AppConfig['session'];
export type SessionStoreKind = SessionConfig['store'];
/** Attributes of the session cookie (Flask's `SESSION_COOKIE_*`). */
export type SessionCookieOptions = SessionConfig['cookie'];
export type SameSite = SessionCookieOptions['sameSite'];

/** Where a key's effective value came from: `default`, `file:<path>`, `env:SECRET_KEY`, `env:APP_PORT`. */
export type ConfigSource = 'default' | `file:${string}` | `env:${string}` | 'generated';

export interface LoadedConfig {
  config: AppConfig;
  /** Source of every top-level key, by UPPERCASE name. */
  sources: Record<string, ConfigSource>;
}
