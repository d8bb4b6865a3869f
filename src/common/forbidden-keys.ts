/** Keys that could reach an object's prototype when copied with `Object.assign` or a merge. */
export const FORBIDDEN_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

const forbidden = new Set(FORBIDDEN_KEYS);

/** True for `__proto__`, `constructor` and `prototype`: never a session key, a config segment or a copied key. */
export function isForbiddenKey(key: string): boolean {
  return forbidden.has(key);
}
