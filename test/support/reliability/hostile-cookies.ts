import { sign } from 'cookie-signature';
import fc from 'fast-check';
import { rawCookieValue } from '../../../src/session/http/cookie-header';
import { payload, sealCookie } from '../forge-cookie';

/** One generated `Cookie` header and how it was made (shown by fast-check when a run fails). */
export interface HostileCookie {
  kind: string;
  header: string;
}

/** What the property needs to know about the genuine, signed-in cookie it mutates. */
export interface GenuineCookie {
  name: string;
  /** The value exactly as the server set it (percent-encoded when the store signs an id). */
  value: string;
  store: 'cookie' | 'redis';
  userId: number;
}

/** Percent-encodes every byte outside `[A-Za-z0-9._~-]`, so any byte string fits in a header. */
export function percentBytes(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9._~-]/.test(c) ? c : `%${byte.toString(16).padStart(2, '0').toUpperCase()}`;
  }
  return out;
}

/** Replaces what Node refuses to send in a header (controls, DEL, code points above 0xFF). */
export function headerSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f]|[^\u0000-\u00ff]/gu, (c) =>
    encodeURIComponent(c),
  );
}

/** The session cookie's text as the app reads it from a header: raw, the first of duplicate names. */
export function sessionValueIn(header: string, name: string): string | undefined {
  return rawCookieValue(header, name);
}

const latin1 = (bytes: Uint8Array) => headerSafe(Buffer.from(bytes).toString('latin1'));

/**
 * Hostile `Cookie` headers built from a genuine signed-in cookie: random bytes, one bit flipped (in the text
 * and in the decoded payload), truncated, extended, pieces reordered, sealed or signed with another key,
 * the name repeated, 8 KB values, non-UTF-8 bytes raw and percent-encoded.
 */
export function hostileCookie(genuine: GenuineCookie): fc.Arbitrary<HostileCookie> {
  const { name, value } = genuine;
  const decoded = decodeURIComponent(value);
  const at = (kind: string) => (v: string) => ({ kind, header: `${name}=${v}` });
  return fc.oneof(
    fc.uint8Array({ maxLength: 400 }).map((b) => at('random bytes')(latin1(b))),
    fc
      .uint8Array({ maxLength: 400 })
      .map((b) => at('random base64url')(Buffer.from(b).toString('base64url'))),
    fc
      .tuple(fc.nat(decoded.length * 8 - 1))
      .map(([bit]) => at('text bit flip')(flipText(decoded, bit))),
    fc.nat(4096).map((bit) => at('payload bit flip')(flipPayload(decoded, bit))),
    fc.nat(Math.max(0, value.length - 1)).map((n) => at('truncated')(value.slice(0, n))),
    fc.string({ minLength: 1, maxLength: 64 }).map((s) => at('extended')(value + headerSafe(s))),
    fc
      .array(fc.nat(1000), { minLength: 2, maxLength: 6 })
      .map((keys) => at('reordered')(reorder(value, keys))),
    fc
      .string({ minLength: 1, maxLength: 40 })
      .map((secret) => at('another key')(foreign(genuine, secret))),
    fc
      .tuple(fc.uint8Array({ maxLength: 60 }), fc.integer({ min: 2, max: 20 }), fc.boolean())
      .map(([b, times, genuineLast]) => ({
        kind: 'name repeated',
        header: repeated(name, latin1(b), value, times, genuineLast),
      })),
    fc
      .tuple(fc.constantFrom('A', '%', '=', ';', '\u00ff'), fc.integer({ min: 8000, max: 8192 }))
      .map(([c, n]) => at('8 KB value')(headerSafe(c.repeat(n)))),
    fc
      .uint8Array({ minLength: 1, maxLength: 200 })
      .map((b) => at('non-UTF-8')(percentBytes(b.map((x) => x | 0x80)) + value.slice(0, 20))),
    fc.constantFrom(...otherSpellings(value)).map(at('other spelling of the same bytes')),
  );
}

/** Texts a lenient decoder reads as the genuine bytes: padding, the other base64 alphabet, quotes, escapes. */
function otherSpellings(value: string): string[] {
  return [
    `${value}=`,
    `${value}==`,
    `${value}%3D`,
    `"${value}"`,
    ` ${value}`,
    `${value} `,
    value.replace('-', '+').replace('_', '/'),
    value.replace('%3A', '%3a'),
    value.replace('%3A', ':'),
    value.replace(/^./, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
    value.replace(/\.(?=[^.]*$)/, '%2E'),
  ].filter((spelling) => spelling !== value);
}

function flipText(text: string, bit: number): string {
  const bytes = Buffer.from(text, 'latin1');
  bytes[Math.floor(bit / 8) % bytes.length] ^= 1 << (bit % 8);
  return percentBytes(bytes);
}

/** Flips one bit of the base64url-decoded value (the cipher text and tag of a sealed cookie). */
function flipPayload(text: string, bit: number): string {
  const bytes = Buffer.from(text.replace(/^s:/, ''), 'base64url');
  if (bytes.length === 0) return text;
  bytes[Math.floor(bit / 8) % bytes.length] ^= 1 << (bit % 8);
  return percentBytes(
    Buffer.from((text.startsWith('s:') ? 's:' : '') + bytes.toString('base64url')),
  );
}

function reorder(value: string, keys: number[]): string {
  const cut = Math.ceil(value.length / keys.length);
  const pieces = keys.map((key, i) => ({ key, piece: value.slice(i * cut, (i + 1) * cut) }));
  return pieces
    .sort((a, b) => a.key - b.key)
    .map((p) => p.piece)
    .join('');
}

function foreign(genuine: GenuineCookie, secret: string): string {
  if (genuine.store === 'cookie')
    return sealCookie(payload({ user_id: genuine.userId }), `other-${secret}`);
  const decoded = decodeURIComponent(genuine.value);
  const id = decoded.slice(2, decoded.lastIndexOf('.'));
  return encodeURIComponent(`s:${sign(id, `other-${secret}`)}`);
}

function repeated(name: string, junk: string, value: string, times: number, genuineLast: boolean) {
  const copies = Array.from({ length: times }, () => `${name}=${junk}`);
  const real = `${name}=${value}`;
  return (genuineLast ? [...copies, real] : [real, ...copies]).join('; ');
}
