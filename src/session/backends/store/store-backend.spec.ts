import { MemoryStore } from 'express-session';
import { createClient } from 'redis';
import { deleteKeys, describeWithRedis, uniquePrefix } from '../../../../test/support/redis';
import type { RedisClient } from '../../../redis/redis-client';
import { createRedisSessionBackend } from './redis-backend';
import { SessionBusyError, SessionConflictError } from '../../api/session.errors';
import type { WriteTurn } from '../session-backend';
import { deriveKeys, KEY_PURPOSE } from '../keys';
import { SessionIdSigner } from './signed-id';
import { SessionState } from '../../api/session-state';
import { ANONYMOUS_LIFETIME_MS, StoreSessionBackend } from './store-backend';

const DAY_MS = 24 * 3600 * 1000;
const LIMIT = 4096;

/** A write turn that waits `waitMs` and aborts with `abort()`. */
function turn(waitMs = 2000): WriteTurn & { abort: () => void } {
  const controller = new AbortController();
  return {
    waitUntil: Date.now() + waitMs,
    holdUntil: Date.now() + 30_000,
    signal: controller.signal,
    abort: () => controller.abort(),
  };
}

const common = {
  signer: new SessionIdSigner(deriveKeys(['unit-key'], KEY_PURPOSE.idSignature)),
  lifetimeMs: 31 * DAY_MS,
  absoluteLifetimeMs: 40 * DAY_MS,
  isSignedIn: (values: Record<string, unknown>) => typeof values.user_id === 'number',
  maxStoredBytes: LIMIT,
};

/** The same contract on MemoryStore (checked in this process) and on Redis (checked in Redis). */
function describeVersionedWrites(name: string, make: () => StoreSessionBackend): void {
  describe(name, () => {
    let sut: StoreSessionBackend;
    beforeAll(() => {
      sut = make();
    });

    async function signedIn(): Promise<{ state: SessionState; cookie: string }> {
      const state = await sut.open(undefined);
      state.values.user_id = 1;
      await sut.persist(state, 'set');
      return { state, cookie: sut.cookieValue(state) };
    }

    it('never lets a request that opened the session before a logout save it back', async () => {
      const { cookie } = await signedIn();
      const before = await sut.open(cookie);
      const logout = await sut.open(cookie);
      await logout.operations.forget(logout);

      before.values.cart = ['written after the logout'];
      await expect(sut.persist(before, 'set')).rejects.toThrow(SessionConflictError);

      expect(await sut.open(cookie)).toMatchObject({ isNew: true, hadCookie: true });
    });

    it('refuses to save over a write made after the request read the session', async () => {
      const { cookie } = await signedIn();
      const [first, second] = [await sut.open(cookie), await sut.open(cookie)];
      first.values.cart = ['first'];
      await sut.persist(first, 'set');

      second.values.cart = ['second'];
      await expect(sut.persist(second, 'set')).rejects.toMatchObject({
        status: 503,
        headers: { 'Retry-After': '1' },
      });

      expect((await sut.open(cookie)).values.cart).toEqual(['first']);
    });

    it('lets the same request save twice (express-session save(), then the response)', async () => {
      const { state, cookie } = await signedIn();
      state.values.step = 1;
      await sut.persist(state, 'set');
      state.values.step = 2;
      await sut.persist(state, 'set');
      expect((await sut.open(cookie)).values.step).toBe(2);
    });

    it('refuses a record older than the absolute lifetime since its login', async () => {
      const { state, cookie } = await signedIn();
      state.createdAt = Date.now() - common.absoluteLifetimeMs + 200;
      await sut.persist(state, 'set');
      expect((await sut.open(cookie)).isNew).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await sut.open(cookie)).toMatchObject({ isNew: true, hadCookie: true });
    });

    it('serialises requests that lock one session for writing', async () => {
      const { cookie } = await signedIn();
      const order: string[] = [];
      const work = async (name: string) => {
        const lock = await sut.lockForWrite(cookie, turn());
        order.push(`${name}:start`);
        await new Promise((resolve) => setTimeout(resolve, 20));
        order.push(`${name}:end`);
        lock?.release();
      };
      await Promise.all([work('a'), work('b')]);
      expect(order).toEqual(['a:start', 'a:end', 'b:start', 'b:end']);
      await expect(sut.lockForWrite('s%3Anot-signed.x', turn(100))).resolves.toBeNull();
    });

    it('lets a waiter whose request is aborted leave the queue, so the next write gets its turn', async () => {
      const { cookie } = await signedIn();
      const first = await sut.lockForWrite(cookie, turn());
      const abandoned = turn(5000);
      const waiting = sut.lockForWrite(cookie, abandoned);
      abandoned.abort();
      await expect(waiting).rejects.toThrow(SessionBusyError);
      first?.release();
      const next = await sut.lockForWrite(cookie, turn(500));
      expect(next).not.toBeNull();
      next?.release();
    });

    it('gives back every lock still held when it closes (shutdown)', async () => {
      const { cookie } = await signedIn();
      await sut.lockForWrite(cookie, turn());
      await sut.close();
      const after = await sut.lockForWrite(cookie, turn(500));
      expect(after).not.toBeNull();
      after?.release();
    });

    it('refuses a record over MAX_SESSION_BYTES with 413, and keeps the stored one', async () => {
      const { state, cookie } = await signedIn();
      state.values.cart = ['x'.repeat(LIMIT)];
      await expect(sut.persist(state, 'set')).rejects.toMatchObject({ status: 413 });
      await expect(sut.persist(state, 'set')).rejects.toThrow(/MAX_SESSION_BYTES \(4096 bytes\)/);
      expect((await sut.open(cookie)).values).toEqual({ user_id: 1 });
    });
  });
}

describeVersionedWrites('StoreSessionBackend on MemoryStore', () => {
  return new StoreSessionBackend({ ...common, store: new MemoryStore(), storeName: 'memory' });
});

describeWithRedis('StoreSessionBackend on Redis', (url) => {
  const prefix = uniquePrefix('store-backend');
  let client: RedisClient;
  let sut: StoreSessionBackend;
  beforeAll(async () => {
    client = createClient({ url });
    await client.connect();
    sut = createRedisSessionBackend({ ...common, client, keyPrefix: prefix });
  });
  afterAll(async () => {
    await deleteKeys(url, prefix);
    client.destroy();
  });

  describeVersionedWrites('versioned writes', () => sut);

  const ttlOf = async (state: SessionState) => client.pTTL(`${prefix}${state.id}`);

  it('keeps an anonymous record an hour, extends it when used, and gives a login the full lifetime', async () => {
    const state = await sut.open(undefined);
    state.values.cart = ['anonymous'];
    await sut.persist(state, 'set');
    expect(await ttlOf(state)).toBeLessThanOrEqual(ANONYMOUS_LIFETIME_MS);
    expect(await ttlOf(state)).toBeGreaterThan(ANONYMOUS_LIFETIME_MS - 5000);

    await client.pExpire(`${prefix}${state.id}`, 10_000);
    const used = await sut.open(sut.cookieValue(state));
    expect(used.extendStored).toBe(true);
    await sut.persist(used, 'touch');
    expect(await ttlOf(state)).toBeGreaterThan(ANONYMOUS_LIFETIME_MS - 5000);

    used.values.user_id = 7;
    await sut.persist(used, 'set');
    expect(await ttlOf(state)).toBeGreaterThan(common.lifetimeMs - 5000);
  });

  it('cuts the TTL to what is left of the absolute lifetime', async () => {
    const state = await sut.open(undefined);
    state.values.user_id = 1;
    state.createdAt = Date.now() - common.absoluteLifetimeMs + 60_000;
    await sut.persist(state, 'set');
    expect(await ttlOf(state)).toBeLessThanOrEqual(60_000);
  });
});
