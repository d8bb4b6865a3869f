import fc from 'fast-check';

const SITE = 'https://site.example';

/**
 * Whether a browser following `Location: location` from https://site.example stays on that site: one
 * leading `/` (not `//` or `/\`), printable ASCII only, and the WHATWG URL parser (what browsers use)
 * resolves it to the same origin.
 */
export function isOnSite(location: unknown): boolean {
  if (typeof location !== 'string' || !location.startsWith('/')) return false;
  // Printable ASCII only: Node refuses other characters in a header, or sends raw Latin-1 bytes.
  if (!/^[\x21-\x7e]*$/.test(location)) return false;
  if (location.startsWith('//') || location.startsWith('/\\')) return false;
  return new URL(location, `${SITE}/some/page`).origin === SITE;
}

const PREFIXES = [
  '',
  '/',
  '//',
  '///',
  '\\',
  '\\\\',
  '/\\',
  '\\/',
  '/%2F',
  '%2F%2F',
  '%5C%5C',
  '/%5C',
];
const SCHEMES = ['', 'https:', 'http://', 'HTTPS://', 'javascript:', 'data:', '//', ' //', '\t//'];
const SEPARATORS = [
  '',
  '\t',
  '\n',
  '\r\n',
  ' ',
  '\u0000',
  '%09',
  '%0a',
  '@',
  '.',
  '\u2215',
  '\uff0f',
];
const HOSTS = [
  'evil.example',
  'evil.example:443',
  'user@evil.example',
  '127.0.0.1',
  '[::1]',
  'site.example.evil.example',
];

/** Open-redirect attempts: `//host`, schemes, backslashes, encoded slashes, tabs and newlines, Unicode slashes. */
export const hostileNext: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(...SCHEMES),
      fc.constantFrom(...PREFIXES),
      fc.constantFrom(...SEPARATORS),
      fc.constantFrom(...HOSTS),
      fc.constantFrom('', '/', '/dashboard', '?x=1', '#f'),
    )
    .map((parts) => parts.join('')),
  fc.webUrl(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('/cart', '/dashboard?tab=1', '/a/b/../c', '/%2e%2e/x'),
);

/** `Host` and `X-Forwarded-*` headers that would mislead an app building absolute URLs from them. */
export const hostileForwarding: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    Host: fc.constantFrom('evil.example', 'evil.example:8080', '127.0.0.1'),
    'X-Forwarded-Host': fc.constantFrom('evil.example', 'evil.example, site.example'),
    'X-Forwarded-Proto': fc.constantFrom('https', 'javascript', 'http'),
    'X-Forwarded-Prefix': fc.constantFrom('//evil.example', '/app'),
    'X-Original-URL': fc.constantFrom('//evil.example/', '/dashboard'),
  },
  { requiredKeys: [] },
);
