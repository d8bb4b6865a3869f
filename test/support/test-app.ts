import { INestApplication } from '@nestjs/common';
import { HttpAdapterKind, LoadedConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/load-config';
import { createApp } from '../../src/create-app';

/** Both platforms; every e2e suite that is about HTTP behaviour runs on each (`describe.each(PLATFORMS)`). */
export const PLATFORMS: HttpAdapterKind[] = ['fastify', 'express'];

export const TEST_SECRET_KEY = 'ci-test-secret-key';

/**
 * A configuration as the loader builds it from these variables alone (no config file is read), on top of
 * `NODE_ENV=test` and the guide's CI key. Pass `SECRET_KEY: undefined` to build one without a key.
 */
export function testConfig(env: Record<string, string | undefined> = {}): LoadedConfig {
  const merged: Record<string, string | undefined> = {
    NODE_ENV: 'test',
    SECRET_KEY: TEST_SECRET_KEY,
    INSTANCE_PATH: 'instance/test',
    ...env,
  };
  return loadConfig(merged, () => undefined);
}

/** The real app, initialised and not listening: hand `app.getHttpServer()` to supertest. */
export async function createTestApp(
  env: Record<string, string | undefined> = {},
): Promise<INestApplication> {
  return createApp(testConfig(env), { logger: ['error', 'warn'] });
}
