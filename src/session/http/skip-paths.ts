/**
 * Paths the session layer leaves alone unless `skipPaths` says otherwise: the liveness and readiness probes,
 * the static files under `/assets/` (a stylesheet opens no session, refreshes no cookie and never waits
 * for a store), and the API docs, `/docs` and everything under it. An app that passes its own list can
 * extend this one: `[...DEFAULT_SKIP_PATHS, '/metrics']`.
 */
export const DEFAULT_SKIP_PATHS: readonly string[] = [
  '/healthz',
  '/readyz',
  '/assets/',
  '/docs',
  '/docs/',
];

/** `skipPaths` as a test: an entry ending in `/` matches every path under it, any other entry exactly. */
export function pathMatcher(paths: readonly string[]): (path: string) => boolean {
  const exact = new Set(paths.filter((path) => !path.endsWith('/')));
  const prefixes = paths.filter((path) => path.endsWith('/'));
  return (path) => exact.has(path) || prefixes.some((prefix) => path.startsWith(prefix));
}
