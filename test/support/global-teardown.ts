import type { StartedTestContainer } from 'testcontainers';
import { STARTED } from './global-setup';

/** Stops the containers `global-setup.ts` started, if any. */
export default async function globalTeardown(): Promise<void> {
  const store = globalThis as typeof globalThis & { [STARTED]?: StartedTestContainer[] };
  await Promise.all((store[STARTED] ?? []).map((c) => c.stop()));
}
