import { z } from 'zod';
import { ConfigSource, LoadedConfig } from './app-config';
import { collectSources, RawValue, ReadFile } from './config-sources';
import { ConfigError, ConfigProblem } from './config.errors';
import {
  ConfigKey,
  KEY_BY_NAME,
  KeyMeta,
  KEYS,
  ParsedConfig,
  strongSecret,
  toAppConfig,
} from './config.schema';

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

/**
 * Parses each key on its own schema (the one in `configSchema.shape`), so every problem is reported at
 * once and the rules that span keys run on whichever keys parsed; when there is no problem, every key
 * parsed and the values are the whole schema's output.
 */
export function inspectConfig(env: NodeJS.ProcessEnv, readFile: ReadFile): ConfigInspection {
  const collected = collectSources(env, readFile);
  const problems = [...collected.problems];
  const sources: Record<string, ConfigSource> = {};
  const parsed: Partial<Record<ConfigKey, unknown>> = {};
  const rows: ConfigRow[] = [];
  const given = (key: string) => collected.values.get(key)?.value;

  for (const { key, schema, meta } of KEYS) {
    const raw = collected.values.get(key);
    const source = (sources[key] = raw?.source ?? 'default');
    const input = raw ? inputFor(raw, meta) : defaultOf(meta, { given, env });
    const result = schema.safeParse(input);
    if (result.success) parsed[key] = result.data;
    else problems.push(...issuesToProblems(result.error.issues, key, sources));
    rows.push({ key, value: result.success ? result.data : input, source, secret: !!meta.secret });
  }
  problems.push(...crossRuleProblems(parsed as Partial<ParsedConfig>, sources));

  const extra: Record<string, unknown> = {};
  for (const [key, value] of collected.values) {
    if (KEY_BY_NAME.has(key)) continue;
    extra[key] = value.value;
    sources[key] = value.source;
    rows.push({ key, value: value.value, source: value.source, secret: false });
  }
  const loaded =
    problems.length === 0 ? { config: toAppConfig(parsed as ParsedConfig, extra), sources } : null;
  const { configFile, ignoredFileKeys } = collected;
  return { rows, problems, configFile, ignoredFileKeys, loaded };
}

function inputFor(given: RawValue, meta: KeyMeta): unknown {
  return meta.text && given.raw !== undefined ? given.raw : given.value;
}

function defaultOf(meta: KeyMeta, inputs: Parameters<NonNullable<KeyMeta['defaultFrom']>>[0]) {
  return meta.defaultFrom ? meta.defaultFrom(inputs) : meta.default;
}

type AddProblem = (key: ConfigKey, message: string) => void;

/** Rules that span keys, on whichever keys parsed. */
function crossRules(
  c: Partial<ParsedConfig>,
  sources: Record<string, ConfigSource>,
  add: AddProblem,
): void {
  const production = c.NODE_ENV === 'production';
  if (production && c.SECRET_KEY === null) {
    add(
      'SECRET_KEY',
      'is missing (production): set SECRET_KEY to 32+ random characters; `npm run secret` prints one',
    );
  }
  if (production && typeof c.SECRET_KEY === 'string') {
    for (const issue of strongSecret.safeParse(c.SECRET_KEY).error?.issues ?? []) {
      add('SECRET_KEY', `${issue.message} (production)`);
    }
  }
  (c.SECRET_KEY_FALLBACKS ?? []).forEach((fallback, i) => {
    if (fallback === c.SECRET_KEY) {
      add(
        'SECRET_KEY_FALLBACKS',
        `entry ${i + 1} equals SECRET_KEY; remove it (fallbacks hold old keys only)`,
      );
    } else if (production) {
      for (const issue of strongSecret.safeParse(fallback).error?.issues ?? []) {
        add('SECRET_KEY_FALLBACKS', `entry ${i + 1} ${issue.message} (production)`);
      }
    }
  });
  if (production && c.SESSION_STORE === 'memory') {
    add(
      'SESSION_STORE',
      'memory is refused in production (sessions vanish on restart and are not shared); use cookie or redis',
    );
  }
  if (c.SESSION_STORE === 'redis' && c.REDIS_URL === undefined) {
    add(
      'REDIS_URL',
      'is required when SESSION_STORE=redis; set it, e.g. REDIS_URL=redis://127.0.0.1:6379',
    );
  }
  if (c.SESSION_COOKIE_SECURE === false && c.SESSION_COOKIE_SAMESITE === 'None') {
    add(
      'SESSION_COOKIE_SAMESITE',
      'None needs SESSION_COOKIE_SECURE=true (browsers drop SameSite=None cookies without Secure)',
    );
  }
  cookiePrefixRules(c, sources.SESSION_COOKIE_NAME === 'default', add);
  if (c.EMAIL_VERIFICATION === 'required' && mailOffReason(c) !== null) {
    add(
      'EMAIL_VERIFICATION',
      `required needs mail, but ${mailOffReason(c)}: set MAIL_URL and PUBLIC_URL, or EMAIL_VERIFICATION=optional`,
    );
  }
  if (c.SESSION_COOKIE_SECURE === false && c.SESSION_COOKIE_PARTITIONED === true) {
    add(
      'SESSION_COOKIE_PARTITIONED',
      'true needs SESSION_COOKIE_SECURE=true (browsers drop Partitioned cookies without Secure)',
    );
  }
}

/** Why no mail can be sent (`MAIL_URL=none`, or unset, or no `PUBLIC_URL` for links), or `null`. */
export function mailOffReason(c: Partial<ParsedConfig>): string | null {
  if (c.MAIL_URL === 'none') return 'MAIL_URL=none turns mail off';
  if (c.MAIL_URL === undefined) return 'MAIL_URL is not set';
  if (c.PUBLIC_URL === undefined) return 'PUBLIC_URL is not set, so no link can be built';
  if (c.MAIL_FROM === undefined) return 'MAIL_FROM is not set';
  return null;
}

/**
 * RFC 6265bis §4.1.3: browsers drop a `__Secure-` cookie without Secure, and a `__Host-` cookie without
 * Secure, with a Domain, or with a Path other than `/`; the prefixes match case-insensitively.
 */
function cookiePrefixRules(
  c: Partial<ParsedConfig>,
  nameIsDefault: boolean,
  add: AddProblem,
): void {
  const name = c.SESSION_COOKIE_NAME?.toLowerCase() ?? '';
  const prefix = name.startsWith('__host-')
    ? '__Host-'
    : name.startsWith('__secure-')
      ? '__Secure-'
      : null;
  if (prefix === null) return;
  // The production default name is __Host-session: say how to keep the attribute by choosing another name.
  const otherName = nameIsDefault
    ? `; or set SESSION_COOKIE_NAME to a name without the prefix (${c.SESSION_COOKIE_NAME} is the production default)`
    : '';
  const rule = (key: ConfigKey, message: string) =>
    add(key, `${message} (browsers drop it otherwise)${otherName}`);
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
  parsed: Partial<ParsedConfig>,
  sources: Record<string, ConfigSource>,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  crossRules(parsed, sources, (key, message) =>
    problems.push({ key, source: sources[key] ?? 'default', message }),
  );
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
  key: string,
  sources: Record<string, ConfigSource>,
): ConfigProblem[] {
  return issues.map((issue) => ({
    key,
    source: sources[key] ?? 'default',
    message: issue.message,
  }));
}
