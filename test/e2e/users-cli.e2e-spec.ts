import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createDatabase } from '../../src/database/database.factory';
import { PasswordHasher } from '../../src/users/password-hasher';
import { UsersRepository } from '../../src/users/users.repository';
import { UsersService } from '../../src/users/users.service';
import { CliResult, runNpmScript } from '../support/cli';
import { describeEachDatabase, testDatabases, UNREACHABLE_POSTGRES_URL } from '../support/database';

const INSTANCE = fs.mkdtempSync(path.join(os.tmpdir(), 'user-create-'));
afterAll(() => fs.rmSync(INSTANCE, { recursive: true, force: true }));

/** `npm run user:create -- …args` with `stdin` piped in. */
function userCreate(databaseUrl: string, args: string[], stdin: string): Promise<CliResult> {
  return runNpmScript(
    'user:create',
    args,
    { DATABASE_URL: databaseUrl, INSTANCE_PATH: INSTANCE },
    stdin,
  );
}

async function verify(url: string, email: string, password: string) {
  const { db } = createDatabase(url);
  try {
    return await new UsersService(new UsersRepository(db), new PasswordHasher()).verifyCredentials(
      email,
      password,
    );
  } finally {
    await db.destroy();
  }
}

describeEachDatabase('npm run user:create', (dbs) => {
  let url: string;
  beforeAll(async () => (url = await dbs.fresh()));

  it('creates a user from the password on stdin; the user can then log in', async () => {
    const result = await userCreate(url, [' Carol@Example.org'], 'a long password\n');

    expect(result).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^created user \d+ carol@example.org\n$/),
    });
    await expect(verify(url, 'carol@example.org', 'a long password')).resolves.toMatchObject({
      email: 'carol@example.org',
    });
  });

  it('exits 1 when the email is already registered', async () => {
    const result = await userCreate(url, ['CAROL@example.org'], 'another password\n');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('user:create: carol@example.org is already registered');
  });
});

describe('npm run user:create refusals', () => {
  const dbs = testDatabases('sqlite');
  let url: string;
  beforeAll(async () => (url = (await dbs.migrated()).url));

  it('never takes the password from the command line', async () => {
    const result = await userCreate(url, ['dave@example.org', 'a long password'], '');

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the password is never taken from the command line');
    await expect(verify(url, 'dave@example.org', 'a long password')).resolves.toBeNull();
  });

  it.each([
    ['no password on stdin', '', 'no password on stdin'],
    ['a short password', 'short\n', 'at least 8 characters'],
  ])('exits 2 on %s', async (_, stdin, message) => {
    const result = await userCreate(url, ['erin@example.org'], stdin);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('exits 69 naming DATABASE_URL, without its password, when the database is unreachable', async () => {
    const result = await userCreate(
      UNREACHABLE_POSTGRES_URL,
      ['frank@example.org'],
      'a long password\n',
    );

    expect(result.code).toBe(69);
    expect(result.stderr).toContain(
      'could not migrate the database at DATABASE_URL (postgres://postgres:***@',
    );
    expect(result.stderr).not.toContain('hunter2');
  });

  it('lets two commands create users in a new database at the same time', async () => {
    const fresh = await dbs.fresh();

    const results = await Promise.all([
      userCreate(fresh, ['gina@example.org'], 'a long password\n'),
      userCreate(fresh, ['hank@example.org'], 'a long password\n'),
    ]);

    expect(results.map((r) => [r.code, r.stderr])).toEqual([
      [0, ''],
      [0, ''],
    ]);
  });
});
