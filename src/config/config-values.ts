import ms from 'ms';
import { z } from 'zod';

/**
 * How configuration values are read, one factory per kind. Each call makes a fresh schema, so that every
 * key's schema can carry its own metadata (`KEY_META` in config.schema.ts). A schema sees the value as its
 * source gave it: a string from an un-prefixed variable, JSON-parsed from `APP_*`, a JSON value from the
 * config file, or the key's raw default.
 */

const BOOL_WORDS: Record<string, boolean> = {
  true: true,
  false: false,
  '1': true,
  '0': false,
  yes: true,
  no: false,
  on: true,
  off: false,
};

export function bool() {
  return z.union([z.boolean(), z.string()]).transform((v, ctx) => {
    if (typeof v === 'boolean') return v;
    const word = BOOL_WORDS[v.trim().toLowerCase()];
    if (word === undefined) {
      ctx.addIssue({ code: 'custom', message: `expected true or false, got "${v}"` });
      return z.NEVER;
    }
    return word;
  });
}

export function integer(min: number, max: number, what: string) {
  return z.union([z.number(), z.string()]).transform((v, ctx) => {
    const n = typeof v === 'number' ? v : /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) {
      ctx.addIssue({
        code: 'custom',
        message: `expected ${what} (${min}-${max}), got "${String(v)}"`,
      });
      return z.NEVER;
    }
    return n;
  });
}

/** Whole seconds, or a duration text with a unit (`7d`, `12h`, `30m`, `1.5h`), as the `ms` package reads it. */
export function duration() {
  return z.union([z.number(), z.string()]).transform((v, ctx) => {
    const text = String(v).trim();
    const seconds = /^\d+$/.test(text)
      ? Number(text)
      : /^\d/.test(text)
        ? ms(text as ms.StringValue) / 1000
        : NaN;
    if (!Number.isFinite(seconds) || seconds < 1) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a duration such as 2678400 (seconds), 31d, 12h or 30m, got "${text}"`,
      });
      return z.NEVER;
    }
    return Math.floor(seconds);
  });
}

export function oneOf<const T extends string>(values: readonly T[], caseInsensitive = false) {
  return z.string().transform((v, ctx): T => {
    const found = values.find((x) =>
      caseInsensitive ? x.toLowerCase() === v.toLowerCase() : x === v,
    );
    if (found === undefined) {
      ctx.addIssue({ code: 'custom', message: `expected one of ${values.join(', ')}, got "${v}"` });
      return z.NEVER;
    }
    return found;
  });
}

export function text() {
  return z.string().min(1, 'must not be empty');
}

/** Text that may be unset: absent or empty is `null`. */
export function optionalText() {
  return z
    .string()
    .optional()
    .transform((v) => (v === undefined || v === '' ? null : v));
}

/** A JSON array of strings, or one comma-separated string (`old1,old2`). */
export function keyList() {
  return z.union([z.array(z.string()), z.string()]).transform((v, ctx) => {
    if (Array.isArray(v)) return v;
    const trimmed = v.trim();
    if (trimmed.startsWith('[')) {
      const parsed = safeJson(trimmed);
      if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) return parsed;
      ctx.addIssue({
        code: 'custom',
        message: 'expected a JSON array of strings or comma-separated keys',
      });
      return z.NEVER;
    }
    return trimmed
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
  });
}

/** Express and Fastify both accept these forms: off/on, a hop count, or a list of trusted addresses. */
export type TrustProxy = boolean | number | string;

export function trustProxy() {
  return z.union([z.boolean(), z.number(), z.string()]).transform((v, ctx): TrustProxy => {
    if (typeof v === 'boolean') return v;
    const t = String(v).trim();
    if (/^\d+$/.test(t)) return Number(t);
    const word = BOOL_WORDS[t.toLowerCase()];
    if (word !== undefined) return word;
    if (t === '' || /[^\w.:/,\s-]/.test(t)) {
      ctx.addIssue({
        code: 'custom',
        message: `expected true, false, a hop count, or trusted addresses (loopback, 10.0.0.0/8, …), got "${t}"`,
      });
      return z.NEVER;
    }
    return t;
  });
}

/** A URL whose text matches `schemes`. */
export function urlWithScheme(schemes: RegExp, example: string) {
  return z.string().refine((v) => schemes.test(v), `expected a URL such as ${example}`);
}

/** `schema`, or unset (`undefined`) when the value is absent or empty text. */
export function unsetWhenEmpty<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
}

/** An `http(s)` origin, without a path, query or fragment; a trailing `/` is dropped. */
export function publicOrigin() {
  return z.string().transform((v, ctx) => {
    const url = URL.parse(v.trim());
    if (!url || !/^https?:$/.test(url.protocol) || url.username || url.password) {
      ctx.addIssue({
        code: 'custom',
        message: `expected an origin such as https://app.example.com, got "${v}"`,
      });
      return z.NEVER;
    }
    if (url.pathname !== '/' || url.search || url.hash) {
      ctx.addIssue({
        code: 'custom',
        message: `expected an origin without a path, query or fragment (https://app.example.com), got "${v}"`,
      });
      return z.NEVER;
    }
    return url.origin;
  });
}

/** `smtp://…`, `smtps://…` (nodemailer's connection URLs), `log` or `none`. */
export function mailUrl() {
  return z.string().transform((v, ctx) => {
    const text = v.trim();
    if (text === 'log' || text === 'none') return text;
    if (/^smtps?:\/\/./.test(text) && URL.canParse(text)) return text;
    ctx.addIssue({
      code: 'custom',
      message: 'expected smtp://user:pass@host:587, smtps://user:pass@host:465, log or none',
    });
    return z.NEVER;
  });
}

/** `no-reply@example.com` or `Example <no-reply@example.com>`: one address, no line breaks. */
export function mailFrom() {
  return z
    .string()
    .refine(
      (v) => /^([^<>\r\n]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/.test(v.trim()),
      'expected an address such as no-reply@example.com or "Example <no-reply@example.com>"',
    )
    .transform((v) => v.trim());
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}
