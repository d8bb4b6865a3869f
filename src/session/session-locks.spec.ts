import { SessionLocks } from './session-locks';

describe(SessionLocks.name, () => {
  it('runs holders of one key one after the other, and others in parallel', async () => {
    const sut = new SessionLocks();
    const order: string[] = [];
    const work = async (key: string, name: string) => {
      const release = await sut.acquire(key);
      order.push(`${name}:start`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push(`${name}:end`);
      release();
    };
    await Promise.all([work('a', 'a1'), work('a', 'a2'), work('b', 'b1')]);
    expect(order.indexOf('a1:end')).toBeLessThan(order.indexOf('a2:start'));
    expect(order.indexOf('b1:start')).toBeLessThan(order.indexOf('a1:end'));
    expect(sut.size).toBe(0);
  });

  it('tolerates a release called twice', async () => {
    const sut = new SessionLocks();
    const release = await sut.acquire('a');
    release();
    release();
    (await sut.acquire('a'))();
    expect(sut.size).toBe(0);
  });
});
