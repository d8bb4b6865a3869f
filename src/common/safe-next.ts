const ORIGIN = 'http://local.invalid';

/**
 * A `next` target only when it is a path on this site, as printable ASCII: characters outside it are
 * percent-encoded as UTF-8 first (`/café` → `/caf%C3%A9`), then the result must start with one `/` (not
 * `//host` or `/\host`, which browsers read as another host), hold no backslash or control character,
 * and stay on this origin for the WHATWG URL parser. Anything else, lone surrogates included, gives
 * `fallback`.
 */
export function safeNext(next: unknown, fallback: string): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2000) return fallback;
  // eslint-disable-next-line no-control-regex
  if (!next.isWellFormed() || /[\u0000-\u001f\u007f\\]/.test(next)) return fallback;
  const path = asciiLocation(next);
  if (!path.startsWith('/') || path.startsWith('//')) return fallback;
  try {
    return new URL(path, ORIGIN).origin === ORIGIN ? path : fallback;
  } catch {
    return fallback;
  }
}

/**
 * A `Location` value as printable ASCII: every character outside `!`–`~` (spaces, non-ASCII) is
 * percent-encoded as UTF-8, so Node never refuses the header (`ERR_INVALID_CHAR`) or sends raw Latin-1
 * bytes. The caller has already chosen a safe target.
 */
export function asciiLocation(location: string): string {
  return location.replace(/[^\x21-\x7e]/gu, (char) => encodeURIComponent(char));
}
