import * as path from 'node:path';
import { parse as parseJsonc, ParseError, printParseErrorCode } from 'jsonc-parser';
import { isForbiddenKey } from '../common/forbidden-keys';
import { ConfigSource } from './app-config';
import { ConfigProblem } from './config.errors';
import { DEFAULT_INSTANCE_PATH, KEY_BY_NAME } from './config.schema';

/** A value as one source gave it; `raw` keeps the text of an environment variable. */
export interface RawValue {
  value: unknown;
  raw?: string;
  source: ConfigSource;
}

/** Reads a config file: its text, or `undefined` when there is no such file. */
export type ReadFile = (filePath: string) => string | undefined;

export interface CollectedSources {
  values: Map<string, RawValue>;
  problems: ConfigProblem[];
  /** Keys of the config file that were not UPPERCASE and so were ignored (Flask's rule). */
  ignoredFileKeys: string[];
  configFile: string;
}

export const ENV_PREFIX = 'APP_';
/** Names where the config file lives; consumed by the loader, not config keys themselves. */
const CONFIG_FILE_VAR = 'APP_CONFIG_FILE';
const UPPERCASE_KEY = /^[A-Z][A-Z0-9_]*$/;

/**
 * Gathers raw values in order of precedence, each later source overriding the earlier one:
 * instance file → un-prefixed well-known variables → `APP_*` variables (sorted, JSON-parsed, `__` nests).
 */
export function collectSources(env: NodeJS.ProcessEnv, readFile: ReadFile): CollectedSources {
  const values = new Map<string, RawValue>();
  const problems: ConfigProblem[] = [];
  const configFile = configFilePath(env);
  const ignoredFileKeys = readConfigFile(
    configFile,
    nonEmpty(env[CONFIG_FILE_VAR]) !== undefined,
    readFile,
    values,
    problems,
  );

  for (const [key, def] of KEY_BY_NAME) {
    const raw = nonEmpty(env[key]);
    if (def.meta.wellKnown && raw !== undefined)
      values.set(key, { value: raw, raw, source: `env:${key}` });
  }
  for (const name of Object.keys(env).sort()) {
    const raw = env[name];
    if (!name.startsWith(ENV_PREFIX) || name === CONFIG_FILE_VAR || raw === undefined) continue;
    setPrefixed(values, problems, name, raw);
  }
  return { values, problems, ignoredFileKeys, configFile };
}

/** `APP_CONFIG_FILE`, else `config.json` in the instance folder. */
export function configFilePath(env: NodeJS.ProcessEnv): string {
  const instancePath =
    nonEmpty(env.APP_INSTANCE_PATH) ?? nonEmpty(env.INSTANCE_PATH) ?? DEFAULT_INSTANCE_PATH;
  return nonEmpty(env[CONFIG_FILE_VAR]) ?? path.join(instancePath, 'config.json');
}

function readConfigFile(
  file: string,
  explicit: boolean,
  readFile: ReadFile,
  values: Map<string, RawValue>,
  problems: ConfigProblem[],
): string[] {
  const source: ConfigSource = `file:${file}`;
  const text = readFile(file);
  if (text === undefined) {
    if (explicit) {
      problems.push({
        key: CONFIG_FILE_VAR,
        source: `env:${CONFIG_FILE_VAR}`,
        message: `config file ${file} does not exist; fix the path or unset ${CONFIG_FILE_VAR}`,
      });
    }
    return [];
  }
  const errors: ParseError[] = [];
  const parsed: unknown = parseJsonc(text, errors, {
    disallowComments: true,
    allowTrailingComma: false,
  });
  if (errors.length > 0) {
    const { line, column } = lineAndColumn(text, errors[0].offset);
    problems.push({
      key: 'config file',
      source,
      message: `${file} is not valid JSON: ${printParseErrorCode(errors[0].error)} at line ${line}, column ${column} (position ${errors[0].offset})`,
    });
    return [];
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    problems.push({
      key: 'config file',
      source,
      message: `${file} must hold a JSON object of KEY: value`,
    });
    return [];
  }
  const ignored: string[] = [];
  for (const [key, value] of Object.entries(parsed)) {
    if (UPPERCASE_KEY.test(key)) values.set(key, { value, source });
    else ignored.push(key);
  }
  return ignored;
}

function setPrefixed(
  values: Map<string, RawValue>,
  problems: ConfigProblem[],
  name: string,
  raw: string,
) {
  const source: ConfigSource = `env:${name}`;
  const [top, ...rest] = name.slice(ENV_PREFIX.length).split('__');
  const value = parseJsonOrText(raw);
  const bad = [top, ...rest].find((part) => part === '' || isForbiddenKey(part));
  if (bad !== undefined) {
    problems.push({
      key: name,
      source,
      message: `"${bad}" is not allowed as a key part; rename the variable`,
    });
    return;
  }
  if (rest.length === 0) {
    values.set(top, { value, raw, source });
    return;
  }
  // Nesting merges into what a lower source set, as Flask's from_prefixed_env does.
  const previous = values.get(top)?.value;
  const root = isPlainObject(previous) ? structuredClone(previous) : {};
  let node = root;
  for (const part of rest.slice(0, -1)) {
    const child = node[part];
    node[part] = isPlainObject(child) ? child : {};
    node = node[part] as Record<string, unknown>;
  }
  node[rest[rest.length - 1]] = value;
  values.set(top, { value: root, source });
}

/** Flask's `json.loads` attempt: JSON when it parses, the text itself otherwise. */
export function parseJsonOrText(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}
