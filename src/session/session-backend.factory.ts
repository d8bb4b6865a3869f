import { MemoryStore } from 'express-session';
import { CookieSessionBackend } from './cookie-session.backend';
import { NullSessionBackend } from './null-session.backend';
import { createRedisSessionBackend } from './redis-session-store';
import { SessionBackend } from './session-backend';
import { CookieSealer, deriveKeys, KEY_PURPOSE, SessionIdSigner } from './session-keys';
import { SessionModuleOptions } from './session.module-definition';
import { StoreSessionBackend } from './store-session.backend';

/** Builds the backend once at boot; keys are derived here, never per request. */
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
    return new StoreSessionBackend({
      store: new MemoryStore(),
      storeName: 'memory',
      signer,
      lifetimeMs,
    });
  }
  if (!config.redisUrl) throw new Error('SESSION_STORE=redis needs REDIS_URL (redis://host:6379)');
  const keyPrefix = options.keyPrefix ?? 'sess:';
  return createRedisSessionBackend({ url: config.redisUrl, keyPrefix, signer, lifetimeMs });
}
