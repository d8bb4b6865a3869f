import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LoadedConfig } from './app-config';
import { ConfigError } from './config.errors';

export const DEV_KEY_FILE = 'secret_key';

/**
 * Development without `SECRET_KEY`: use a key generated once into `INSTANCE_PATH/secret_key` (mode 0600)
 * and kept, so restarts and watch reloads keep sessions. Writes one warning line through `warn`.
 * Other environments, or a key already set, come back unchanged.
 */
export function withDevSecretKey(loaded: LoadedConfig, warn: (line: string) => void): LoadedConfig {
  const { config } = loaded;
  if (config.app.env !== 'development' || config.session.secretKey !== null) return loaded;
  const file = path.join(config.app.instancePath, DEV_KEY_FILE);
  const created = createKeyFileOnce(file);
  const key = fs.readFileSync(file, 'utf8').trim();
  if (key.length < 32) {
    throw new ConfigError([
      {
        key: 'SECRET_KEY',
        source: `file:${file}`,
        message: `the development key file ${file} is damaged; delete it and start again to generate a new one`,
      },
    ]);
  }
  warn(
    `SECRET_KEY is not set: using the development key ${created ? 'generated now in' : 'kept in'} ${file}; set SECRET_KEY in production (npm run secret)`,
  );
  return {
    config: { ...config, session: { ...config.session, secretKey: key } },
    sources: { ...loaded.sources, SECRET_KEY: `file:${file}` },
  };
}

/** Creates the key file unless it exists; `wx` makes two processes starting at once agree on one key. */
function createKeyFileOnce(file: string): boolean {
  try {
    fs.writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}
