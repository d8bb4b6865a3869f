import { INestApplication, ModuleMetadata } from '@nestjs/common';
import { createApp } from '../../src/create-app';
import { SessionTestModule } from './session-test.controller';
import { testConfig } from './test-app';

/** The real app plus the test-only session routes under `/s`. */
export async function createSessionTestApp(
  env: Record<string, string | undefined> = {},
  imports: NonNullable<ModuleMetadata['imports']> = [],
): Promise<INestApplication> {
  return createApp(testConfig(env), {
    logger: ['error', 'warn'],
    imports: [SessionTestModule, ...imports],
  });
}

/** The session cookie's `Set-Cookie` header of a response, or `undefined`. */
export function sessionSetCookie(
  headers: Record<string, unknown>,
  name = 'session',
): string | undefined {
  const raw = headers['set-cookie'];
  const list = Array.isArray(raw) ? (raw as string[]) : typeof raw === 'string' ? [raw] : [];
  return list.find((line) => line.startsWith(`${name}=`));
}

/** `name=value` of a `Set-Cookie` line, to send back as a `Cookie` header. */
export function cookiePair(setCookie: string): string {
  return setCookie.split(';')[0];
}
