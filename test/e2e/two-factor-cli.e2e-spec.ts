import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TwoFactorRepository } from '../../src/two-factor/two-factor.repository';
import { UsersRepository } from '../../src/users/users.repository';
import { runNpmScript } from '../support/cli';
import { describeEachDatabase } from '../support/database';

const INSTANCE = fs.mkdtempSync(path.join(os.tmpdir(), 'user-reset-2fa-'));
afterAll(() => fs.rmSync(INSTANCE, { recursive: true, force: true }));

/** `npm run user:reset-2fa -- …args`. */
function reset2fa(databaseUrl: string, args: string[]) {
  return runNpmScript('user:reset-2fa', args, {
    DATABASE_URL: databaseUrl,
    INSTANCE_PATH: INSTANCE,
  });
}

describeEachDatabase('npm run user:reset-2fa', (dbs) => {
  it('removes TOTP and the recovery codes of a user; then says there was nothing; 1 for no user, 2 for usage', async () => {
    const { db, url } = await dbs.migrated();
    const user = (await new UsersRepository(db).insert('ivy@example.org', 'not-a-hash'))!;
    const repo = new TwoFactorRepository(db);
    expect(await repo.saveUnconfirmed(user.id, 'sealed-secret')).toBe(true);
    expect(await repo.confirm(user.id, 'sealed-secret', 1, ['h1', 'h2'])).toBe(true);

    const removed = await reset2fa(url, ['Ivy@Example.org']);
    expect(removed).toMatchObject({
      code: 0,
      stdout: `removed two-factor authentication (TOTP and recovery codes) of user ${user.id} ivy@example.org\n`,
    });
    expect(await repo.findTotp(user.id)).toBeNull();
    expect(await repo.unusedRecoveryCodes(user.id)).toBe(0);

    const again = await reset2fa(url, ['ivy@example.org']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('had no two-factor authentication; nothing changed');

    const unknown = await reset2fa(url, ['nobody@example.org']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('user:reset-2fa: no user has the address nobody@example.org');
    const usage = await reset2fa(url, []);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: npm run user:reset-2fa -- <email>');
  }, 60_000);
});
