import * as readline from 'node:readline';
import { loadProcessConfig } from '../config/process-config';
import { createDatabase } from '../database/database.factory';
import { migrateToLatest } from '../database/migrate';
import { runCli, UsageError } from './run-cli';
import { PasswordHasher } from '../users/password-hasher';
import { PASSWORD_MIN_LENGTH } from '../users/users.constants';
import { EmailTakenError } from '../users/users.errors';
import { UsersRepository } from '../users/users.repository';
import { normalizeEmail, UsersService } from '../users/users.service';

/**
 * `npm run user:create -- <email>` (or `node dist/cli/user-create.js <email>` in the image): adds a user
 * to the database of `DATABASE_URL`, running the migrations first. The password comes from a hidden
 * prompt on a terminal, else from the first line of stdin (`printf '%s\n' "$PW" | npm run …`); never
 * from the command line, where `ps` and shell history would keep it.
 *
 * Exit codes: 0 created · 1 already registered · 2 usage (arguments, password) · 69 database
 * unavailable (EX_UNAVAILABLE) · 78 bad configuration (EX_CONFIG).
 */
const USAGE =
  'usage: npm run user:create -- <email>   (the password is read from stdin or a prompt)';
const EXIT_DUPLICATE = 1;

async function main(args: string[]): Promise<number> {
  const email = parseArgs(args);
  const { config } = loadProcessConfig((line) => process.stderr.write(`WARN ${line}\n`));
  const password = await readPassword();
  if (password.length < PASSWORD_MIN_LENGTH) {
    throw new UsageError(`the password must be at least ${PASSWORD_MIN_LENGTH} characters`);
  }
  const database = createDatabase(config.database.url);
  try {
    await migrateToLatest(database);
    const users = new UsersService(new UsersRepository(database.db), new PasswordHasher());
    const user = await users.register(email, password);
    process.stdout.write(`created user ${user.id} ${user.email}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof EmailTakenError)) throw error;
    process.stderr.write(`user:create: ${normalizeEmail(email)} is already registered\n`);
    return EXIT_DUPLICATE;
  } finally {
    await database.db.destroy();
  }
}

function parseArgs(args: string[]): string {
  if (args.length > 1) {
    throw new UsageError(
      `expected one argument, the email; the password is never taken from the command line\n${USAGE}`,
    );
  }
  const email = args[0]?.trim() ?? '';
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new UsageError(`expected an email address\n${USAGE}`);
  return email;
}

/** One line from stdin: a hidden prompt on a terminal, else the first line of whatever is piped in. */
async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) return promptHidden('Password: ');
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  throw new UsageError('no password on stdin: pipe one line, or run this in a terminal');
}

/** Reads a line in raw mode without echoing it; Ctrl-C aborts. */
function promptHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  let value = '';
  return new Promise<string>((resolve, reject) => {
    const finish = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003') return finish(new UsageError('cancelled'));
        value = char === '\u007f' || char === '\b' ? value.slice(0, -1) : value + char;
      }
    };
    stdin.on('data', onData);
    stdin.resume();
  });
}

runCli('user:create', () => main(process.argv.slice(2)));
