import { INestApplication } from '@nestjs/common';
import { Kysely } from 'kysely';
import { randomBytes } from 'node:crypto';
import { DATABASE } from '../../src/database/database.constants';
import {
  DatabaseMigrationError,
  DatabaseUnavailableError,
} from '../../src/database/database.errors';
import { DatabaseHealth } from '../../src/database/database.health';
import { DatabaseSchema } from '../../src/database/database.schema';
import { SEED_USER } from '../../src/users/users.constants';
import { UsersService } from '../../src/users/users.service';
import {
  describeEachDatabase,
  describeWithPostgres,
  POSTGRES_URL,
  testDatabases,
  UNREACHABLE_POSTGRES_URL,
} from '../support/database';
import { TcpProxy } from '../support/tcp-proxy';
import { createTestApp } from '../support/test-app';

const emails = async (app: INestApplication) =>
  (
    await app.get<Kysely<DatabaseSchema>>(DATABASE).selectFrom('users').select('email').execute()
  ).map((r) => r.email);

describeEachDatabase('the users database in the app', (dbs) => {
  it('migrates and seeds at boot; a second boot on the same database changes nothing', async () => {
    const url = await dbs.fresh();
    const first = await createTestApp({ DATABASE_URL: url });
    const seeded = await first
      .get(UsersService)
      .verifyCredentials(SEED_USER.email, SEED_USER.password);
    await first.close();

    const second = await createTestApp({ DATABASE_URL: url });
    try {
      expect(seeded).toEqual({
        id: expect.any(Number),
        email: SEED_USER.email,
        emailVerified: true,
      });
      expect(await emails(second)).toEqual([SEED_USER.email]);
      await expect(second.get(DatabaseHealth).ping()).resolves.toBeUndefined();
    } finally {
      await second.close();
    }
  });

  it('closes the database when the app closes', async () => {
    const app = await createTestApp({ DATABASE_URL: await dbs.fresh() });
    const db = app.get<Kysely<DatabaseSchema>>(DATABASE);

    await app.close();

    await expect(db.selectFrom('users').selectAll().execute()).rejects.toThrow(/destroyed/);
  });

  it('never seeds in production', async () => {
    const app = await createTestApp({
      NODE_ENV: 'production',
      SECRET_KEY: randomBytes(32).toString('hex'),
      DATABASE_URL: await dbs.fresh(),
    });
    try {
      expect(await emails(app)).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe('booting with PostgreSQL down', () => {
  it('fails with DatabaseMigrationError naming DATABASE_URL, without its password', async () => {
    const booting = createTestApp({ DATABASE_URL: UNREACHABLE_POSTGRES_URL });

    await expect(booting).rejects.toThrow(DatabaseMigrationError);
    await expect(booting).rejects.toThrow(
      /^could not migrate the database at DATABASE_URL \(postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/test\): connect ECONNREFUSED/,
    );
  });
});

describeWithPostgres('a PostgreSQL outage after boot', () => {
  const target = new URL(POSTGRES_URL);
  const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
  const dbs = testDatabases('postgres');
  let app: INestApplication | undefined;
  beforeAll(async () => {
    await proxy.start();
    const url = new URL(await dbs.fresh());
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    app = await createTestApp({ DATABASE_URL: url.toString() });
  });
  afterAll(async () => {
    await app?.close();
    await proxy.stop();
  });

  it('answers 503 while the database is away, and recovers by itself', async () => {
    const users = app!.get(UsersService);
    const health = app!.get(DatabaseHealth);
    await health.ping();

    await proxy.stop();
    await expect(health.ping()).rejects.toThrow(DatabaseUnavailableError);
    await expect(users.register('outage@example.org', 'password')).rejects.toMatchObject({
      status: 503,
    });

    await proxy.start();
    await expect(health.ping()).resolves.toBeUndefined();
    await expect(users.register('outage@example.org', 'password')).resolves.toMatchObject({
      email: 'outage@example.org',
    });
  });
});
