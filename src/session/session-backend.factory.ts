import { CookieSessionBackend } from './cookie-session.backend';
import { NullSessionBackend } from './null-session.backend';
import { SessionBackend } from './session-backend';
import { CookieSealer, deriveKeys, KEY_PURPOSE, SessionIdSigner } from './session-keys';
import { SessionModuleOptions } from './session.module-definition';
import { StoreSessionBackend } from './store-session.backend';

/**
 * Builds the backend once at boot; keys are derived here, never per request. The store libraries
 * (express-session's `MemoryStore`, connect-redis and node-redis) are imported only when chosen: loading
 * node-redis alone cost the default cookie-store boot about 160 ms (docs/PERFORMANCE.md).
 */
export async function createSessionBackend(options: SessionModuleOptions): Promise<SessionBackend> {
  const { config } = options;
  if (config.secretKey === null) return new NullSessionBackend();
  const secrets = [config.secretKey, ...config.secretKeyFallbacks];
  const lifetimeMs = config.session.permanentLifetimeSeconds * 1000;
  if (config.session.store === 'cookie' && !options.store) {
    return new CookieSessionBackend(
      new CookieSealer(deriveKeys(secrets, KEY_PURPOSE.cookieCipher)),
      lifetimeMs,
    );
  }
  const signer = new SessionIdSigner(deriveKeys(secrets, KEY_PURPOSE.idSignature));
  if (options.store) {
    const storeName = options.storeName ?? 'session store';
    return new StoreSessionBackend({ store: options.store, storeName, signer, lifetimeMs });
  }
  if (config.session.store === 'memory') {
    const { MemoryStore } = await import('express-session');
    return new StoreSessionBackend({
      store: new MemoryStore(),
      storeName: 'memory',
      signer,
      lifetimeMs,
    });
  }
  if (!options.redis) throw new Error('SESSION_STORE=redis needs REDIS_URL (redis://host:6379)');
  const keyPrefix = options.keyPrefix ?? 'sess:';
  const { createRedisSessionBackend } = await import('./redis-session-store');
  return createRedisSessionBackend({ client: options.redis, keyPrefix, signer, lifetimeMs });
}
