import * as path from 'node:path';
import { z } from 'zod';
import {
  bool,
  duration,
  mailFrom,
  mailUrl,
  publicOrigin,
  integer,
  keyList,
  oneOf,
  optionalText,
  text,
  trustProxy,
  unsetWhenEmpty,
  urlWithScheme,
} from './config-values';

/** A raw value another source gave, by key: what a default that depends on other keys reads. */
export interface DefaultInputs {
  given: (key: string) => unknown;
  env: NodeJS.ProcessEnv;
}

/** Everything about a key besides how its value parses: its default, its README row, how it is read. */
export interface KeyMeta {
  /** The raw value used when no source sets the key, parsed like any other; absent: the key is unset. */
  default?: unknown;
  /** A default that depends on other keys or the environment; wins over `default`. */
  defaultFrom?: (inputs: DefaultInputs) => unknown;
  /** The default as the README table shows it. */
  defaultText: string;
  description: string;
  /** Masked in every output. */
  secret?: boolean;
  /** Read from the environment without the `APP_` prefix too (the well-known keys: `SECRET_KEY`, `DATABASE_URL`, …). */
  wellKnown?: boolean;
  /** The schema wants text: an `APP_*` value that parsed as JSON (`APP_SECRET_KEY=123…`) keeps its text. */
  text?: boolean;
}

/** The metadata of each key's schema in `configSchema`. */
export const KEY_META = z.registry<KeyMeta>();

/** `INSTANCE_PATH` when unset; also where the config file is looked for (config-sources.ts). */
export const DEFAULT_INSTANCE_PATH = './instance';

/**
 * Every configuration key the app understands, defined once: its schema gives its TypeScript type and
 * parsing, its metadata (`KEY_META`) its default, README row (`npm run config:table`) and the way
 * `config:check` shows it. `toAppConfig` below arranges the parsed keys into the namespaces that Nest
 * modules inject (config/namespaces.ts).
 */
export const configSchema = z.object({
  NODE_ENV: oneOf(['development', 'test', 'production']).register(KEY_META, {
    default: 'production',
    defaultText: '`production`; `npm start` and `npm run start:dev` set `development`',
    description:
      '`development`, `test` or `production`. The built app (`npm run start:prod`, the image) never runs as development unless told so',
    wellKnown: true,
    text: true,
  }),
  SECRET_KEY: optionalText().register(KEY_META, {
    defaultText: 'none',
    description:
      'Signs and encrypts sessions. Production: required, 32+ characters, not a placeholder. Development: generated once into `INSTANCE_PATH/secret_key` when unset. `npm run secret` prints one',
    secret: true,
    wellKnown: true,
    text: true,
  }),
  SECRET_KEY_FALLBACKS: keyList().register(KEY_META, {
    default: [],
    defaultText: '`[]`',
    description:
      'Old keys, JSON array or comma-separated: verify only, never sign; same strength rule in production',
    secret: true,
    wellKnown: true,
  }),
  SESSION_STORE: oneOf(['cookie', 'memory', 'redis']).register(KEY_META, {
    default: 'cookie',
    defaultText: '`cookie`',
    description:
      '`cookie` (encrypted cookie, stateless), `memory` (not in production), `redis` (needs `REDIS_URL`)',
    wellKnown: true,
    text: true,
  }),
  REDIS_URL: urlWithScheme(/^rediss?:\/\/./, 'redis://127.0.0.1:6379')
    .optional()
    .register(KEY_META, {
      defaultText: 'none',
      description:
        'Redis for the login counters (whatever `SESSION_STORE` is) and for `SESSION_STORE=redis`, e.g. `redis://127.0.0.1:6379`',
      secret: true,
      wellKnown: true,
      text: true,
    }),
  DATABASE_URL: urlWithScheme(
    /^(sqlite:.+|postgres(ql)?:\/\/.+)$/,
    'sqlite:instance/app.sqlite or postgres://host/db',
  ).register(KEY_META, {
    defaultFrom: ({ given }) =>
      `sqlite:${path.join(nonEmptyText(given('INSTANCE_PATH')) ?? DEFAULT_INSTANCE_PATH, 'app.sqlite')}`,
    defaultText: '`sqlite:<INSTANCE_PATH>/app.sqlite`',
    description: 'Users database: `sqlite:<file>` or `postgres://user@host:5432/db`',
    secret: true,
    wellKnown: true,
    text: true,
  }),
  SESSION_COOKIE_NAME: text()
    .regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, 'must be a cookie name token (letters, digits, - _ .)')
    .register(KEY_META, {
      // Production by default too, as for SESSION_COOKIE_SECURE: the built app without NODE_ENV is production.
      defaultFrom: ({ given }) => (isProduction(given) ? PRODUCTION_COOKIE_NAME : 'session'),
      defaultText: '`session`; `__Host-session` in production',
      description:
        'Name of the session cookie. A `__Host-` name cannot be shadowed by a cookie a sibling subdomain sets, and needs Secure, Path `/` and no Domain; `__Secure-` needs Secure',
      text: true,
    }),
  SESSION_APP_ID: text().max(100, 'must be at most 100 characters').register(KEY_META, {
    default: 'nest-session-starter',
    defaultText: '`nest-session-starter`',
    description:
      "Names this app in the session crypto (with the cookie name, in the key derivation and the authenticated data): two apps that share a `SECRET_KEY` but not this value never accept each other's sessions. Changing it signs everyone out once",
    text: true,
  }),
  SESSION_COOKIE_DOMAIN: optionalText().register(KEY_META, {
    defaultText: 'none',
    description: '`Domain` attribute; none means the cookie stays on the exact host',
    text: true,
  }),
  SESSION_COOKIE_PATH: text()
    .regex(/^\/[^;\s]*$/, 'must start with / and hold no ; or spaces')
    .register(KEY_META, {
      default: '/',
      defaultText: '`/`',
      description: '`Path` attribute',
      text: true,
    }),
  SESSION_COOKIE_HTTPONLY: bool().register(KEY_META, {
    default: true,
    defaultText: '`true`',
    description: '`HttpOnly` attribute',
  }),
  SESSION_COOKIE_SECURE: bool().register(KEY_META, {
    // Production by default too: the built app started without NODE_ENV runs as production.
    defaultFrom: ({ given }) => isProduction(given),
    defaultText: '`false`; `true` in production',
    description:
      '`Secure` attribute (sent whatever the scheme; browsers accept it on http://localhost)',
  }),
  SESSION_COOKIE_SAMESITE: oneOf(['Strict', 'Lax', 'None'], true).register(KEY_META, {
    default: 'Lax',
    defaultText: '`Lax`',
    description: '`Strict`, `Lax` or `None`; `None` needs `SESSION_COOKIE_SECURE=true`',
    text: true,
  }),
  SESSION_COOKIE_PARTITIONED: bool().register(KEY_META, {
    default: false,
    defaultText: '`false`',
    description: '`Partitioned` attribute (CHIPS); needs `SESSION_COOKIE_SECURE=true`',
  }),
  PERMANENT_SESSION_LIFETIME: duration().register(KEY_META, {
    default: 31 * 24 * 3600,
    defaultText: '`31d`',
    description: 'Lifetime of a permanent session: seconds, or a duration such as `7d`, `12h`',
  }),
  SESSION_ABSOLUTE_LIFETIME: duration().register(KEY_META, {
    default: 31 * 24 * 3600,
    defaultText: '`31d`',
    description:
      'Longest life of any session, permanent or not, on every store, counted from its login and never renewed by use: seconds or a duration',
  }),
  SESSION_REFRESH_EACH_REQUEST: bool().register(KEY_META, {
    default: true,
    defaultText: '`true`',
    description: 'Permanent sessions get a fresh cookie on every request',
  }),
  MAX_SESSION_BYTES: integer(1024, 16 * 1024 * 1024, 'a size in bytes').register(KEY_META, {
    default: 65_536,
    defaultText: '`65536`',
    description:
      'Largest stored session record in bytes (Redis, memory, any store); a write beyond it gets 413 and changes nothing',
  }),
  MAX_COOKIE_SIZE: integer(0, 1_000_000, 'a size in bytes').register(KEY_META, {
    default: 4093,
    defaultText: '`4093`',
    description:
      'Largest whole `Set-Cookie` value in bytes; a bigger session gets 413; `0` turns the guard off',
  }),
  SESSION_KEY_PREFIX: text().max(100, 'must be at most 100 characters').register(KEY_META, {
    default: 'sess:',
    defaultText: '`sess:`',
    description:
      'Prefix of every key the app keeps in Redis: sessions (`SESSION_STORE=redis`) and the login counters (`throttle:…`)',
    text: true,
  }),
  HTTP_ADAPTER: oneOf(['fastify', 'express']).register(KEY_META, {
    default: 'fastify',
    defaultText: '`fastify`',
    description: '`fastify` or `express`: the same app on either NestJS platform',
    wellKnown: true,
    text: true,
  }),
  INSTANCE_PATH: text().register(KEY_META, {
    default: DEFAULT_INSTANCE_PATH,
    defaultText: '`./instance`',
    description:
      'Folder for the development key, the SQLite file and `config.json`; created when missing',
    wellKnown: true,
    text: true,
  }),
  PORT: integer(0, 65535, 'a port number').register(KEY_META, {
    default: 3000,
    defaultText: '`3000`',
    description: 'Port to listen on',
    wellKnown: true,
  }),
  HOST: text().register(KEY_META, {
    default: '0.0.0.0',
    defaultText: '`0.0.0.0`',
    description: 'Address to listen on',
    wellKnown: true,
    text: true,
  }),
  REQUEST_TIMEOUT: duration().register(KEY_META, {
    default: 30,
    defaultText: '`30s`',
    description:
      "A request whose headers and body take longer to arrive is answered 408 and closed; also bounds how long a request may hold its session's write lock: seconds or a duration",
  }),
  MAX_CONNECTIONS: integer(1, 1_000_000, 'a number of connections').register(KEY_META, {
    default: 4096,
    defaultText: '`4096`',
    description:
      'Open connections one process accepts; beyond it new connections are closed at once (file descriptors and memory stay bounded)',
  }),
  LOG_FORMAT: oneOf(['text', 'json']).register(KEY_META, {
    // Production by default too: the built app started without NODE_ENV runs as production.
    defaultFrom: ({ given }) => (isProduction(given) ? 'json' : 'text'),
    defaultText: '`text`; `json` in production',
    description:
      "`json`: one JSON object per log line, for log collectors; `text`: Nest's coloured lines. Lines written during a request carry its `X-Request-Id`",
    text: true,
  }),
  API_DOCS: bool().register(KEY_META, {
    defaultFrom: ({ given }) => !isProduction(given),
    defaultText: '`true`; `false` in production',
    description:
      'Serves the OpenAPI document at `/docs/openapi.json` and its UI at `/docs`; off, both answer 404',
  }),
  TRUST_PROXY: trustProxy().register(KEY_META, {
    default: false,
    defaultText: '`false`',
    description:
      'Trust `X-Forwarded-*` from: the number of proxies in front (`1`), their addresses (`loopback`, `10.0.0.0/8`), or `true` (any client, warned in production)',
    wellKnown: true,
  }),
  PUBLIC_URL: unsetWhenEmpty(publicOrigin()).register(KEY_META, {
    defaultFrom: ({ given }) => {
      if (isProduction(given)) return undefined;
      const port0 = given('PORT');
      const port = typeof port0 === 'string' || typeof port0 === 'number' ? `${port0}`.trim() : '';
      return `http://localhost:${/^\d{1,5}$/.test(port) ? port : '3000'}`;
    },
    defaultText: '`http://localhost:<PORT>`; none in production',
    description:
      "The public origin (`https://app.example.com`): the only source of links in mails, never the request's `Host`, and the passkey relying party (its host is the RP ID, its origin the only one accepted). Production without it: a warning at boot, and the routes that mail or use passkeys answer 503",
    wellKnown: true,
    text: true,
  }),
  MAIL_URL: unsetWhenEmpty(mailUrl()).register(KEY_META, {
    defaultFrom: ({ given }) => (isProduction(given) ? undefined : 'log'),
    defaultText: '`log`; none in production',
    description:
      '`smtp://user:pass@host:587` or `smtps://…` (nodemailer), `log` (each mail written to the log, nothing sent) or `none` (mail off). Production without it: a warning at boot, and the routes that mail answer 503',
    secret: true,
    wellKnown: true,
    text: true,
  }),
  MAIL_FROM: unsetWhenEmpty(mailFrom()).register(KEY_META, {
    defaultFrom: ({ given }) => {
      const origin = given('PUBLIC_URL') ?? (isProduction(given) ? undefined : 'http://localhost');
      return typeof origin === 'string' && URL.canParse(origin)
        ? `no-reply@${new URL(origin).hostname}`
        : undefined;
    },
    defaultText: '`no-reply@<PUBLIC_URL host>`',
    description: 'Sender of every mail: `no-reply@example.com` or `Example <no-reply@example.com>`',
    wellKnown: true,
    text: true,
  }),
  EMAIL_VERIFICATION: oneOf(['optional', 'required', 'off']).register(KEY_META, {
    default: 'optional',
    defaultText: '`optional`',
    description:
      '`optional` (a verification mail at registration; unverified users may sign in), `required` (an unverified login gets 403 and a fresh mail; needs mail on) or `off`',
    text: true,
  }),
  PASSWORD_RESET_TIMEOUT: duration().register(KEY_META, {
    default: 3600,
    defaultText: '`1h`',
    description: 'Lifetime of a password reset link: seconds or a duration',
  }),
  EMAIL_TOKEN_TIMEOUT: duration().register(KEY_META, {
    default: 3 * 24 * 3600,
    defaultText: '`3d`',
    description: 'Lifetime of an email verification or email change link: seconds or a duration',
  }),
  REAUTH_TIMEOUT: duration().register(KEY_META, {
    default: 600,
    defaultText: '`10m`',
    description:
      'How long after a password, TOTP code or passkey entry a sensitive change is allowed without asking again',
  }),
  PASSWORD_HASH_CONCURRENCY: integer(1, 256, 'a number of hashes').register(KEY_META, {
    // argon2 runs on libuv's thread pool: more hashes at once than it has threads only queue there.
    defaultFrom: ({ env }) => env.UV_THREADPOOL_SIZE ?? 4,
    defaultText: '`UV_THREADPOOL_SIZE`, else `4`',
    description:
      'Password hashes (argon2id) in flight at once per process; more wait up to 2 s, then get 503 with `Retry-After`',
  }),
});

/** Every key, parsed: the schema's output. */
export type ParsedConfig = z.output<typeof configSchema>;
export type ConfigKey = keyof ParsedConfig;

/** Each key with its schema and metadata, in the schema's order (the README table's order too). */
export const KEYS: readonly { key: ConfigKey; schema: z.ZodType; meta: KeyMeta }[] = Object.entries(
  configSchema.shape,
).map(([key, schema]) => {
  const meta = KEY_META.get(schema);
  if (!meta) throw new Error(`config key ${key} has no metadata in KEY_META`);
  return { key: key as ConfigKey, schema, meta };
});

export const KEY_BY_NAME: ReadonlyMap<string, (typeof KEYS)[number]> = new Map(
  KEYS.map((k) => [k.key, k]),
);

/**
 * The parsed keys as the namespaces Nest modules inject (config/namespaces.ts), plus `extra`: the other
 * UPPERCASE keys of the config file and `APP_*` variables, as parsed (Flask keeps them too).
 */
export function toAppConfig(p: ParsedConfig, extra: Record<string, unknown>) {
  return {
    app: { env: p.NODE_ENV, instancePath: p.INSTANCE_PATH },
    http: {
      port: p.PORT,
      host: p.HOST,
      trustProxy: p.TRUST_PROXY,
      adapter: p.HTTP_ADAPTER,
      requestTimeoutSeconds: p.REQUEST_TIMEOUT,
      maxConnections: p.MAX_CONNECTIONS,
      /** The origin links are built from (mails) and passkeys are bound to; `null` in production until set. */
      publicUrl: p.PUBLIC_URL ?? null,
    },
    log: { format: p.LOG_FORMAT },
    docs: { enabled: p.API_DOCS },
    database: { url: p.DATABASE_URL },
    redis: { url: p.REDIS_URL ?? null },
    auth: { passwordHashConcurrency: p.PASSWORD_HASH_CONCURRENCY },
    mail: {
      /** `null`: unset (production default); `'none'` turns mail off on purpose. */
      url: p.MAIL_URL ?? null,
      from: p.MAIL_FROM ?? null,
    },
    accounts: {
      emailVerification: p.EMAIL_VERIFICATION,
      passwordResetTimeoutSeconds: p.PASSWORD_RESET_TIMEOUT,
      emailTokenTimeoutSeconds: p.EMAIL_TOKEN_TIMEOUT,
      reauthTimeoutSeconds: p.REAUTH_TIMEOUT,
    },
    session: {
      store: p.SESSION_STORE,
      /** `null` only when a test builds the app without a key: sessions are then read-only and empty. */
      secretKey: p.SECRET_KEY,
      /** Verify only, never sign; tried in order after `secretKey`. */
      secretKeyFallbacks: p.SECRET_KEY_FALLBACKS,
      cookie: {
        name: p.SESSION_COOKIE_NAME,
        domain: p.SESSION_COOKIE_DOMAIN,
        path: p.SESSION_COOKIE_PATH,
        httpOnly: p.SESSION_COOKIE_HTTPONLY,
        secure: p.SESSION_COOKIE_SECURE,
        sameSite: p.SESSION_COOKIE_SAMESITE,
        partitioned: p.SESSION_COOKIE_PARTITIONED,
      },
      permanentLifetimeSeconds: p.PERMANENT_SESSION_LIFETIME,
      absoluteLifetimeSeconds: p.SESSION_ABSOLUTE_LIFETIME,
      refreshEachRequest: p.SESSION_REFRESH_EACH_REQUEST,
      maxCookieSize: p.MAX_COOKIE_SIZE,
      maxStoredBytes: p.MAX_SESSION_BYTES,
      keyPrefix: p.SESSION_KEY_PREFIX,
      /** Binds cookies and signed ids to this app (with the cookie name): see `SESSION_APP_ID`. */
      appId: p.SESSION_APP_ID,
      /** `REQUEST_TIMEOUT`: no request holds a session's write lock longer. */
      requestTimeoutSeconds: p.REQUEST_TIMEOUT,
    },
    extra,
  };
}

/** The one typed configuration object, built once at boot; its namespaces are what modules inject. */
export type AppConfig = ReturnType<typeof toAppConfig>;

/** The session cookie's name in production unless set: a `__Host-` cookie no sibling subdomain can shadow. */
export const PRODUCTION_COOKIE_NAME = '__Host-session';

/** Whether the configuration runs as production; an unset `NODE_ENV` is production (see `NODE_ENV`). */
function isProduction(given: DefaultInputs['given']): boolean {
  return given('NODE_ENV') === undefined || given('NODE_ENV') === 'production';
}

function nonEmptyText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

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
