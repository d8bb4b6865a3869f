import { Injectable } from '@nestjs/common';
import { DatabaseHealth } from '../database/database.health';
import { SessionHealth } from '../session/session-health';

export interface Readiness {
  status: 'ok' | 'unavailable';
  checks: { database: string; sessionStore: string };
  error?: string;
}

/** Asks the database and the session store, at once and each within a bound, whether they answer. */
@Injectable()
export class HealthService {
  constructor(
    private readonly database: DatabaseHealth,
    private readonly sessions: SessionHealth,
  ) {}

  async readiness(): Promise<Readiness> {
    const [database, sessionStore] = await Promise.all([
      check(() => this.database.ping()),
      check(() => this.sessions.ping()),
    ]);
    const failing = [
      database === 'ok' ? null : `database: ${database}`,
      sessionStore === 'ok' ? null : `session store (${this.sessions.storeName}): ${sessionStore}`,
    ].filter((x): x is string => x !== null);
    const checks = { database, sessionStore };
    return failing.length === 0
      ? { status: 'ok', checks }
      : { status: 'unavailable', checks, error: `not ready: ${failing.join('; ')}` };
  }
}

const CHECK_TIMEOUT_MS = 2000;

async function check(ping: () => Promise<void>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
      CHECK_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([ping(), timeout]);
    return 'ok';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
  }
}
