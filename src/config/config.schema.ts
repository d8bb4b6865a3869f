import ms from 'ms';
import { z } from 'zod';

/**
 * The configuration keys the app understands: one zod schema each, with the text the README table and
 * `npm run config:check` show. A key's schema sees the value as its source gave it: a string from an
 * un-prefixed variable, JSON-parsed from `APP_*` (`raw` keeps the text) or a JSON value from the file.
 */
export interface KeyDefinition {
  key: string;
  /** Shown in the README table. */
  defaultText: string;
  description: string;
  schema: z.ZodType;
  /** Masked in every output. */
  secret?: boolean;
  /** Read from the environment without the `APP_` prefix too (SPEC §3 well-known keys). */
  wellKnown?: boolean;
  /** The schema wants text: an `APP_*` value that parsed as JSON (`APP_SECRET_KEY=123…`) keeps its text. */
  text?: boolean;
}

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

const bool = z.union([z.boolean(), z.string()]).transform((v, ctx) => {
  if (typeof v === 'boolean') return v;
  const word = BOOL_WORDS[v.trim().toLowerCase()];
  if (word === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected true or false, got "${v}"` });
    return z.NEVER;
  }
  return word;
});

function integer(min: number, max: number, what: string) {
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
const duration = z.union([z.number(), z.string()]).transform((v, ctx) => {
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

function oneOf<T extends string>(values: readonly T[], caseInsensitive = false) {
  return z.string().transform((v, ctx) => {
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

const text = z.string().min(1, 'must not be empty');
const optionalText = z.string().transform((v) => (v === '' ? null : v));

/** A JSON array of strings, or one comma-separated string (`old1,old2`). */
const keyList = z.union([z.array(z.string()), z.string()]).transform((v, ctx) => {
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

const trustProxy = z.union([z.boolean(), z.number(), z.string()]).transform((v, ctx) => {
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

function urlWithScheme(schemes: RegExp, example: string) {
  return z.string().refine((v) => schemes.test(v), `expected a URL such as ${example}`);
}

export const KEY_DEFINITIONS: readonly KeyDefinition[] = [
  {
    key: 'NODE_ENV',
    defaultText: '`production`; `npm start` and `npm run start:dev` set `development`',
    description:
      '`development`, `test` or `production`. The built app (`node dist/main.js`, `start:prod`, the image) never runs as development unless told so',
    schema: oneOf(['development', 'test', 'production'] as const),
    wellKnown: true,
    text: true,
  },
  {
    key: 'SECRET_KEY',
    defaultText: 'none',
    description:
      'Signs and encrypts sessions. Production: required, 32+ characters, not a placeholder. Development: generated once into `INSTANCE_PATH/secret_key` when unset. `npm run secret` prints one',
    schema: optionalText,
    secret: true,
    wellKnown: true,
    text: true,
  },
  {
    key: 'SECRET_KEY_FALLBACKS',
    defaultText: '`[]`',
    description:
      'Old keys, JSON array or comma-separated: verify only, never sign; same strength rule in production',
    schema: keyList,
    secret: true,
    wellKnown: true,
  },
  {
    key: 'SESSION_STORE',
    defaultText: '`cookie`',
    description:
      '`cookie` (encrypted cookie, stateless), `memory` (not in production), `redis` (needs `REDIS_URL`)',
    schema: oneOf(['cookie', 'memory', 'redis'] as const),
    wellKnown: true,
    text: true,
  },
  {
    key: 'REDIS_URL',
    defaultText: 'none',
    description: 'Required when `SESSION_STORE=redis`, e.g. `redis://127.0.0.1:6379`',
    schema: urlWithScheme(/^rediss?:\/\/./, 'redis://127.0.0.1:6379'),
    secret: true,
    wellKnown: true,
    text: true,
  },
  {
    key: 'DATABASE_URL',
    defaultText: '`sqlite:<INSTANCE_PATH>/app.sqlite`',
    description: 'Users database: `sqlite:<file>` or `postgres://user@host:5432/db`',
    schema: urlWithScheme(
      /^(sqlite:.+|postgres(ql)?:\/\/.+)$/,
      'sqlite:instance/app.sqlite or postgres://host/db',
    ),
    secret: true,
    wellKnown: true,
    text: true,
  },
  {
    key: 'SESSION_COOKIE_NAME',
    defaultText: '`session`',
    description:
      'Name of the session cookie. `__Host-session` in production: `__Host-` needs Secure, Path `/` and no Domain; `__Secure-` needs Secure',
    schema: text.regex(
      /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/,
      'must be a cookie name token (letters, digits, - _ .)',
    ),
    text: true,
  },
  {
    key: 'SESSION_COOKIE_DOMAIN',
    defaultText: 'none',
    description: '`Domain` attribute; none means the cookie stays on the exact host',
    schema: optionalText,
    text: true,
  },
  {
    key: 'SESSION_COOKIE_PATH',
    defaultText: '`/`',
    description: '`Path` attribute',
    schema: text.regex(/^\/[^;\s]*$/, 'must start with / and hold no ; or spaces'),
    text: true,
  },
  {
    key: 'SESSION_COOKIE_HTTPONLY',
    defaultText: '`true`',
    description: '`HttpOnly` attribute',
    schema: bool,
  },
  {
    key: 'SESSION_COOKIE_SECURE',
    defaultText: '`false`; `true` in production',
    description:
      '`Secure` attribute (sent whatever the scheme; browsers accept it on http://localhost)',
    schema: bool,
  },
  {
    key: 'SESSION_COOKIE_SAMESITE',
    defaultText: '`Lax`',
    description: '`Strict`, `Lax` or `None`; `None` needs `SESSION_COOKIE_SECURE=true`',
    schema: oneOf(['Strict', 'Lax', 'None'] as const, true),
    text: true,
  },
  {
    key: 'SESSION_COOKIE_PARTITIONED',
    defaultText: '`false`',
    description: '`Partitioned` attribute (CHIPS); needs `SESSION_COOKIE_SECURE=true`',
    schema: bool,
  },
  {
    key: 'PERMANENT_SESSION_LIFETIME',
    defaultText: '`31d`',
    description: 'Lifetime of a permanent session: seconds, or a duration such as `7d`, `12h`',
    schema: duration,
  },
  {
    key: 'SESSION_ABSOLUTE_LIFETIME',
    defaultText: '`31d`',
    description:
      'Longest life of any session, permanent or not, on every store, counted from its login and never renewed by use: seconds or a duration',
    schema: duration,
  },
  {
    key: 'SESSION_REFRESH_EACH_REQUEST',
    defaultText: '`true`',
    description: 'Permanent sessions get a fresh cookie on every request',
    schema: bool,
  },
  {
    key: 'MAX_COOKIE_SIZE',
    defaultText: '`4093`',
    description:
      'Largest whole `Set-Cookie` value in bytes; a bigger session gets 413; `0` turns the guard off',
    schema: integer(0, 1_000_000, 'a size in bytes'),
  },
  {
    key: 'SESSION_KEY_PREFIX',
    defaultText: '`sess:`',
    description:
      'Prefix of every key the app keeps in Redis: sessions (`SESSION_STORE=redis`) and the login counters (`throttle:…`)',
    schema: text.max(100, 'must be at most 100 characters'),
    text: true,
  },
  {
    key: 'HTTP_ADAPTER',
    defaultText: '`fastify`',
    description: '`fastify` or `express`: the same app on either NestJS platform',
    schema: oneOf(['fastify', 'express'] as const),
    wellKnown: true,
    text: true,
  },
  {
    key: 'INSTANCE_PATH',
    defaultText: '`./instance`',
    description:
      'Folder for the development key, the SQLite file and `config.json`; created when missing',
    schema: text,
    wellKnown: true,
    text: true,
  },
  {
    key: 'PORT',
    defaultText: '`3000`',
    description: 'Port to listen on',
    schema: integer(0, 65535, 'a port number'),
    wellKnown: true,
  },
  {
    key: 'HOST',
    defaultText: '`0.0.0.0`',
    description: 'Address to listen on',
    schema: text,
    wellKnown: true,
    text: true,
  },
  {
    key: 'TRUST_PROXY',
    defaultText: '`false`',
    description:
      'Trust `X-Forwarded-*` from: `true`, a hop count, or addresses (`loopback`, `10.0.0.0/8`)',
    schema: trustProxy,
    wellKnown: true,
  },
  {
    key: 'PASSWORD_HASH_CONCURRENCY',
    defaultText: '`UV_THREADPOOL_SIZE`, else `4`',
    description:
      'Password hashes (argon2id) in flight at once per process; more wait up to 2 s, then get 503 with `Retry-After`',
    schema: integer(1, 256, 'a number of hashes'),
  },
];

export const KEY_BY_NAME: ReadonlyMap<string, KeyDefinition> = new Map(
  KEY_DEFINITIONS.map((d) => [d.key, d]),
);

/** Placeholders seen in guides and tutorials; refused in production whatever their length. */
export const PLACEHOLDER_SECRETS: readonly string[] = [
  'dev',
  'development',
  'secret',
  'secret-key',
  'secretkey',
  'changeme',
  'change-me',
  'changethis',
  'password',
  'test',
  'test-secret-key',
  'ci-test-secret-key',
  'dev-fallback-key-change-in-production',
  'your-secret-key',
  'your-secret-key-here',
  'a-very-secret-string',
  'supersecret',
  'super-secret-key',
  'my-secret-key',
  'keyboard cat',
];

/** The production rule for `SECRET_KEY` and each fallback. */
export const strongSecret = z
  .string()
  .refine((v) => !isPlaceholder(v), {
    message: 'is a known placeholder; generate a real key with `npm run secret`',
    abort: true,
  })
  .refine((v) => v.length >= 32, {
    message: 'is too short (at least 32 characters); `npm run secret` prints a 64-character key',
  })
  .refine((v) => new Set(v).size >= 5, {
    message: 'has fewer than 5 distinct characters; `npm run secret` prints a random key',
  });

function isPlaceholder(value: string): boolean {
  const v = value.trim().toLowerCase();
  return (
    PLACEHOLDER_SECRETS.includes(v) || v.includes('change-in-production') || v.includes('changeme')
  );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
