import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { AppDatabase, createDatabase } from '../../src/database/database.factory';
import { migrateToLatest } from '../../src/database/migrate';
import { describeIfAvailable } from './service-available';

export type DatabaseKind = 'sqlite' | 'postgres';

const ROOT = path.resolve(__dirname, '../..');
const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** `DATABASE_URL` when it is a PostgreSQL URL, else the local server that CI and this machine run. */
export const POSTGRES_URL = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '')
  ? (process.env.DATABASE_URL as string)
  : DEFAULT_POSTGRES_URL;

/** Nothing listens on port 1: connections are refused at once. */
export const UNREACHABLE_POSTGRES_URL = 'postgres://postgres:hunter2@127.0.0.1:1/test';

/** Fresh, empty databases of one kind for one test file; the helper removes them after the file. */
export interface TestDatabases {
  kind: DatabaseKind;
  /** A new empty database: an SQLite file in a temporary folder, or a new PostgreSQL schema. */
  fresh(): Promise<string>;
  /** `createDatabase` + `migrateToLatest` on a fresh database; destroyed after the file. */
  migrated(): Promise<AppDatabase & { url: string }>;
}

/**
 * Runs `body` against SQLite always, and against PostgreSQL at `POSTGRES_URL` when it answers; when it
 * does not, those tests are skipped with a one-line reason, or fail when `CI` is set.
 */
export function describeEachDatabase(name: string, body: (dbs: TestDatabases) => void): void {
  describe(`${name} (SQLite)`, () => body(testDatabases('sqlite')));
  describeWithPostgres(`${name} (PostgreSQL)`, () => body(testDatabases('postgres')));
}

/** `describe` when PostgreSQL answers; else a skip with the reason, or under `CI` a failing test. */
export function describeWithPostgres(name: string, body: () => void): void {
  describeIfAvailable(name, postgresProblem(), body);
}

let probed: { problem: string | undefined } | undefined;

/** Why PostgreSQL cannot be used, or `undefined`. Probed once per test file, in a child process. */
export function postgresProblem(): string | undefined {
  probed ??= { problem: probePostgres(POSTGRES_URL) };
  return probed.problem;
}

function probePostgres(url: string): string | undefined {
  const script = `const c = new (require('pg').Client)({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });
c.connect().then(() => c.query('select 1')).then(() => c.end()).then(() => process.exit(0),
  (e) => { process.stderr.write(String(e.code || e.message)); process.exit(1); });`;
  try {
    execFileSync(process.execPath, ['-e', script, url], {
      cwd: ROOT,
      timeout: 10_000,
      stdio: 'pipe',
    });
    return undefined;
  } catch (error) {
    const reason = (error as { stderr?: Buffer }).stderr?.toString().trim() || String(error);
    return `PostgreSQL at ${url} does not answer (${reason}); set DATABASE_URL=postgres://… to run these tests`;
  }
}

/** Fresh databases of one kind, removed in an `afterAll` of the calling `describe`. */
export function testDatabases(kind: DatabaseKind): TestDatabases {
  const created: string[] = [];
  const opened: AppDatabase[] = [];
  afterAll(async () => {
    await Promise.all(opened.map(({ db }) => db.destroy()));
    await (kind === 'sqlite' ? removeFolders(created) : dropSchemas(created));
  });
  const fresh = async (): Promise<string> => {
    const url = kind === 'sqlite' ? newSqliteUrl() : await newPostgresSchema();
    created.push(url);
    return url;
  };
  const migrated = async (): Promise<AppDatabase & { url: string }> => {
    const url = await fresh();
    const database = createDatabase(url);
    opened.push(database);
    await migrateToLatest(database);
    return { ...database, url };
  };
  return { kind, fresh, migrated };
}

function newSqliteUrl(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'users-db-'));
  return `sqlite:${path.join(dir, 'nested', 'app.sqlite')}`;
}

async function removeFolders(urls: string[]): Promise<void> {
  for (const url of urls) {
    const file = url.slice('sqlite:'.length);
    await fs.promises.rm(path.dirname(path.dirname(file)), { recursive: true, force: true });
  }
}

/** A URL whose connections use `schema` (PostgreSQL's `options=-c search_path=…` startup parameter). */
export function withSearchPath(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}

function schemaOf(url: string): string {
  return (new URL(url).searchParams.get('options') ?? '').replace('-c search_path=', '');
}

/**
 * A new empty schema on `POSTGRES_URL` and the URL whose connections use it: tests never migrate the
 * shared `public` schema, which another checkout's tests may have migrated further.
 */
export async function newPostgresSchema(): Promise<string> {
  const schema = `test_${process.pid}_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create schema "${schema}"`);
  return withSearchPath(POSTGRES_URL, schema);
}

export async function dropSchemas(urls: string[]): Promise<void> {
  for (const url of urls) await adminQuery(`drop schema if exists "${schemaOf(url)}" cascade`);
}

async function adminQuery(text: string): Promise<void> {
  const client = new Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
