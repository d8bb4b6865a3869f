import { ServiceUnavailableException } from '@nestjs/common';
import { errorCode, isUnavailable } from './database-error-codes';

/** Why the database failed, short and without hosts or credentials: the driver's code when it has one. */
function reason(cause: unknown): string {
  return errorCode(cause) ?? messageOf(cause);
}

/** `error.message`, also for errors from another realm (Node's own errors under Jest fail `instanceof`). */
export function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}

/**
 * A request needed the database and it did not answer (PostgreSQL down or unreachable, SQLite file
 * read-only or locked): 503, never a 500 and never a crash. The driver error is kept as `cause` for logs;
 * the response names only its code, so hosts and user names in driver messages are not sent to clients.
 */
export class DatabaseUnavailableError extends ServiceUnavailableException {
  override readonly name = 'DatabaseUnavailableError';

  constructor(cause: unknown) {
    super(`the database is unavailable (${reason(cause)}); check DATABASE_URL and that it is up`, {
      cause,
    });
  }
}

/**
 * The migrations could not run at start, so the app does not boot: a plain `Error`, as every boot-time
 * failure is. `createApp` rejects with it (main exits non-zero); `npm run user:create` exits 69.
 */
export class DatabaseMigrationError extends Error {
  override readonly name = 'DatabaseMigrationError';

  constructor(
    readonly target: string,
    cause: unknown,
  ) {
    super(
      `could not migrate the database at DATABASE_URL (${target}): ${messageOf(cause)}; check DATABASE_URL and that the database is up`,
      { cause },
    );
  }
}

/** Maps a driver error to `DatabaseUnavailableError` when the database is unavailable; else returns it. */
export function toDatabaseError(error: unknown): unknown {
  return isUnavailable(error) && !(error instanceof DatabaseUnavailableError)
    ? new DatabaseUnavailableError(error)
    : error;
}
