import { DEFAULT_SKIP_PATHS, pathMatcher } from './skip-paths';

describe(pathMatcher.name, () => {
  const sut = pathMatcher(DEFAULT_SKIP_PATHS);

  it('skips the probes exactly, and /docs and everything under it and /assets/', () => {
    for (const path of [
      '/healthz',
      '/readyz',
      '/assets/app.css',
      '/assets/favicon.svg',
      '/docs',
      '/docs/openapi.json',
    ])
      expect(sut(path)).toBe(true);
  });

  it('opens the session everywhere else, near misses included', () => {
    for (const path of [
      '/',
      '/healthz/x',
      '/healthzz',
      '/assets',
      '/assetsx/a.css',
      '/cart/assets/',
      '/docsx',
    ])
      expect(sut(path)).toBe(false);
  });
});
