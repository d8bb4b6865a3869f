import * as path from 'node:path';
import { z } from 'zod';
import {
  AppConfig,
  ConfigSource,
  HttpAdapterKind,
  LoadedConfig,
  NodeEnv,
  SameSite,
  SessionStoreKind,
  TrustProxy,
} from './app-config';
import { collectSources, RawValue, ReadFile } from './config-sources';
import { ConfigError, ConfigProblem } from './config.errors';
import { KEY_BY_NAME, KEY_DEFINITIONS, strongSecret } from './config.schema';

/** Values after each key's own schema; a key whose value failed is absent. */
interface Parsed {
  NODE_ENV: NodeEnv;
  SECRET_KEY: string | null;
  SECRET_KEY_FALLBACKS: string[];
  SESSION_STORE: SessionStoreKind;
  REDIS_URL?: string;
  DATABASE_URL: string;
  SESSION_COOKIE_NAME: string;
  SESSION_COOKIE_DOMAIN: string | null;
  SESSION_COOKIE_PATH: string;
  SESSION_COOKIE_HTTPONLY: boolean;
  SESSION_COOKIE_SECURE: boolean;
  SESSION_COOKIE_SAMESITE: SameSite;
  SESSION_COOKIE_PARTITIONED: boolean;
  PERMANENT_SESSION_LIFETIME: number;
  SESSION_ABSOLUTE_LIFETIME: number;
  SESSION_REFRESH_EACH_REQUEST: boolean;
  MAX_COOKIE_SIZE: number;
  SESSION_KEY_PREFIX: string;
  HTTP_ADAPTER: HttpAdapterKind;
  INSTANCE_PATH: string;
  PORT: number;
  HOST: string;
  TRUST_PROXY: TrustProxy;
  PASSWORD_HASH_CONCURRENCY: number;
}

/** Built-in defaults, as raw values the key schemas parse like any other source. */
function defaults(
  env: unknown,
  instancePath: unknown,
  threadPoolSize: string | undefined,
): Record<string, unknown> {
  const instance =
    typeof instancePath === 'string' && instancePath !== '' ? instancePath : './instance';
  // The built app started without NODE_ENV runs as production: `npm start` and `start:dev` say development.
  const production = env === undefined || env === 'production';
  return {
    DATABASE_URL: `sqlite:${path.join(instance, 'app.sqlite')}`,
    NODE_ENV: 'production',
    SECRET_KEY_FALLBACKS: [],
    SESSION_STORE: 'cookie',
    SESSION_COOKIE_NAME: 'session',
    SESSION_COOKIE_PATH: '/',
    SESSION_COOKIE_HTTPONLY: true,
    SESSION_COOKIE_SECURE: production,
    SESSION_COOKIE_SAMESITE: 'Lax',
    SESSION_COOKIE_PARTITIONED: false,
    PERMANENT_SESSION_LIFETIME: 31 * 24 * 3600,
    SESSION_ABSOLUTE_LIFETIME: 31 * 24 * 3600,
    SESSION_REFRESH_EACH_REQUEST: true,
    MAX_COOKIE_SIZE: 4093,
    SESSION_KEY_PREFIX: 'sess:',
    HTTP_ADAPTER: 'fastify',
    INSTANCE_PATH: './instance',
    PORT: 3000,
    HOST: '0.0.0.0',
    TRUST_PROXY: false,
    // argon2 runs on libuv's thread pool: more hashes at once than it has threads only queue there.
    PASSWORD_HASH_CONCURRENCY: threadPoolSize ?? 4,
  };
}

/** One key as `config:check` shows it: its effective value (parsed, or as given when it failed) and source. */
export interface ConfigRow {
  key: string;
  value: unknown;
  source: ConfigSource;
  secret: boolean;
}

/** Everything the loader found, whether or not it is valid: what `npm run config:check` prints. */
export interface ConfigInspection {
  rows: ConfigRow[];
  problems: ConfigProblem[];
  configFile: string;
  ignoredFileKeys: string[];
  /** `null` when there is a problem. */
  loaded: LoadedConfig | null;
}

/**
 * Builds the configuration from the environment and the instance config file, and validates all of it.
 * Pure: reads nothing but its arguments (`readFile` is the only way to the disk). Throws `ConfigError`
 * listing every problem, each with its key, source and fix.
 */
export function loadConfig(env: NodeJS.ProcessEnv, readFile: ReadFile): LoadedConfig {
  const inspection = inspectConfig(env, readFile);
  if (inspection.loaded === null) throw new ConfigError(inspection.problems);
  return inspection.loaded;
}

export function inspectConfig(env: NodeJS.ProcessEnv, readFile: ReadFile): ConfigInspection {
  const collected = collectSources(env, readFile);
  const problems = [...collected.problems];
  const sources: Record<string, ConfigSource> = {};
  const parsed: Partial<Record<string, unknown>> = {};
  const rows: ConfigRow[] = [];
  const value = (key: string) => collected.values.get(key)?.value;
  const builtIn = defaults(value('NODE_ENV'), value('INSTANCE_PATH'), env.UV_THREADPOOL_SIZE);

  for (const def of KEY_DEFINITIONS) {
    const given = collected.values.get(def.key);
    const source = (sources[def.key] = given?.source ?? 'default');
    const input = given ? inputFor(given, def.text === true) : builtIn[def.key];
    const result = input === undefined ? undefined : def.schema.safeParse(input);
    if (result?.success) parsed[def.key] = result.data;
    else if (result) problems.push(...issuesToProblems(result.error.issues, def.key, sources));
    const value: unknown = result?.success ? result.data : input;
    rows.push({ key: def.key, value, source, secret: def.secret === true });
  }
  problems.push(...crossRuleProblems(parsed, sources));

  const extra: Record<string, unknown> = {};
  for (const [key, given] of collected.values) {
    if (KEY_BY_NAME.has(key)) continue;
    extra[key] = given.value;
    sources[key] = given.source;
    rows.push({ key, value: given.value, source: given.source, secret: false });
  }
  const loaded =
    problems.length > 0
      ? null
      : { config: toAppConfig(parsed as unknown as Parsed, extra), sources };
  const { configFile, ignoredFileKeys } = collected;
  return { rows, problems, configFile, ignoredFileKeys, loaded };
}

function inputFor(given: RawValue, wantsText: boolean): unknown {
  return wantsText && given.raw !== undefined ? given.raw : given.value;
}

/** Rules that span keys. A zod object schema checks them, on whichever inputs parsed. */
const crossRules = z.custom<Partial<Parsed>>().superRefine((c, ctx) => {
  const production = c.NODE_ENV === 'production';
  if (production && c.SECRET_KEY == null) {
    ctx.addIssue({
      code: 'custom',
      path: ['SECRET_KEY'],
      message:
        'is missing (production): set SECRET_KEY to 32+ random characters; `npm run secret` prints one',
    });
  }
  if (production && typeof c.SECRET_KEY === 'string') {
    for (const issue of strongSecret.safeParse(c.SECRET_KEY).error?.issues ?? []) {
      ctx.addIssue({
        code: 'custom',
        path: ['SECRET_KEY'],
        message: `${issue.message} (production)`,
      });
    }
  }
  (c.SECRET_KEY_FALLBACKS ?? []).forEach((fallback, i) => {
    if (fallback === c.SECRET_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['SECRET_KEY_FALLBACKS'],
        message: `entry ${i + 1} equals SECRET_KEY; remove it (fallbacks hold old keys only)`,
      });
    } else if (production) {
      for (const issue of strongSecret.safeParse(fallback).error?.issues ?? []) {
        ctx.addIssue({
          code: 'custom',
          path: ['SECRET_KEY_FALLBACKS'],
          message: `entry ${i + 1} ${issue.message} (production)`,
        });
      }
    }
  });
  if (production && c.SESSION_STORE === 'memory') {
    ctx.addIssue({
      code: 'custom',
      path: ['SESSION_STORE'],
      message:
        'memory is refused in production (sessions vanish on restart and are not shared); use cookie or redis',
    });
  }
  if (c.SESSION_STORE === 'redis' && c.REDIS_URL === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['REDIS_URL'],
      message:
        'is required when SESSION_STORE=redis; set it, e.g. REDIS_URL=redis://127.0.0.1:6379',
    });
  }
  if (c.SESSION_COOKIE_SECURE === false && c.SESSION_COOKIE_SAMESITE === 'None') {
    ctx.addIssue({
      code: 'custom',
      path: ['SESSION_COOKIE_SAMESITE'],
      message:
        'None needs SESSION_COOKIE_SECURE=true (browsers drop SameSite=None cookies without Secure)',
    });
  }
  cookiePrefixRules(c, ctx);
  if (c.SESSION_COOKIE_SECURE === false && c.SESSION_COOKIE_PARTITIONED === true) {
    ctx.addIssue({
      code: 'custom',
      path: ['SESSION_COOKIE_PARTITIONED'],
      message:
        'true needs SESSION_COOKIE_SECURE=true (browsers drop Partitioned cookies without Secure)',
    });
  }
});

/**
 * RFC 6265bis §4.1.3: browsers drop a `__Secure-` cookie without Secure, and a `__Host-` cookie without
 * Secure, with a Domain, or with a Path other than `/`; the prefixes match case-insensitively.
 */
function cookiePrefixRules(c: Partial<Parsed>, ctx: z.RefinementCtx): void {
  const name = c.SESSION_COOKIE_NAME?.toLowerCase() ?? '';
  const prefix = name.startsWith('__host-')
    ? '__Host-'
    : name.startsWith('__secure-')
      ? '__Secure-'
      : null;
  if (prefix === null) return;
  const rule = (path: string, message: string) =>
    ctx.addIssue({
      code: 'custom',
      path: [path],
      message: `${message} (browsers drop it otherwise)`,
    });
  if (c.SESSION_COOKIE_SECURE === false) {
    rule(
      'SESSION_COOKIE_SECURE',
      `false, but a ${prefix} cookie name needs SESSION_COOKIE_SECURE=true`,
    );
  }
  if (prefix === '__Host-' && c.SESSION_COOKIE_DOMAIN != null) {
    rule('SESSION_COOKIE_DOMAIN', 'is set, but a __Host- cookie name needs no Domain: unset it');
  }
  if (
    prefix === '__Host-' &&
    c.SESSION_COOKIE_PATH !== undefined &&
    c.SESSION_COOKIE_PATH !== '/'
  ) {
    rule(
      'SESSION_COOKIE_PATH',
      `is ${c.SESSION_COOKIE_PATH}, but a __Host- cookie name needs Path /`,
    );
  }
}

function crossRuleProblems(
  parsed: Partial<Parsed>,
  sources: Record<string, ConfigSource>,
): ConfigProblem[] {
  const result = crossRules.safeParse(parsed);
  if (result.success) return [];
  const problems = issuesToProblems(result.error.issues, undefined, sources);
  if (sources.NODE_ENV !== 'default') return problems;
  // Someone who ran the built app expecting development learns why it is production.
  return problems.map((p) =>
    p.key === 'SECRET_KEY' && p.message.startsWith('is missing')
      ? {
          ...p,
          message: `${p.message} (NODE_ENV is unset, so the built app runs as production; \`npm start\` runs development)`,
        }
      : p,
  );
}

function issuesToProblems(
  issues: readonly z.core.$ZodIssue[],
  key: string | undefined,
  sources: Record<string, ConfigSource>,
): ConfigProblem[] {
  return issues.map((issue) => {
    const name = key ?? String(issue.path[0]);
    return { key: name, source: sources[name] ?? 'default', message: issue.message };
  });
}

function toAppConfig(p: Parsed, extra: Record<string, unknown>): AppConfig {
  return {
    env: p.NODE_ENV,
    port: p.PORT,
    host: p.HOST,
    trustProxy: p.TRUST_PROXY,
    httpAdapter: p.HTTP_ADAPTER,
    instancePath: p.INSTANCE_PATH,
    databaseUrl: p.DATABASE_URL,
    secretKey: p.SECRET_KEY ?? null,
    secretKeyFallbacks: p.SECRET_KEY_FALLBACKS,
    session: {
      store: p.SESSION_STORE,
      cookie: {
        name: p.SESSION_COOKIE_NAME,
        domain: p.SESSION_COOKIE_DOMAIN ?? null,
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
      keyPrefix: p.SESSION_KEY_PREFIX,
    },
    redisUrl: p.REDIS_URL ?? null,
    passwordHashConcurrency: p.PASSWORD_HASH_CONCURRENCY,
    extra,
  };
}
