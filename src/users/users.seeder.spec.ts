import { Logger } from '@nestjs/common';
import { Kysely } from 'kysely';
import { describeEachDatabase } from '../../test/support/database';
import { NodeEnv } from '../config/app-config';
import { DatabaseSchema } from '../database/database.schema';
import { PasswordHasher } from './password-hasher';
import { SEED_USER } from './users.constants';
import { UsersRepository } from './users.repository';
import { UsersSeeder } from './users.seeder';
import { UsersService } from './users.service';

describeEachDatabase(UsersSeeder.name, (dbs) => {
  let db: Kysely<DatabaseSchema>;
  let users: UsersService;
  beforeEach(async () => {
    db = (await dbs.migrated()).db;
    users = new UsersService(new UsersRepository(db), new PasswordHasher());
  });

  const seeder = (env: NodeEnv) => new UsersSeeder({ env }, users);
  const countUsers = async () =>
    (await db.selectFrom('users').select('email').execute()).map((r) => r.email);

  it.each<NodeEnv>(['development', 'test'])('seeds the %s user once', async (env) => {
    await seeder(env).onApplicationBootstrap();
    await seeder(env).onApplicationBootstrap();

    expect(await countUsers()).toEqual([SEED_USER.email]);
    await expect(
      users.verifyCredentials(SEED_USER.email, SEED_USER.password),
    ).resolves.toMatchObject({
      id: expect.any(Number),
      email: SEED_USER.email,
      emailVerified: true, // EMAIL_VERIFICATION=required must still let it sign in
    });
  });

  it('seeds once when two processes start at the same time', async () => {
    await Promise.all([
      seeder('test').onApplicationBootstrap(),
      seeder('test').onApplicationBootstrap(),
    ]);

    expect(await countUsers()).toEqual([SEED_USER.email]);
  });

  describe('in production', () => {
    const warnings = (): string[] =>
      (Logger.prototype.warn as jest.Mock).mock.calls.map(([message]) => String(message));
    beforeEach(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));
    afterEach(() => jest.restoreAllMocks());

    it('warns when the development account is still there with its well-known password', async () => {
      await seeder('development').onApplicationBootstrap();

      await seeder('production').onApplicationBootstrap();

      expect(warnings()).toEqual([
        expect.stringContaining(`${SEED_USER.email} still exists with its well-known password`),
      ]);
    });

    it('says nothing once that password has been changed, or when there is no such account', async () => {
      await seeder('production').onApplicationBootstrap();
      await users.register(SEED_USER.email, 'a password nobody guesses');
      await seeder('production').onApplicationBootstrap();

      expect(warnings()).toEqual([]);
    });
  });

  it('never seeds in production', async () => {
    const sut = seeder('production');

    await sut.onApplicationBootstrap();

    expect(sut.shouldSeed()).toBe(false);
    expect(await countUsers()).toEqual([]);
  });
});
