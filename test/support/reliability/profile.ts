/**
 * How hard the reliability suites push. `fast` (the default) keeps `npm test` short; `full`
 * (`RELIABILITY_PROFILE=full`, set by `npm run test:soak`) runs the counts docs/RELIABILITY.md reports.
 */
export const FULL = process.env.RELIABILITY_PROFILE === 'full';

export const PROFILE = FULL
  ? { cookieRuns: 10_000, bodyRuns: 400, headerRuns: 1_000, clients: 200, items: 20 }
  : { cookieRuns: 300, bodyRuns: 100, headerRuns: 150, clients: 20, items: 10 };

/** Jest timeout for one property: generous in `full`, bounded in both. */
export const PROPERTY_TIMEOUT_MS = FULL ? 1_800_000 : 120_000;

/** A fixed seed unless `RELIABILITY_SEED` is set, so a failure in CI can be replayed locally. */
export const SEED = Number(process.env.RELIABILITY_SEED ?? 20261122);
