import { createClient } from 'redis';
import { deleteKeys, describeWithRedis, uniquePrefix } from '../../../../test/support/redis';
import type { RedisClient } from '../../../redis/redis-client';
import { RedisWriteLocks } from './redis-locks';
import { SessionBusyError } from '../../api/session.errors';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
      const release = await sut.acquire('one', Date.now() + 2000);
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

  it('refuses with SessionBusyError (503, Retry-After) once the deadline passes', async () => {
    const release = await locks().acquire('busy', Date.now() + 1000);
    const started = Date.now();

    const waiting = locks().acquire('busy', Date.now() + 150);

    await expect(waiting).rejects.toThrow(SessionBusyError);
    await expect(waiting).rejects.toMatchObject({ status: 503, headers: { 'Retry-After': '1' } });
    expect(Date.now() - started).toBeLessThan(600);
    release();
  });

  it('keeps the lock past its lease while the holder runs, and frees it when a holder dies', async () => {
    const release = await locks(300).acquire('long', Date.now() + 1000);
    await sleep(700);
    expect(await holder('long')).not.toBeNull();
    await expect(locks(300).acquire('long', Date.now() + 100)).rejects.toThrow(SessionBusyError);
    release();

    await client.set(`${prefix}lock:dead`, 'a crashed holder', { PX: 200 });
    const next = await locks().acquire('dead', Date.now() + 1000);
    next();
  });

  it('never deletes the lock of the next holder when an old lease ran out', async () => {
    const stale = await locks(100).acquire('handover', Date.now() + 1000);
    await client.set(`${prefix}lock:handover`, 'the next holder', { PX: 5000 });

    stale();
    await sleep(50);

    expect(await holder('handover')).toBe('the next holder');
  });
});
