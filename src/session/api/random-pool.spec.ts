import { pooledRandomBytes } from './random-pool';

describe('pooledRandomBytes', () => {
  it('never repeats a value across many pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) seen.add(pooledRandomBytes(12).toString('hex'));

    expect(seen.size).toBe(20_000);
  });

  it('gives each caller its own bytes, unaffected by later calls', () => {
    const first = pooledRandomBytes(18);
    const copy = Buffer.from(first);
    for (let i = 0; i < 1000; i++) pooledRandomBytes(18);

    expect(first.equals(copy)).toBe(true);
    expect(first.length).toBe(18);
  });

  it('looks uniformly random: every byte value turns up, none far more often than the rest', () => {
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 10_000; i++) for (const byte of pooledRandomBytes(16)) counts[byte]++;

    // 160,000 bytes: 625 of each value expected; a real CSPRNG stays well within ±25 %.
    expect(Math.min(...counts)).toBeGreaterThan(625 * 0.75);
    expect(Math.max(...counts)).toBeLessThan(625 * 1.25);
  });

  it('serves requests larger than the pool slice straight from randomBytes', () => {
    const big = pooledRandomBytes(5000);

    expect(big.length).toBe(5000);
    expect(new Set(big).size).toBeGreaterThan(200);
  });
});
