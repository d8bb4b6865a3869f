import { DatabaseUnavailableError, toDatabaseError } from './database.errors';

const withCode = (code: string, message = 'driver error') =>
  Object.assign(new Error(message), { code });

describe(toDatabaseError.name, () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED')],
    ['an unknown host', withCode('ENOTFOUND')],
    ['a PostgreSQL shutdown', withCode('57P01')],
    ['too many connections', withCode('53300')],
    ['a wrong password in DATABASE_URL', withCode('28P01')],
    ['a hot standby (read-only)', withCode('25006')],
    ['a read-only SQLite file', withCode('SQLITE_READONLY')],
    ['a locked SQLite file', withCode('SQLITE_BUSY')],
    ['a lost pg connection', new Error('Connection terminated unexpectedly')],
  ])('maps %s to DatabaseUnavailableError (503)', (_, error) => {
    const mapped = toDatabaseError(error);

    expect(mapped).toBeInstanceOf(DatabaseUnavailableError);
    expect(mapped).toMatchObject({ status: 503, cause: error });
  });

  it.each([
    ['a unique violation', withCode('23505')],
    ['a syntax error (a bug, not an outage)', withCode('42601')],
    ['an SQLite constraint', withCode('SQLITE_CONSTRAINT_UNIQUE')],
    ['a plain error', new Error('boom')],
  ])('passes %s through', (_, error) => {
    expect(toDatabaseError(error)).toBe(error);
  });

  it('names the code and the fix, never the host', () => {
    const error = withCode('ECONNREFUSED', 'connect ECONNREFUSED 10.1.2.3:5432');

    expect(new DatabaseUnavailableError(error).message).toBe(
      'the database is unavailable (ECONNREFUSED); check DATABASE_URL and that it is up',
    );
  });
});
