/**
 * A `next` target only when it is a path on this site: starts with one `/`, not `//host` or `/\host`
 * (browsers read a backslash as a slash), no scheme, no control characters. Anything else gives `fallback`.
 */
export function safeNext(next: unknown, fallback: string): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2000) return fallback;
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return fallback;
  try {
    const url = new URL(next, 'http://local.invalid');
    return url.origin === 'http://local.invalid' ? next : fallback;
  } catch {
    return fallback;
  }
}
