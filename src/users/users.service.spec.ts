import * as argon2 from 'argon2';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, sql, SqliteDialect } from 'kysely';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeEachDatabase, UNREACHABLE_POSTGRES_URL } from '../../test/support/database';
import { DatabaseUnavailableError } from '../database/database.errors';
import { createDatabase } from '../database/database.factory';
import { DatabaseSchema } from '../database/database.schema';
import { migrateToLatest } from '../database/migrate';
import { PasswordHasher } from './password-hasher';
import { EmailTakenError } from './users.errors';
import { UsersRepository } from './users.repository';
import { ACCOUNT_CACHE_MS, PRECOMPUTED_DUMMY_HASH, UsersService } from './users.service';

async function serviceOn(db: Kysely<DatabaseSchema>): Promise<UsersService> {
  const sut = new UsersService(new UsersRepository(db), new PasswordHasher());
  await sut.onModuleInit();
  return sut;
}

describeEachDatabase(UsersService.name, (dbs) => {
  let db: Kysely<DatabaseSchema>;
  let sut: UsersService;
  beforeAll(async () => {
    db = (await dbs.migrated()).db;
    sut = await serviceOn(db);
  });
  afterEach(() => jest.restoreAllMocks());

  const storedHash = async (id: number) =>
    (await db.selectFrom('users').select('password_hash').where('id', '=', id).executeTakeFirst())
      ?.password_hash;

  it('registers a user with a database id and the email trimmed and lower-cased', async () => {
    const user = await sut.register('  Alice@Example.ORG ', 'correct horse');

    expect(user).toEqual({
      id: expect.any(Number),
      email: 'alice@example.org',
      emailVerified: false,
    });
  });

  it('stores an argon2id hash, never the password', async () => {
    const user = await sut.register('hash@example.org', 'correct horse');

    const hash = await storedHash(user.id);
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(hash).not.toContain('correct horse');
  });

  it('rejects a duplicate email, whatever its case, with 409 "email already registered"', async () => {
    await sut.register('dup@example.org', 'first password');

    const again = sut.register(' DUP@Example.org', 'second password');

    await expect(again).rejects.toThrow(EmailTakenError);
    await expect(again).rejects.toThrow('email already registered');
    await expect(again).rejects.toMatchObject({ status: 409 });
  });

  it('gives 20 concurrent registrations of distinct emails 20 distinct ids', async () => {
    const emails = Array.from({ length: 20 }, (_, i) => `many${i}@example.org`);

    const users = await Promise.all(emails.map((email) => sut.register(email, 'password1')));

    expect(new Set(users.map((u) => u.id)).size).toBe(20);
    expect(users.map((u) => u.email)).toEqual(emails);
  });

  it('lets exactly one of 10 concurrent registrations of one email succeed; the rest get 409', async () => {
    const attempts = Array.from({ length: 10 }, (_, i) =>
      sut.register(i % 2 ? 'race@example.org' : 'RACE@example.org', `password${i}`),
    );

    const outcomes = await Promise.allSettled(attempts);

    const rejected = outcomes.filter((o) => o.status === 'rejected');
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(rejected).toHaveLength(9);
    for (const r of rejected) expect(r.reason).toBeInstanceOf(EmailTakenError);
  });

  describe('verifyCredentials', () => {
    let alice: { id: number; email: string };
    beforeAll(async () => {
      alice = await sut.register('verify@example.org', 'right password');
    });

    it('returns the user for the right password, whatever the email case', async () => {
      await expect(sut.verifyCredentials(' Verify@Example.org', 'right password')).resolves.toEqual(
        alice,
      );
    });

    it('returns null for a wrong password, after one verification of the stored hash', async () => {
      const verify = jest.spyOn(PasswordHasher.prototype, 'check');

      await expect(sut.verifyCredentials(alice.email, 'wrong password')).resolves.toBeNull();

      expect(verify).toHaveBeenCalledTimes(1);
      expect(verify).toHaveBeenCalledWith(await storedHash(alice.id), 'wrong password');
    });

    it('returns null for an unknown email, after one verification against the dummy hash', async () => {
      const verify = jest.spyOn(PasswordHasher.prototype, 'check');
      const hash = jest.spyOn(PasswordHasher.prototype, 'hash');

      await expect(sut.verifyCredentials('nobody@example.org', 'any password')).resolves.toBeNull();

      expect(hash).not.toHaveBeenCalled();
      expect(verify).toHaveBeenCalledTimes(1);
      const [dummy] = verify.mock.calls[0];
      expect(dummy).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
      expect(dummy).not.toBe(await storedHash(alice.id));
    });
  });

  describe('hashes made with other parameters', () => {
    const OLD_PARAMETERS = {
      type: argon2.argon2id,
      memoryCost: 65_536,
      timeCost: 3,
      parallelism: 4,
    } as const;

    it('verify, and are re-hashed with the current parameters at the next successful login', async () => {
      const user = await sut.register('rehash@example.org', 'old password');
      const old = await argon2.hash('old password', OLD_PARAMETERS);
      await db.updateTable('users').set({ password_hash: old }).where('id', '=', user.id).execute();

      await expect(sut.verifyCredentials(user.email, 'wrong password')).resolves.toBeNull();
      expect(await storedHash(user.id)).toBe(old);
      await expect(sut.verifyCredentials(user.email, 'old password')).resolves.toMatchObject(user);

      const upgraded = await storedHash(user.id);
      expect(upgraded).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
      await expect(sut.verifyCredentials(user.email, 'old password')).resolves.toMatchObject(user);
      expect(await storedHash(user.id)).toBe(upgraded);
    });
  });

  describe('the dummy hash', () => {
    it('is shipped with the parameters the hasher uses, so boot hashes nothing', async () => {
      const hash = jest.spyOn(PasswordHasher.prototype, 'hash');

      await serviceOn(db);

      expect(new PasswordHasher().needsRehash(PRECOMPUTED_DUMMY_HASH)).toBe(false);
      expect(hash).not.toHaveBeenCalled();
      const fresh = await new PasswordHasher().hash('x');
      const params = (phc: string) => phc.split('$').slice(1, 4).join('$');
      expect(params(PRECOMPUTED_DUMMY_HASH)).toBe(params(fresh));
    });

    it('is hashed afresh at boot when the hasher parameters no longer match it', async () => {
      jest.spyOn(PasswordHasher.prototype, 'needsRehash').mockReturnValue(true);
      const hash = jest.spyOn(PasswordHasher.prototype, 'hash');
      const verify = jest.spyOn(PasswordHasher.prototype, 'check');
      const fresh = await serviceOn(db);

      await expect(fresh.verifyCredentials('nobody@example.org', 'pw')).resolves.toBeNull();

      expect(hash).toHaveBeenCalledTimes(1);
      const freshHash = (await hash.mock.results[0].value) as string;
      expect(freshHash).not.toBe(PRECOMPUTED_DUMMY_HASH);
      expect(verify).toHaveBeenCalledWith(freshHash, 'pw');
    });
  });

  it('finds a user by id, and answers null for an unknown or impossible id', async () => {
    const user = await sut.register('byid@example.org', 'password');

    await expect(sut.findById(user.id)).resolves.toEqual(user);
    for (const id of [user.id + 10_000, 0, -1, 1.5, 2 ** 31, Number.MAX_SAFE_INTEGER, NaN]) {
      await expect(sut.findById(id)).resolves.toBeNull();
    }
  });

  describe('the account cache', () => {
    it('answers findById from memory for up to ACCOUNT_CACHE_MS, then from the database again', async () => {
      const user = await sut.register('cached@example.org', 'password1');
      expect((await sut.findById(user.id))?.emailVerified).toBe(false);
      // Another instance changes the user: this one sees it within the bound, not before.
      await db
        .updateTable('users')
        .set({ email_verified: sql<boolean>`true` })
        .where('id', '=', user.id)
        .execute();

      expect((await sut.findById(user.id))?.emailVerified).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, ACCOUNT_CACHE_MS + 50));
      expect((await sut.findById(user.id))?.emailVerified).toBe(true);
    });

    it('forgets a user at once when this instance changes it, and keeps no read that overlapped', async () => {
      const user = await sut.register('forget@example.org', 'password1');
      await sut.findById(user.id);

      await sut.markEmailVerified(user.id, user.email);
      expect((await sut.findById(user.id))?.emailVerified).toBe(true);
      const other = await sut.register('racing@example.org', 'password1');
      await Promise.all([sut.findById(other.id), sut.markEmailVerified(other.id, other.email)]);
      expect((await sut.findById(other.id))?.emailVerified).toBe(true);
    });
  });

  describe('changePassword', () => {
    it('takes the new password only, and only over the hash it was checked against', async () => {
      const user = await sut.register('change@example.org', 'old password');
      const record = await sut.findRecord(user.id);

      await expect(
        sut.changePassword(user.id, 'new password', { expectedHash: record!.passwordHash }),
      ).resolves.toBe(true);
      await expect(
        sut.changePassword(user.id, 'third password', { expectedHash: record!.passwordHash }),
      ).resolves.toBe(false);

      await expect(sut.verifyCredentials(user.email, 'old password')).resolves.toBeNull();
      await expect(sut.verifyCredentials(user.email, 'new password')).resolves.toEqual(user);
      await expect(sut.changePassword(user.id + 10_000, 'x password')).resolves.toBe(false);
    });
  });

  it('registers once with registerIfAbsent, then finds the user', async () => {
    await expect(sut.registerIfAbsent('seed@example.org', 'password')).resolves.toBe(true);
    await expect(sut.registerIfAbsent('SEED@example.org', 'other')).resolves.toBe(false);
    await expect(sut.verifyCredentials('seed@example.org', 'password')).resolves.not.toBeNull();
  });
});

describe(`${UsersService.name} when the database is unavailable`, () => {
  it('answers 503 when the SQLite file is read-only', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'users-ro-'));
    const file = path.join(dir, 'app.sqlite');
    const writable = createDatabase(`sqlite:${file}`);
    await migrateToLatest(writable);
    await writable.db.destroy();
    const db = new Kysely<DatabaseSchema>({
      dialect: new SqliteDialect({ database: new SqliteDatabase(file, { readonly: true }) }),
    });
    const sut = await serviceOn(db);

    const registering = sut.register('ro@example.org', 'password');

    await expect(registering).rejects.toThrow(DatabaseUnavailableError);
    await expect(registering).rejects.toMatchObject({ status: 503 });
    await expect(registering).rejects.toThrow(/^the database is unavailable \(SQLITE_READONLY\)/);
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 when PostgreSQL is unreachable', async () => {
    const { db } = createDatabase(UNREACHABLE_POSTGRES_URL);
    const sut = await serviceOn(db);

    await expect(sut.register('pg@example.org', 'password')).rejects.toThrow(
      DatabaseUnavailableError,
    );
    await expect(sut.verifyCredentials('pg@example.org', 'password')).rejects.toMatchObject({
      status: 503,
    });
    await db.destroy();
  });
});
