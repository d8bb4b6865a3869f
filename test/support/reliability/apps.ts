import { INestApplication } from '@nestjs/common';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HttpAdapterKind, SessionStoreKind } from '../../../src/config/app-config';
import { createSessionTestApp } from '../session-test-app';
import { SEED_EMAIL, SEED_PASSWORD } from '../auth-setup';
import { deleteKeys, describeWithRedis, REDIS_URL, uniquePrefix } from '../redis';
import { createTestApp, PLATFORMS } from '../test-app';
import { jsonOf, RawClient, setCookiePair } from './http-client';

export type ReliabilityStore = 'cookie' | 'redis';

/** One in-process app (SQLite in a temporary folder, its own Redis prefix) and a raw client on it. */
export interface HostileTarget {
  app: INestApplication;
  client: RawClient;
  close(): Promise<void>;
}

/**
 * Starts one; `withSessionRoutes` adds the test-only `/s` routes (`createSessionTestApp`), e.g. `/s/slow/:ms`,
 * which holds a session's write turn.
 */
export async function startHostileTarget(
  platform: HttpAdapterKind,
  store: SessionStoreKind,
  env: Record<string, string> = {},
  options: { withSessionRoutes?: boolean } = {},
): Promise<HostileTarget> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reliability-'));
  const prefix = uniquePrefix(`reliability-${platform}`);
  const create = options.withSessionRoutes ? createSessionTestApp : createTestApp;
  const app = await create({
    HTTP_ADAPTER: platform,
    SESSION_STORE: store,
    INSTANCE_PATH: dir,
    DATABASE_URL: `sqlite:${path.join(dir, 'app.sqlite')}`,
    ...(store === 'redis' ? { REDIS_URL, APP_SESSION_KEY_PREFIX: prefix } : {}),
    ...env,
  });
  const client = await RawClient.listen(app);
  return {
    app,
    client,
    close: async () => {
      client.close();
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
      if (store === 'redis' && REDIS_URL) await deleteKeys(REDIS_URL, prefix);
    },
  };
}

/** Platform × store rows; the Redis rows skip (or fail under CI) without a Redis, as elsewhere. */
export function eachTarget(name: string, body: (p: HttpAdapterKind, s: ReliabilityStore) => void) {
  for (const platform of PLATFORMS) {
    describe(`${name} on ${platform}, cookie store`, () => body(platform, 'cookie'));
    describeWithRedis(`${name} on ${platform}, redis store`, () => body(platform, 'redis'));
  }
}

/** Signs the seeded user in with JSON; returns the `name=value` cookie pair and the user id. */
export async function signIn(
  client: RawClient,
  email = SEED_EMAIL,
  password = SEED_PASSWORD,
): Promise<{ cookie: string; userId: number }> {
  const res = await client.send({
    method: 'POST',
    path: '/login',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const cookie = setCookiePair(res, 'session');
  if (res.status !== 200 || !cookie) throw new Error(`login failed: ${res.status} ${res.text}`);
  return { cookie, userId: (jsonOf(res) as { user: { id: number } }).user.id };
}
