import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeEachDatabase, UNREACHABLE_POSTGRES_URL } from '../../test/support/database';
import { DatabaseMigrationError, DatabaseUnavailableError } from './database.errors';
import { AppDatabase, BUSY_TIMEOUT_MS, createDatabase } from './database.factory';
import { DatabaseHealth } from './database.health';
import { migrateToLatest } from './migrate';
import { InCodeMigrationProvider } from './migrations';

describeEachDatabase('migrateToLatest', (dbs) => {
  const opened: AppDatabase[] = [];
  const open = (url: string): AppDatabase => {
    const database = createDatabase(url);
    opened.push(database);
    return database;
  };
  afterAll(() => Promise.all(opened.map(({ db }) => db.destroy())));

  it('creates the users table once; a second run, and a restart, are no-ops', async () => {
    const url = await dbs.fresh();
    const sut = open(url);

    const first = await migrateToLatest(sut);
    const second = await migrateToLatest(sut);
    const afterRestart = await migrateToLatest(open(url));

    expect(first.map((r) => [r.migrationName, r.status])).toEqual([
      ['0001_create_users', 'Success'],
      ['0002_users_session_generation', 'Success'],
      ['0003_users_email_verified', 'Success'],
      ['0004_user_sessions', 'Success'],
      ['0005_two_factor', 'Success'],
      ['0006_passkeys', 'Success'],
    ]);
    expect(second).toEqual([]);
    expect(afterRestart).toEqual([]);
    const tables = await sut.db.introspection.getTables();
    expect(tables.map((t) => t.name)).toContain('users');
  });

  it('lets two processes migrate one new database at once', async () => {
    const url = await dbs.fresh();
    const [a, b] = [open(url), open(url)];

    const results = await Promise.all([migrateToLatest(a), migrateToLatest(b)]);

    const applied = results.flat().filter((r) => r.status === 'Success');
    expect(applied.map((r) => r.migrationName).sort()).toEqual([
      '0001_create_users',
      '0002_users_session_generation',
      '0003_users_email_verified',
      '0004_user_sessions',
      '0005_two_factor',
      '0006_passkeys',
    ]);
    const row = await a.db
      .insertInto('users')
      .values({ email: 'x@example.org', password_hash: 'h' })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(typeof row.id).toBe('number');
  });

  it('gives users that existed before 0002 to 0004 an unverified address and no session record', async () => {
    const url = await dbs.fresh();
    const sut = open(url);
    const schema =
      sut.target.kind === 'postgres'
        ? (await sql<{ s: string }>`select current_schema() as s`.execute(sut.db)).rows[0].s
        : undefined;
    // Kysely looks for its table in every schema unless told one (as migrate.ts tells it).
    const migrator = new Migrator({
      db: sut.db,
      provider: new InCodeMigrationProvider(sut.target.kind),
      migrationTableSchema: schema,
    });
    await migrator.migrateTo('0001_create_users');
    await sut.db
      .insertInto('users')
      .values({ email: 'before@example.org', password_hash: 'h' })
      .execute();

    await migrateToLatest(sut);

    const rows = await sut.db.selectFrom('users').select(['email', 'email_verified']).execute();
    expect(rows.map((r) => ({ ...r, email_verified: Boolean(r.email_verified) }))).toEqual([
      { email: 'before@example.org', email_verified: false },
    ]);
    // 0004 replaced the session generation by one record per sign-in: none yet for this user.
    const records = await sut.db.selectFrom('user_sessions').selectAll().execute();
    expect(records).toEqual([]);
  });

  it('answers a readiness ping', async () => {
    const { db } = await dbs.migrated();
    await expect(new DatabaseHealth(db).ping()).resolves.toBeUndefined();
  });
});

describe('SQLite database', () => {
  let sut: AppDatabase;
  let file: string;
  beforeAll(async () => {
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sqlite-db-')), 'a', 'b', 'app.sqlite');
    sut = createDatabase(`sqlite:${file}`);
    await migrateToLatest(sut);
  });
  afterAll(async () => {
    await sut.db.destroy();
    fs.rmSync(path.dirname(path.dirname(path.dirname(file))), { recursive: true, force: true });
  });

  it('creates the folder of the file, in WAL mode with a busy timeout', async () => {
    const pragma = async (name: string) =>
      (await sql.raw<Record<string, unknown>>(`pragma ${name}`).execute(sut.db)).rows[0];

    expect(fs.existsSync(file)).toBe(true);
    expect(await pragma('journal_mode')).toEqual({ journal_mode: 'wal' });
    expect(await pragma('busy_timeout')).toEqual({ timeout: BUSY_TIMEOUT_MS });
  });

  it('keeps the file of password hashes, its WAL and its folder to their owner (0600, 0700)', () => {
    const mode = (f: string) => fs.statSync(f).mode & 0o777;
    expect(mode(file)).toBe(0o600);
    expect(mode(`${file}-wal`)).toBe(0o600);
    expect(mode(path.dirname(file))).toBe(0o700);
  });

  it('narrows a file that others could read to 0600 when it opens it', async () => {
    const loose = path.join(path.dirname(file), 'loose.sqlite');
    fs.writeFileSync(loose, '', { mode: 0o644 });
    fs.chmodSync(loose, 0o644);
    const opened = createDatabase(`sqlite:${loose}`);
    await migrateToLatest(opened);
    await opened.db.destroy();
    expect(fs.statSync(loose).mode & 0o777).toBe(0o600);
  });
});

describe('unreachable PostgreSQL', () => {
  let sut: AppDatabase;
  beforeEach(() => (sut = createDatabase(UNREACHABLE_POSTGRES_URL)));
  afterEach(() => sut.db.destroy());

  it('fails the migrations with a message naming DATABASE_URL, without the password', async () => {
    const migrating = migrateToLatest(sut);

    await expect(migrating).rejects.toThrow(DatabaseMigrationError);
    await expect(migrating).rejects.toThrow(/DATABASE_URL \(postgres:\/\/postgres:\*\*\*@127/);
    await expect(migrating).rejects.not.toThrow(/hunter2/);
  });

  it('fails the readiness ping with DatabaseUnavailableError (503)', async () => {
    const pinging = new DatabaseHealth(sut.db).ping();

    await expect(pinging).rejects.toThrow(DatabaseUnavailableError);
    await expect(pinging).rejects.toMatchObject({ status: 503 });
    await expect(pinging).rejects.toThrow(
      'the database is unavailable (ECONNREFUSED); check DATABASE_URL and that it is up',
    );
  });
});
