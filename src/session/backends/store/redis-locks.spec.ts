import { createClient } from 'redis';
import { deleteKeys, describeWithRedis, uniquePrefix } from '../../../../test/support/redis';
import type { RedisClient } from '../../../redis/redis-client';
import { RedisWriteLocks } from './redis-locks';
import { SessionBusyError } from '../../api/session.errors';
import type { WriteTurn } from '../session-backend';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A turn that waits `waitMs`, may hold the lock `holdMs`, and aborts with `abort()`. */
function turn(waitMs = 2000, holdMs = 30_000): WriteTurn & { abort: () => void } {
  const controller = new AbortController();
  return {
    waitUntil: Date.now() + waitMs,
    holdUntil: Date.now() + holdMs,
    signal: controller.signal,
    abort: () => controller.abort(),
  };
}

describeWithRedis(RedisWriteLocks.name, (url) => {
  const prefix = uniquePrefix('redis-write-locks');
  let client: RedisClient;

  beforeAll(async () => {
    client = createClient({ url });
    await client.connect();
  });

  afterAll(async () => {
    await deleteKeys(url, prefix);
    client.destroy();
  });

  const locks = (leaseMs = 3000) =>
    new RedisWriteLocks(client, prefix, 'Redis at REDIS_URL', leaseMs);
  const holder = async (key: string) => client.get(`${prefix}lock:${key}`);

  it('lets one holder in at a time, across instances of the class (as across processes)', async () => {
    const [a, b] = [locks(), locks()];
    const order: string[] = [];
    const work = async (sut: RedisWriteLocks, name: string) => {
      const { release } = await sut.acquire('one', turn());
      order.push(`${name}:start`);
      await sleep(30);
      order.push(`${name}:end`);
      release();
    };
    await Promise.all([work(a, 'a'), work(b, 'b')]);
    const [first, second] = [order[0], order[2]].map((step) => step.split(':')[0]);
    expect(order).toEqual([`${first}:start`, `${first}:end`, `${second}:start`, `${second}:end`]);
    expect(new Set([first, second])).toEqual(new Set(['a', 'b']));
    await sleep(20);
    expect(await holder('one')).toBeNull();
  });

  it('refuses with SessionBusyError (503, Retry-After) once the wait is over', async () => {
    const { release } = await locks().acquire('busy', turn(1000));
    const started = Date.now();
    const waiting = locks().acquire('busy', turn(150));
    await expect(waiting).rejects.toThrow(SessionBusyError);
    await expect(waiting).rejects.toMatchObject({ status: 503, headers: { 'Retry-After': '1' } });
    expect(Date.now() - started).toBeLessThan(600);
    release();
  });

  it('stops waiting the moment its request is aborted, and never takes the lock after', async () => {
    const { release } = await locks().acquire('abandoned', turn());
    const gone = turn(5000);
    const started = Date.now();
    const waiting = locks().acquire('abandoned', gone);
    setTimeout(gone.abort, 100);
    await expect(waiting).rejects.toThrow(SessionBusyError);
    expect(Date.now() - started).toBeLessThan(400);
    release();
    await sleep(50);
    expect(await holder('abandoned')).toBeNull();
  });

  it('keeps the lock past its lease while the holder runs, and frees it when a holder dies', async () => {
    const { release } = await locks(300).acquire('long', turn());
    await sleep(700);
    expect(await holder('long')).not.toBeNull();
    await expect(locks(300).acquire('long', turn(100))).rejects.toThrow(SessionBusyError);
    release();
    await client.set(`${prefix}lock:dead`, 'a crashed holder', { PX: 200 });
    (await locks().acquire('dead', turn(1000))).release();
  });

  it("never renews a lease past the request's own deadline", async () => {
    const lock = await locks(300).acquire('deadline', turn(1000, 500));
    expect(await client.pTTL(`${prefix}lock:deadline`)).toBeLessThanOrEqual(300);
    await sleep(900);
    // Never released, yet gone: the lease was cut to the deadline and not renewed after it.
    expect(await holder('deadline')).toBeNull();
    lock.release();
  });

  it('never deletes the lock of the next holder when an old lease ran out', async () => {
    const stale = await locks(100).acquire('handover', turn());
    await client.set(`${prefix}lock:handover`, 'the next holder', { PX: 5000 });
    stale.release();
    await sleep(50);
    expect(await holder('handover')).toBe('the next holder');
  });
});
