import * as net from 'node:net';
import type { StartedTestContainer } from 'testcontainers';

/** Containers this run started, stopped again by `global-teardown.ts` (Jest shares `globalThis`). */
export const STARTED = Symbol.for('nest-session-starter.containers');
type WithContainers = typeof globalThis & { [STARTED]?: StartedTestContainer[] };

/**
 * Jest global setup: find Redis and PostgreSQL for the suites that need them.
 * 1. `REDIS_URL` / a `postgres://` `DATABASE_URL` when set (CI sets both);
 * 2. else a server answering on 127.0.0.1 at the standard port;
 * 3. else, where a Docker engine answers, a container started by testcontainers;
 * 4. else nothing: those suites are skipped with a reason (and fail under `CI`).
 */
export default async function globalSetup(): Promise<void> {
  if (!process.env.REDIS_URL) {
    const url = (await answers(6379, 'PING\r\n', '+PONG'))
      ? 'redis://127.0.0.1:6379'
      : await startContainer('redis');
    if (url) process.env.REDIS_URL = url;
  }
  if (!/^postgres(ql)?:/.test(process.env.DATABASE_URL ?? '') && !(await answers(5432))) {
    const url = await startContainer('postgres');
    if (url) process.env.DATABASE_URL = url;
  }
}

/** A container's URL, or `undefined` (and no error) where no Docker engine runs, as on this project's CI. */
async function startContainer(kind: 'redis' | 'postgres'): Promise<string | undefined> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
  } catch {
    return undefined;
  }
  const store = globalThis as WithContainers;
  store[STARTED] ??= [];
  if (kind === 'redis') {
    const { RedisContainer } = await import('@testcontainers/redis');
    const container = await new RedisContainer('redis:7').start();
    store[STARTED].push(container);
    return container.getConnectionUrl();
  }
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer('postgres:16').withDatabase('test').start();
  store[STARTED].push(container);
  return container.getConnectionUri();
}

/** Whether something accepts a connection on 127.0.0.1:port (and, given `send`, answers with `expect`). */
function answers(port: number, send?: string, expect?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => (send ? socket.write(send) : done(true)));
    socket.once('data', (data) => done(expect === undefined || data.toString().startsWith(expect)));
  });
}
