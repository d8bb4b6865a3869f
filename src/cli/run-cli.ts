import { EXIT_CONFIG, EXIT_UNAVAILABLE } from '../common/exit-codes';
import { ConfigError } from '../config/config.errors';
import { DatabaseMigrationError, DatabaseUnavailableError } from '../database/database.errors';

/** Exit code 2: the command was called wrongly; the message says how to call it. */
export const EXIT_USAGE = 2;

/** A wrong call of a command: exit 2 with the message. */
export class UsageError extends Error {}

/** The message and exit code for each failure the commands expect; anything else is a bug (rethrown). */
function exitCodeFor(error: unknown): [string, number] {
  if (error instanceof UsageError) return [error.message, EXIT_USAGE];
  if (error instanceof ConfigError) return [error.message, EXIT_CONFIG];
  if (error instanceof DatabaseMigrationError || error instanceof DatabaseUnavailableError) {
    return [error.message, EXIT_UNAVAILABLE];
  }
  throw error;
}

/**
 * Runs a command's `main` and sets the exit code: its result, or for an expected failure 2 (usage), 69
 * (database unavailable) or 78 (configuration), with `<name>: <message>` on stderr.
 */
export function runCli(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      const [message, code] = exitCodeFor(error);
      process.stderr.write(`${name}: ${message}\n`);
      process.exitCode = code;
    },
  );
}
