import * as fs from 'node:fs';
import { LoadedConfig } from './app-config';
import { ConfigError, ConfigProblem } from './config.errors';

/** Group and other permission bits: a file that holds a secret should have none. */
const SHARED_BITS = 0o077;

/**
 * Files that may hold secrets (the config file, the development `secret_key`) must be readable by their
 * owner only. Looser permissions are a warning in development and test, and a boot error (exit 78) in
 * production, each naming the file and `chmod 600`. Files that do not exist are skipped; so is Windows,
 * whose files have no such mode bits.
 */
export function checkSecretFiles(
  loaded: LoadedConfig,
  files: readonly string[],
  warn: (line: string) => void,
  platform: NodeJS.Platform = process.platform,
): void {
  if (platform === 'win32') return;
  const problems: ConfigProblem[] = [];
  for (const file of files) {
    const mode = modeOf(file);
    if (mode === null || (mode & SHARED_BITS) === 0) continue;
    const message = `${file} is readable by group or others (mode ${mode.toString(8).padStart(4, '0')}); it may hold secrets: run \`chmod 600 ${file}\``;
    if (loaded.config.app.env === 'production') {
      problems.push({ key: 'config file', source: `file:${file}`, message });
    } else {
      warn(message);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
}

function modeOf(file: string): number | null {
  try {
    return fs.statSync(file).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
