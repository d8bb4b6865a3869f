import * as argon2 from 'argon2';
import { PasswordHashBusyError, PasswordHasher } from './password-hasher';

describe(PasswordHasher.name, () => {
  it('hashes with argon2id at OWASP parameters (19 MiB, 2 passes, 1 lane) and verifies', async () => {
    const sut = new PasswordHasher();

    const hash = await sut.hash('correct horse');

    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    await expect(sut.verify(hash, 'correct horse')).resolves.toBe(true);
    await expect(sut.verify(hash, 'wrong horse')).resolves.toBe(false);
    expect(sut.needsRehash(hash)).toBe(false);
    expect(sut.needsRehash(await argon2.hash('x', { type: argon2.argon2id }))).toBe(true);
  });

  it('runs at most `concurrency` hashes at once; one that waits past `waitMs` gets 503 with Retry-After', async () => {
    const hash = await new PasswordHasher().hash('pw');
    // A 19 MiB hash takes far longer than the 5 ms wait, so exactly the first two get a slot in time.
    const sut = new PasswordHasher({ concurrency: 2, waitMs: 5 });

    const outcomes = await Promise.allSettled(
      Array.from({ length: 6 }, () => sut.verify(hash, 'pw')),
    );

    expect(outcomes.slice(0, 2)).toEqual([
      { status: 'fulfilled', value: true },
      { status: 'fulfilled', value: true },
    ]);
    for (const outcome of outcomes.slice(2)) {
      expect(outcome.status).toBe('rejected');
      const error = (outcome as PromiseRejectedResult).reason as unknown;
      expect(error).toBeInstanceOf(PasswordHashBusyError);
      expect(error).toMatchObject({ status: 503, headers: { 'Retry-After': '1' } });
    }
    await expect(sut.verify(hash, 'pw')).resolves.toBe(true);
  });

  it('frees the slot of a verification that fails', async () => {
    const sut = new PasswordHasher({ concurrency: 1, waitMs: 5 });

    await expect(sut.verify('not a hash', 'pw')).rejects.toThrow();
    await expect(sut.verify(await sut.hash('pw'), 'pw')).resolves.toBe(true);
  });
});
