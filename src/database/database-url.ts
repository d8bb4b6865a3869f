/** Which database `DATABASE_URL` names, and how to reach it. */
export type DatabaseTarget =
  { kind: 'sqlite'; file: string } | { kind: 'postgres'; connectionString: string };

/** The in-memory SQLite database (`sqlite::memory:`): one connection, gone when it closes. */
export const SQLITE_MEMORY = ':memory:';

/**
 * Reads `DATABASE_URL`: `sqlite:<file>` (relative to the working directory; `sqlite:///abs/path` and
 * `sqlite::memory:` also work) or `postgres://…` / `postgresql://…`, passed to `pg` unchanged (so
 * `?sslmode=…` or `?options=-c search_path=…` apply). Config validation has already checked the scheme.
 */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (/^postgres(ql)?:\/\//.test(url)) return { kind: 'postgres', connectionString: url };
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (file !== '') return { kind: 'sqlite', file };
  }
  throw new Error(
    `DATABASE_URL must be sqlite:<file> or postgres://user@host:5432/db, got "${redact(url)}"`,
  );
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}
