import { INestApplication } from '@nestjs/common';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HttpAdapterKind, SessionStoreKind } from '../../src/config/app-config';
import { describeWithPostgres, dropSchemas, newPostgresSchema } from './database';
import { deleteKeys, describeWithRedis, REDIS_URL, uniquePrefix } from './redis';
import { createTestApp } from './test-app';

export const SEED_EMAIL = 'test@example.com';
export const SEED_PASSWORD = 'password';

export interface AuthSetup {
  createApp(): Promise<INestApplication>;
  cleanup(): Promise<void>;
}

/** The CSRF token of the first form in an HTML page. */
export function csrfFrom(page: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(page);
  if (!match) throw new Error('no CSRF token in the page');
  return match[1];
}

let counter = 0;
/** An email no other test or run uses. */
export function uniqueEmail(label: string): string {
  return `${label}-${process.pid}-${Date.now().toString(36)}-${counter++}@example.com`;
}

/** The app on one platform, session store and database, with its own SQLite file or Redis prefix. */
export function authSetup(
  platform: HttpAdapterKind,
  store: SessionStoreKind,
  database: 'sqlite' | 'postgres',
  env: Record<string, string> = {},
): AuthSetup {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'auth-e2e-'));
  const prefix = uniquePrefix(`auth-${platform}`);
  const schemas: string[] = [];
  return {
    createApp: async () => {
      const databaseUrl =
        database === 'sqlite'
          ? `sqlite:${path.join(dir, 'app.sqlite')}`
          : await newPostgresSchema();
      if (database === 'postgres') schemas.push(databaseUrl);
      return createTestApp({
        HTTP_ADAPTER: platform,
        SESSION_STORE: store,
        // One trusted hop: a test that plays many clients names each in X-Forwarded-For.
        TRUST_PROXY: '1',
        INSTANCE_PATH: dir,
        DATABASE_URL: databaseUrl,
        ...(store === 'redis' ? { REDIS_URL, APP_SESSION_KEY_PREFIX: prefix } : {}),
        ...env,
      });
    },
    cleanup: async () => {
      fs.rmSync(dir, { recursive: true, force: true });
      if (store === 'redis' && REDIS_URL) await deleteKeys(REDIS_URL, prefix);
      await dropSchemas(schemas.splice(0));
    },
  };
}

export interface AuthRow {
  name: string;
  setup: AuthSetup;
  /** `describe`, or a skip with the reason when Redis or PostgreSQL is missing (a failure under `CI`). */
  describe: (name: string, body: () => void) => void;
}

/** Platforms × stores × databases that the auth suite runs on; `env` is added to each app's. */
export function authMatrix(env: Record<string, string> = {}): AuthRow[] {
  const rows: [HttpAdapterKind, SessionStoreKind, 'sqlite' | 'postgres'][] = [
    ['fastify', 'cookie', 'sqlite'],
    ['express', 'cookie', 'sqlite'],
    ['fastify', 'redis', 'postgres'],
    ['express', 'redis', 'postgres'],
  ];
  return rows.map(([platform, store, database]) => ({
    name: `${platform}, ${store} sessions, ${database}`,
    setup: authSetup(platform, store, database, env),
    describe: (name, body) => {
      const withDatabase = database === 'postgres' ? describeWithPostgres : describe;
      if (store !== 'redis') return withDatabase(name, body);
      describeWithRedis(name, () => withDatabase('on PostgreSQL', body));
    },
  }));
}
