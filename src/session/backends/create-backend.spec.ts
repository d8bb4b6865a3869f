import { MemoryStore } from 'express-session';
import { loadConfig } from '../../config/load-config';
import { CookieSessionBackend } from './cookie/cookie-backend';
import { NullSessionBackend } from './null-backend';
import { createSessionBackend } from './create-backend';
import { StoreSessionBackend } from './store/store-backend';

function session(env: Record<string, string | undefined>) {
  return loadConfig(
    { NODE_ENV: 'test', SECRET_KEY: 'unit-key', INSTANCE_PATH: 'instance/test', ...env },
    () => undefined,
  ).config.session;
}

describe(createSessionBackend.name, () => {
  it('builds the cookie backend by default', async () => {
    expect(await createSessionBackend({ session: session({}) })).toBeInstanceOf(
      CookieSessionBackend,
    );
  });

  it('builds the read-only backend when there is no secret key', async () => {
    const sut = await createSessionBackend({ session: session({ SECRET_KEY: undefined }) });
    expect(sut).toBeInstanceOf(NullSessionBackend);
    expect((await sut.open('anything')).readOnly).toBe(true);
  });

  it('uses any express-session store it is given, in place of SESSION_STORE', async () => {
    const store = new MemoryStore();
    const sut = await createSessionBackend({ session: session({}), store, storeName: 'custom' });
    expect(sut).toBeInstanceOf(StoreSessionBackend);
    const state = await sut.open(undefined);
    state.values.a = 1;
    await sut.persist(state, 'set');
    expect(await new Promise((resolve) => store.length((_err, n) => resolve(n)))).toBe(1);
    expect({ ...(await sut.open(sut.cookieValue(state))).values }).toEqual({ a: 1 });
  });

  it('strips prototype-reaching keys from what a store hands back', async () => {
    const store = new MemoryStore();
    const now = Date.now();
    const hostile = JSON.parse(
      `{"v":1,"cookie":{},"issuedAt":${now},"createdAt":${now},"data":{"__proto__":{"polluted":1},"ok":{"constructor":{"x":1}}}}`,
    ) as never;
    store.set('evil', hostile, () => undefined);
    const sut = await createSessionBackend({ session: session({}), store });
    const state = await sut.open(
      (sut as StoreSessionBackend).cookieValue({ ...(await sut.open(undefined)), id: 'evil' }),
    );
    expect({ ...state.values }).toEqual({ ok: {} });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses SESSION_STORE=redis without REDIS_URL', async () => {
    const redis = { ...session({}), store: 'redis' as const };
    await expect(createSessionBackend({ session: redis, redis: null })).rejects.toThrow(
      'REDIS_URL',
    );
  });
});
