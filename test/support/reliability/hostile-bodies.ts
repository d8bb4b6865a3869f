import fc from 'fast-check';
import { SEED_EMAIL, SEED_PASSWORD } from '../auth-setup';
import { percentBytes } from './hostile-cookies';

/** One generated POST: its content type, raw body and whether it carries a valid CSRF token. */
export interface HostileBody {
  kind: string;
  contentType: string | undefined;
  body: string | Buffer;
  accept: 'json' | 'html' | 'none';
  /** Form posts only: fetch a session and a CSRF token first, so the body reaches validation. */
  withCsrf: boolean;
}

export const POST_ROUTES = ['/login', '/register', '/cart/items', '/logout'] as const;

const FIELDS = ['email', 'password', 'remember', 'item', 'next', '_csrf'];
const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];

/** Field values: wrong types, huge and odd strings, nesting, and a few valid ones so validation passes. */
const value: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(SEED_EMAIL, SEED_PASSWORD, 'password123', 'apple', true, 'on', '/cart'),
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.integer({ min: 0, max: 120_000 }).map((n) => 'x'.repeat(n)),
  fc.constantFrom(
    '\ud800',
    'a\udfffb',
    '\u0000',
    ' ',
    '',
    'a'.repeat(101),
    `${'a'.repeat(250)}@x.io`,
  ),
  fc.record({ polluted: fc.constant('yes') }),
);

const key = fc.oneof(fc.constantFrom(...FIELDS, ...HOSTILE_KEYS), fc.string({ maxLength: 12 }));

/** JSON object text built by hand, so duplicate and `__proto__` keys reach the server as written. */
const objectText = fc
  .array(fc.tuple(key, value), { maxLength: 8 })
  .map(
    (pairs) =>
      `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`,
  );

/** A valid value four times in five, else a hostile one. */
const mostly = (valid: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: value });

/** The right fields, each valid or hostile, plus hostile extras: these get past the parser to validation. */
const nearValid = fc
  .record(
    {
      email: mostly(
        fc.oneof(
          fc.constantFrom(SEED_EMAIL, 'Someone@Example.com'),
          fc.nat().map((n) => `user${n}@example.com`),
        ),
      ),
      password: mostly(fc.constantFrom(SEED_PASSWORD, 'long-enough-password', 'wrong-password')),
      item: mostly(fc.string({ minLength: 1, maxLength: 100 })),
      remember: mostly(fc.boolean()),
      next: mostly(fc.constantFrom('/cart', '//evil.example', '/\\evil')),
      extra: fc.array(fc.tuple(fc.constantFrom(...HOSTILE_KEYS), value), { maxLength: 3 }),
    },
    { requiredKeys: ['email', 'password', 'item', 'extra'] },
  )
  .map(({ extra, ...fields }) => {
    const pairs = [...Object.entries(fields), ...extra];
    return `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`;
  });

const deepText = fc
  .tuple(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('[', '{"a":'))
  .map(([depth, open]) => open.repeat(depth) + '1' + (open === '[' ? ']' : '}').repeat(depth));

const jsonText = fc.oneof(
  { weight: 4, arbitrary: objectText },
  { weight: 1, arbitrary: deepText },
  { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', 'null', '[]', '"x"', '{', '{"email":', 'nul', '\ufeff{}'),
  },
);

const truncatedJson = fc
  .tuple(objectText, fc.nat())
  .map(([text, n]) => text.slice(0, text.length <= 1 ? 0 : n % (text.length - 1)));

const formPair = fc.tuple(
  fc.oneof(
    fc.constantFrom(
      ...FIELDS,
      '__proto__[polluted]',
      'constructor[prototype][polluted]',
      'a[b][c]',
    ),
    fc.string({ maxLength: 12 }),
  ),
  fc.oneof(
    value.map((v) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))),
    fc.string(),
  ),
);
/** Percent-encodes UTF-8 bytes; lone surrogates become U+FFFD, as a browser would send them. */
const formEncode = (s: string) => percentBytes(Buffer.from(s, 'utf8'));

const formText = fc
  .array(formPair, { maxLength: 8 })
  .map((pairs) => pairs.map(([k, v]) => `${formEncode(k)}=${formEncode(v)}`).join('&'));

const JSON_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/vnd.api+json',
];
const OTHER_TYPES = [
  'text/plain',
  'application/xml',
  'multipart/form-data',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'application/json; charset=utf-16',
  'application/x-www-form-urlencoded; charset=latin1',
  'text/html',
  '*/*',
  ';;;',
];

const accept = fc.constantFrom<'json' | 'html' | 'none'>('json', 'html', 'none');

/**
 * Generated bodies: JSON with wrong types, huge strings, deep nesting, hostile and duplicate keys, truncated
 * JSON, forms (with and without a valid CSRF token), non-UTF-8 bytes, and mismatched content types.
 */
export function hostileBody(): fc.Arbitrary<HostileBody> {
  const body = (
    kind: string,
    contentType: fc.Arbitrary<string | undefined>,
    text: fc.Arbitrary<string | Buffer>,
  ) =>
    fc.record({ kind: fc.constant(kind), contentType, body: text, accept, withCsrf: fc.boolean() });
  return fc.oneof(
    { weight: 4, arbitrary: body('json', fc.constantFrom(...JSON_TYPES), jsonText) },
    { weight: 4, arbitrary: body('near-valid json', fc.constant('application/json'), nearValid) },
    { weight: 2, arbitrary: body('truncated json', fc.constantFrom(...JSON_TYPES), truncatedJson) },
    {
      weight: 3,
      arbitrary: body('form', fc.constant('application/x-www-form-urlencoded'), formText),
    },
    {
      weight: 1,
      arbitrary: body(
        'non-UTF-8 bytes',
        fc.constantFrom(JSON_TYPES[0], 'application/x-www-form-urlencoded'),
        fc
          .uint8Array({ maxLength: 300 })
          .map((b) =>
            Buffer.concat([Buffer.from('{"email":"'), Buffer.from(b), Buffer.from('"}')]),
          ),
      ),
    },
    {
      weight: 2,
      arbitrary: body(
        'wrong content type',
        fc.option(fc.constantFrom(...OTHER_TYPES), { nil: undefined }),
        fc.oneof(jsonText, formText),
      ),
    },
  );
}
