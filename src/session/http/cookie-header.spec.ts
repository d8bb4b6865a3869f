import { stringifySetCookie } from 'cookie';
import fc from 'fast-check';
import type { SessionCookieOptions } from '../../config/app-config';
import { testConfig } from '../../../test/support/test-app';
import { cookieAttributes, maxAgeUntil, SessionCookieWriter } from './cookie-header';

const optionsArb: fc.Arbitrary<SessionCookieOptions> = fc.record({
  name: fc.constantFrom('session', '__Host-session', 'app_sess'),
  domain: fc.constantFrom(null, 'example.org', '.example.org'),
  path: fc.constantFrom('/', '/app', '/a/b'),
  httpOnly: fc.boolean(),
  secure: fc.boolean(),
  sameSite: fc.constantFrom('Lax', 'Strict', 'None'),
  partitioned: fc.boolean(),
});

/**
 * What the writer replaced: the `cookie` package serialising the value and every attribute for every
 * response. The oracle for the string the writer assembles from its parts.
 */
function serialiseAll(options: SessionCookieOptions, value: string, expires?: Date): string {
  return stringifySetCookie(
    {
      name: options.name,
      value,
      ...cookieAttributes(options),
      expires,
      maxAge: expires ? maxAgeUntil(expires) : undefined,
    },
    // Backends issue cookie-safe text; the package still checks that it is.
    { encode: (text: string) => text },
  );
}

/** A Set-Cookie value as its name=value and the set of its attributes (their order carries no meaning). */
function parts(header: string): { pair: string; attributes: string[] } {
  const [pair, ...attributes] = header.split('; ');
  return { pair, attributes: attributes.map((a) => a.toLowerCase()).sort() };
}

// Values as the backends issue them: base64url (cookie store) or `s%3A<id>.<signature>` (stores).
const valueArb = fc.oneof(
  fc
    .base64String({ minLength: 4, maxLength: 400 })
    .map((b) => b.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')),
  fc
    .tuple(
      fc.base64String({ minLength: 4, maxLength: 40 }),
      fc.base64String({ minLength: 4, maxLength: 44 }),
    )
    .map(([id, sig]) => encodeURIComponent(`s:${id.replace(/=+$/, '')}.${sig.replace(/=+$/, '')}`)),
);

describe('SessionCookieWriter', () => {
  it('writes what the cookie package writes, for any config, value and lifetime', () => {
    fc.assert(
      fc.property(
        optionsArb,
        valueArb,
        fc.option(fc.integer({ min: 0, max: 400 * 86400 })),
        (options, value, seconds) => {
          const expires = seconds === null ? undefined : new Date(Date.now() + seconds * 1000);
          const written = new SessionCookieWriter(options).set(value, expires);
          expect(parts(written)).toEqual(parts(serialiseAll(options, value, expires)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('expires the cookie with the attributes it was set with', () => {
    fc.assert(
      fc.property(optionsArb, (options) => {
        const writer = new SessionCookieWriter(options);
        expect(parts(writer.expired)).toEqual(parts(serialiseAll(options, '', new Date(0))));
        expect(writer.expired.startsWith(`${options.name}=;`)).toBe(true);
      }),
    );
  });

  it('refuses, at boot, a cookie name the cookie package rejects', () => {
    const options = { ...testConfig().config.session.cookie, name: 'bad name' };
    expect(() => new SessionCookieWriter(options)).toThrow(/name/i);
  });
});
