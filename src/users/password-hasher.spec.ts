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

describe('failed checks against older parameters', () => {
  const legacyOptions = {
    type: argon2.argon2id,
    memoryCost: 65_536,
    timeCost: 3,
    parallelism: 4,
  } as const;

  it('pads a failed check to the costliest parameter set measured, so it answers no sooner', async () => {
    const sut = new PasswordHasher();
    const legacy = await argon2.hash('pw', legacyOptions);
    await sut.measure([legacy]);
    const legacyStarted = performance.now();
    await sut.check(legacy, 'wrong');
    const legacyMs = performance.now() - legacyStarted;

    const current = await sut.hash('pw');
    const started = performance.now();
    const { matches, costMs } = await sut.check(current, 'wrong');
    await sut.padFailure(costMs);
    const paddedMs = performance.now() - started;

    expect(matches).toBe(false);
    expect(costMs).toBeLessThan(legacyMs);
    expect(paddedMs).toBeGreaterThan(0.75 * legacyMs);
  });

  it('pads nothing when every stored hash has the current parameters', async () => {
    const sut = new PasswordHasher();
    const current = await sut.hash('pw');
    await sut.measure([current, 'not an argon2 hash']);
    const { costMs } = await sut.check(current, 'wrong');
    const started = performance.now();
    await sut.padFailure(costMs);
    expect(performance.now() - started).toBeLessThan(0.5 * costMs + 20);
  });
});
