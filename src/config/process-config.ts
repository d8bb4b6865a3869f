import * as fs from 'node:fs';
import * as path from 'node:path';
import { LoadedConfig } from './app-config';
import { ReadFile } from './config-sources';
import { DEV_KEY_FILE, withDevSecretKey } from './dev-secret-key';
import { ConfigInspection, inspectConfig, loadConfig } from './load-config';

/** Reads a file's text; `undefined` when it does not exist (a missing default config file is fine). */
export const readFileIfExists: ReadFile = (file) => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
};

/**
 * The process's configuration: the only place in the app that reads `process.env`. Validates everything,
 * creates `INSTANCE_PATH` and, in development, the kept development key. Throws `ConfigError`.
 */
export function loadProcessConfig(warn: (line: string) => void): LoadedConfig {
  const loaded = loadConfig(process.env, readFileIfExists);
  fs.mkdirSync(loaded.config.instancePath, { recursive: true });
  return withDevSecretKey(loaded, warn);
}

/**
 * What `npm run config:check` reports for this process, without writing anything: in development without
 * a key it shows the kept development key (masked) when there is one.
 */
export function inspectProcessConfig(): ConfigInspection {
  const inspection = inspectConfig(process.env, readFileIfExists);
  const row = inspection.rows.find((r) => r.key === 'SECRET_KEY');
  const config = inspection.loaded?.config;
  if (row && config?.env === 'development' && config.secretKey === null) {
    const file = path.join(config.instancePath, DEV_KEY_FILE);
    const kept = readFileIfExists(file)?.trim();
    if (kept) Object.assign(row, { value: kept, source: `file:${file}` });
  }
  return inspection;
}
