import { SessionBusyError } from '../../api/session.errors';
import { ProcessWriteLocks } from './process-locks';

const soon = () => Date.now() + 1000;

describe(ProcessWriteLocks.name, () => {
  it('runs holders of one key one after the other, and others in parallel', async () => {
    const sut = new ProcessWriteLocks();
    const order: string[] = [];
    const work = async (key: string, name: string) => {
      const release = await sut.acquire(key, soon());
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
    const sut = new ProcessWriteLocks();
    const release = await sut.acquire('a', soon());
    release();
    release();
    (await sut.acquire('a', soon()))();
    expect(sut.size).toBe(0);
  });

  it('refuses a waiter whose deadline passes, and the turn it gave back goes to the next one', async () => {
    const sut = new ProcessWriteLocks();
    const first = await sut.acquire('a', soon());
    const impatient = sut.acquire('a', Date.now() + 20);
    const patient = sut.acquire('a', soon());

    await expect(impatient).rejects.toThrow(SessionBusyError);
    let second = false;
    void patient.then(() => (second = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(second).toBe(false);
    first();
    (await patient)();
    expect(sut.size).toBe(0);
  });
});
