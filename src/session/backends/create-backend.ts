import { CookieSessionBackend } from './cookie/cookie-backend';
import { NullSessionBackend } from './null-backend';
import { lifetimesOf, SessionBackend } from './session-backend';
import { CookieSealer } from './cookie/cookie-format';
import { KEY_PURPOSE, sessionKeys } from './keys';
import { SessionIdSigner } from './store/signed-id';
import { SessionModuleOptions } from '../session-options';
import { StoreSessionBackend } from './store/store-backend';

/**
 * Builds the backend once at boot; keys are derived here, never per request. The store libraries
 * (express-session's `MemoryStore`, connect-redis) are imported only when chosen.
 */
export async function createSessionBackend(options: SessionModuleOptions): Promise<SessionBackend> {
  const { session } = options;
  if (session.secretKey === null) return new NullSessionBackend();
  const secrets = [session.secretKey, ...session.secretKeyFallbacks];
  const binding = { appId: session.appId, cookieName: session.cookie.name };
  const keys = (purpose: string) => sessionKeys(secrets, purpose, binding);
  const lifetimes = lifetimesOf(session);
  if (session.store === 'cookie' && !options.store) {
    return new CookieSessionBackend(
      new CookieSealer(keys(KEY_PURPOSE.cookieCipher), binding),
      lifetimes,
    );
  }
  const common = {
    ...lifetimes,
    signer: new SessionIdSigner(keys(KEY_PURPOSE.idSignature)),
    isSignedIn: options.isSignedIn,
    maxStoredBytes: session.maxStoredBytes,
  };
  if (options.store) {
    const storeName = options.storeName ?? 'session store';
    return new StoreSessionBackend({ ...common, store: options.store, storeName });
  }
  if (session.store === 'memory') {
    const { MemoryStore } = await import('express-session');
    return new StoreSessionBackend({ ...common, store: new MemoryStore(), storeName: 'memory' });
  }
  if (!options.redis) throw new Error('SESSION_STORE=redis needs REDIS_URL (redis://host:6379)');
  const { createRedisSessionBackend } = await import('./store/redis-backend.js');
  return createRedisSessionBackend({
    ...common,
    client: options.redis,
    keyPrefix: session.keyPrefix,
  });
}
