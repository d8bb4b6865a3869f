import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { Store } from 'express-session';
import type { SessionConfig } from '../config/app-config';
import type { RedisClient } from '../redis/redis-client';
import type { SessionValues } from './api/session-values';

/** How `SessionModule` is configured; `AppModule` builds it from the `session` config namespace. */
export interface SessionModuleOptions {
  /** The validated `session` namespace: store, keys, cookie attributes, lifetimes, Redis key prefix. */
  session: SessionConfig;
  /** Development: warn when a nested change without `session.modified = true` would be lost. */
  warnLostNestedWrites?: boolean;
  /**
   * Any express-session-compatible store (connect-mongo, connect-pg-simple, …). When given, it is used
   * instead of `SESSION_STORE`'s memory/redis; the cookie then holds a signed id.
   */
  store?: Store;
  /** The shared Redis client (`RedisModule`) that `SESSION_STORE=redis` keeps sessions in. */
  redis?: RedisClient | null;
  /**
   * Whether a session's values belong to a signed-in user. A stored session without one (a visitor who
   * never signed in) expires an hour after its last use; signed-in ones live `PERMANENT_SESSION_LIFETIME`.
   * Default: every session counts as signed in. The starter passes `isSignedIn` from `AuthService`.
   */
  isSignedIn?: (values: SessionValues) => boolean;
  /** Names a custom `store` in 503 messages; default `session store`. */
  storeName?: string;
  /**
   * Request paths that never open the session: exact paths, or a prefix ending in `/` for every path under
   * it. Default `DEFAULT_SKIP_PATHS`: `['/healthz', '/readyz', '/assets/']`.
   */
  skipPaths?: string[];
}

export const {
  ConfigurableModuleClass: SessionConfigurableModule,
  MODULE_OPTIONS_TOKEN: SESSION_MODULE_OPTIONS,
} = new ConfigurableModuleBuilder<SessionModuleOptions>({ moduleName: 'Session' })
  .setClassMethodName('forRoot')
  .build();
