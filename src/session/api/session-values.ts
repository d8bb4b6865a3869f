import { FORBIDDEN_KEYS, isForbiddenKey } from '../../common/forbidden-keys';

/** Session values keyed by name; a null-prototype object, so no key can reach `Object.prototype`. */
export type SessionValues = Record<string, unknown>;

export function emptyValues(): SessionValues {
  return Object.create(null) as SessionValues;
}

/**
 * A forbidden key can only reach a parsed object by being spelled in the text, literally or with a `\u`
 * escape. Text with neither parses the same with or without the reviver, and a reviver makes `JSON.parse`
 * several times slower, so such text (every cookie this app seals) skips it.
 */
const MAY_HOLD_FORBIDDEN_KEY = new RegExp([...FORBIDDEN_KEYS, '\\\\u'].join('|'));

const dropForbiddenKeys = (key: string, value: unknown): unknown =>
  isForbiddenKey(key) ? undefined : value;

/** `JSON.parse` that drops `__proto__`, `constructor` and `prototype` keys at every depth. */
export function parseSafeJson(text: string): unknown {
  return MAY_HOLD_FORBIDDEN_KEY.test(text) ? JSON.parse(text, dropForbiddenKeys) : JSON.parse(text);
}

/**
 * Copies a value read from a store into fresh objects without prototype-reaching keys (a store may
 * hand back `JSON.parse` output, which keeps a literal `__proto__` key as an own property).
 */
export function sanitize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sanitize);
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (!isForbiddenKey(key)) copy[key] = sanitize(inner);
  }
  return copy;
}

/** A plain JSON object: not `null`, not an array. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Session values from a parsed payload: a null-prototype object, or `null` when it is not an object. */
export function toSessionValues(value: unknown): SessionValues | null {
  if (!isJsonObject(value)) return null;
  const values = emptyValues();
  for (const [key, inner] of Object.entries(value)) {
    if (!isForbiddenKey(key)) values[key] = inner;
  }
  return values;
}
