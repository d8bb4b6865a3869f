import * as fs from 'node:fs';
import * as path from 'node:path';
import { LoadedConfig } from './app-config';
import { bootWarnings } from './config-report';
import { configFilePath, ReadFile } from './config-sources';
import { DEV_KEY_FILE, withDevSecretKey } from './dev-secret-key';
import { ConfigInspection, inspectConfig, loadConfig } from './load-config';
import { checkSecretFiles } from './secret-files';

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
 * creates `INSTANCE_PATH` (mode 0700: it holds the users database and maybe keys) and, in development, the
 * kept development key; checks that files holding secrets are private; writes production warnings that
 * matter at boot. Throws `ConfigError`.
 */
export function loadProcessConfig(warn: (line: string) => void): LoadedConfig {
  const loaded = loadConfig(process.env, readFileIfExists);
  fs.mkdirSync(loaded.config.app.instancePath, { recursive: true, mode: 0o700 });
  const keyed = withDevSecretKey(loaded, warn);
  const keyFile = path.join(loaded.config.app.instancePath, DEV_KEY_FILE);
  const secretFiles = [configFilePath(process.env)];
  if (keyed.sources.SECRET_KEY === `file:${keyFile}`) secretFiles.push(keyFile);
  checkSecretFiles(keyed, secretFiles, warn);
  for (const line of bootWarnings(keyed.config)) warn(line);
  return keyed;
}

/**
 * What `npm run config:check` reports for this process, without writing anything: in development without
 * a key it shows the kept development key (masked) when there is one.
 */
export function inspectProcessConfig(): ConfigInspection {
  const inspection = inspectConfig(process.env, readFileIfExists);
  const row = inspection.rows.find((r) => r.key === 'SECRET_KEY');
  const config = inspection.loaded?.config;
  if (row && config?.app.env === 'development' && config.session.secretKey === null) {
    const file = path.join(config.app.instancePath, DEV_KEY_FILE);
    const kept = readFileIfExists(file)?.trim();
    if (kept) Object.assign(row, { value: kept, source: `file:${file}` });
  }
  return inspection;
}
