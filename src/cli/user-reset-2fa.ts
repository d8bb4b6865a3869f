import { loadProcessConfig } from '../config/process-config';
import { createDatabase } from '../database/database.factory';
import { migrateToLatest } from '../database/migrate';
import { runCli, UsageError } from './run-cli';
import { TwoFactorRepository } from '../two-factor/two-factor.repository';
import { UsersRepository } from '../users/users.repository';
import { normalizeEmail } from '../users/users.service';

/**
 * `npm run user:reset-2fa -- <email>` (or `node dist/cli/user-reset-2fa.js <email>` in the image): removes
 * the TOTP and the recovery codes of a user who lost both, so the password alone signs in again. Verify
 * who is asking out of band first (docs/accounts.md): this command is how an account's second factor is
 * bypassed. The password and the sessions are left as they are.
 *
 * Exit codes: 0 removed (or there was none) · 1 no such user · 2 usage · 69 database unavailable
 * (EX_UNAVAILABLE) · 78 bad configuration (EX_CONFIG).
 */
const USAGE = 'usage: npm run user:reset-2fa -- <email>';
const EXIT_NO_USER = 1;

async function main(args: string[]): Promise<number> {
  if (args.length !== 1 || !/^[^\s@]+@[^\s@]+$/.test(args[0].trim()))
    throw new UsageError(`expected one argument, the user's email\n${USAGE}`);
  const email = normalizeEmail(args[0]);
  const { config } = loadProcessConfig((line) => process.stderr.write(`WARN ${line}\n`));
  const database = createDatabase(config.database.url);
  try {
    await migrateToLatest(database);
    const user = await new UsersRepository(database.db).findByEmail(email);
    if (!user) {
      process.stderr.write(`user:reset-2fa: no user has the address ${email}\n`);
      return EXIT_NO_USER;
    }
    const wasOn = await new TwoFactorRepository(database.db).remove(user.id);
    process.stdout.write(
      wasOn
        ? `removed two-factor authentication (TOTP and recovery codes) of user ${user.id} ${email}\n`
        : `user ${user.id} ${email} had no two-factor authentication; nothing changed\n`,
    );
    return 0;
  } finally {
    await database.db.destroy();
  }
}

runCli('user:reset-2fa', () => main(process.argv.slice(2)));
