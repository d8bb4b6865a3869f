import { parseDatabaseUrl, redact } from './database-url';

describe(parseDatabaseUrl.name, () => {
  it.each([
    ['sqlite:instance/app.sqlite', { kind: 'sqlite', file: 'instance/app.sqlite' }],
    ['sqlite:///var/lib/app.sqlite', { kind: 'sqlite', file: '/var/lib/app.sqlite' }],
    ['sqlite::memory:', { kind: 'sqlite', file: ':memory:' }],
    [
      'postgres://u:p@db:5432/app',
      { kind: 'postgres', connectionString: 'postgres://u:p@db:5432/app' },
    ],
    [
      'postgresql://db/app?sslmode=require',
      { kind: 'postgres', connectionString: 'postgresql://db/app?sslmode=require' },
    ],
  ])('reads %s', (url, target) => {
    expect(parseDatabaseUrl(url)).toEqual(target);
  });

  it('refuses another scheme, without echoing the password', () => {
    expect(() => parseDatabaseUrl('mysql://root:s3cret@db/app')).toThrow(
      'DATABASE_URL must be sqlite:<file> or postgres://user@host:5432/db, got "mysql://root:***@db/app"',
    );
  });

  it('redacts only the password', () => {
    expect(redact('postgres://app:pw@db:5432/x')).toBe('postgres://app:***@db:5432/x');
    expect(redact('postgres://app@db/x')).toBe('postgres://app@db/x');
  });
});
