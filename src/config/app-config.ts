/** The one typed configuration object, built once at boot by `loadConfig` and provided as `APP_CONFIG`. */
export type NodeEnv = 'development' | 'test' | 'production';
export type SessionStoreKind = 'cookie' | 'memory' | 'redis';
export type HttpAdapterKind = 'fastify' | 'express';
export type SameSite = 'Strict' | 'Lax' | 'None';

/** Express and Fastify both accept these forms: off/on, a hop count, or a list of trusted addresses. */
export type TrustProxy = boolean | number | string;

/** Attributes of the session cookie (Flask's `SESSION_COOKIE_*`). */
export interface SessionCookieOptions {
  name: string;
  domain: string | null;
  path: string;
  httpOnly: boolean;
  secure: boolean;
  sameSite: SameSite;
  partitioned: boolean;
}

export interface SessionConfig {
  store: SessionStoreKind;
  cookie: SessionCookieOptions;
  /** `PERMANENT_SESSION_LIFETIME` in whole seconds. */
  permanentLifetimeSeconds: number;
  /** `SESSION_ABSOLUTE_LIFETIME` in whole seconds: no session outlives its login by more, however used. */
  absoluteLifetimeSeconds: number;
  refreshEachRequest: boolean;
  /** Largest whole `Set-Cookie` header value in bytes; 0 turns the guard off. */
  maxCookieSize: number;
  /** Prefix of session keys in Redis. */
  keyPrefix: string;
}

export interface AppConfig {
  env: NodeEnv;
  port: number;
  host: string;
  trustProxy: TrustProxy;
  httpAdapter: HttpAdapterKind;
  instancePath: string;
  databaseUrl: string;
  /** `null` only when a test builds the app without a key: sessions are then read-only and empty. */
  secretKey: string | null;
  /** Verify only, never sign; tried in order after `secretKey`. */
  secretKeyFallbacks: string[];
  session: SessionConfig;
  /** Also holds the login throttle's counters whenever set, whatever `SESSION_STORE` is. */
  redisUrl: string | null;
  /** Password hashes in flight at once per process (`PASSWORD_HASH_CONCURRENCY`). */
  passwordHashConcurrency: number;
  /** Every other UPPERCASE key from the config file or `APP_*` variables, as parsed (Flask keeps them too). */
  extra: Record<string, unknown>;
}

/** Where a key's effective value came from: `default`, `file:<path>`, `env:SECRET_KEY`, `env:APP_PORT`. */
export type ConfigSource = 'default' | `file:${string}` | `env:${string}` | 'generated';

export interface LoadedConfig {
  config: AppConfig;
  /** Source of every top-level key, by UPPERCASE name. */
  sources: Record<string, ConfigSource>;
}
