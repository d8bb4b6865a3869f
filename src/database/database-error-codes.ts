/**
 * Classifies driver errors from `pg` and `better-sqlite3`, which both put a string `code` on the error:
 * a PostgreSQL SQLSTATE (https://www.postgresql.org/docs/current/errcodes-appendix.html), a Node
 * system error code (`ECONNREFUSED`), or an SQLite extended result code (`SQLITE_READONLY_DBMOVED`).
 */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** A unique constraint refused the row: SQLSTATE 23505 or SQLite's `SQLITE_CONSTRAINT_UNIQUE`. */
export function isUniqueViolation(error: unknown): boolean {
  const code = errorCode(error);
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  // Opening the SQLite file or creating its folder.
  'EACCES',
  'EPERM',
  'EROFS',
  'ENOSPC',
]);

const SQLSTATES = [
  /^08/, // connection exception
  /^28/, // invalid authorization (wrong user or password in DATABASE_URL)
  /^3D000$/, // database does not exist
  /^53/, // insufficient resources (too many connections, disk full)
  /^57P0[1-4]$/, // admin or crash shutdown, cannot connect now, database dropped
  /^25006$/, // read-only transaction (a hot standby)
];

const SQLITE_CODES = /^SQLITE_(READONLY|CANTOPEN|BUSY|LOCKED|IOERR|FULL|PERM|NOTADB|CORRUPT)/;

/** `pg` reports a lost or timed-out connection without a code. */
const PG_CONNECTION_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect)/;

/**
 * The database cannot serve the app right now (down, unreachable, refusing us, read-only, locked),
 * as opposed to a bug in a query. Node 20 reports a refused `localhost` as an `AggregateError` whose
 * `code` is the first attempt's.
 */
export function isUnavailable(error: unknown): boolean {
  const code = errorCode(error);
  if (code !== undefined) {
    return (
      NETWORK_CODES.has(code) || SQLITE_CODES.test(code) || SQLSTATES.some((s) => s.test(code))
    );
  }
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' && PG_CONNECTION_MESSAGES.test(message);
}
