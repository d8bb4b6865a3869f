import fc from 'fast-check';
import { isForbiddenKey } from '../../common/forbidden-keys';
import { parseSafeJson } from './session-values';

/** The slow, obviously right version: always the reviver. */
const parseWithReviver = (text: string): unknown =>
  JSON.parse(text, (key, value: unknown) => (isForbiddenKey(key) ? undefined : value));

const forbiddenKey = fc.constantFrom('__proto__', 'constructor', 'prototype');

/** Spells a key in JSON with every character as a `\uXXXX` escape, as a hostile payload could. */
const escaped = (key: string): string =>
  [...key].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');

describe('parseSafeJson', () => {
  it('drops forbidden keys at every depth, spelled literally', () => {
    const parsed = parseSafeJson(
      '{"__proto__":{"admin":true},"a":{"constructor":{"prototype":1},"b":[{"__proto__":2}]}}',
    ) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['a']);
    expect(parsed).toEqual({ a: { b: [{}] } });
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('drops forbidden keys spelled with \\u escapes', () => {
    const parsed = parseSafeJson(`{"${escaped('__proto__')}":{"admin":true},"x":1}`);
    expect(Object.prototype.hasOwnProperty.call(parsed, '__proto__')).toBe(false);
    expect(parsed).toEqual({ x: 1 });
  });

  it('gives the same result as always using the reviver, for any JSON', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(parseSafeJson(text)).toEqual(parseWithReviver(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the same result as the reviver when forbidden keys are planted, plain or escaped', () => {
    const planted = fc
      .tuple(fc.jsonValue(), forbiddenKey, fc.boolean(), fc.jsonValue())
      .map(([value, key, escape, inner]) => {
        const name = escape ? escaped(key) : key;
        return `{"${name}":${JSON.stringify(inner)},"v":${JSON.stringify(value)},"n":{"${name}":1}}`;
      });
    fc.assert(
      fc.property(planted, (text) => {
        const parsed = parseSafeJson(text) as Record<string, unknown>;
        expect(parsed).toEqual(parseWithReviver(text));
        expect(Object.keys(parsed).some(isForbiddenKey)).toBe(false);
        expect(Object.keys(parsed.n as object)).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it('still throws on text that is not JSON', () => {
    expect(() => parseSafeJson('{"a":')).toThrow(SyntaxError);
  });
});
