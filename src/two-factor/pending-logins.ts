import { randomUUID } from 'node:crypto';
import type { CurrentSession } from '../session';
import { safeNext } from '../common/safe-next';

/** How long a right password waits for its second factor: 5 minutes. */
export const PENDING_LOGIN_SECONDS = 5 * 60;

/** A password step passed, waiting for the second factor (`POST /login/2fa`). */
export interface PendingLogin {
  /** Names this login in the wrong-code counter and marks it used, across instances. */
  id: string;
  userId: number;
  remember: boolean;
  /** Where a form goes after the second step: a safe local path. */
  next: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

declare module '../session' {
  interface SessionData {
    pending_login: PendingLogin;
  }
}

/**
 * Starts a pending login in this session: cleared and regenerated as a sign-in is (no fixation), holding
 * only the pending login, not `user_id` (signed-out until the second step).
 */
export async function beginPendingLogin(
  session: CurrentSession,
  user: { id: number },
  options: { remember: boolean; next: unknown },
): Promise<PendingLogin> {
  session.clear();
  await session.regenerate();
  const pending: PendingLogin = {
    id: randomUUID(),
    userId: user.id,
    remember: options.remember,
    next: safeNext(options.next, '/dashboard'),
    expiresAt: Date.now() + PENDING_LOGIN_SECONDS * 1000,
  };
  session.pending_login = pending;
  return pending;
}

/** This session's pending login while it has not expired, else `null`. */
export function pendingLoginOf(session: CurrentSession): PendingLogin | null {
  const pending = session.peek<PendingLogin>('pending_login');
  if (!pending || typeof pending !== 'object' || typeof pending.userId !== 'number') return null;
  return typeof pending.expiresAt === 'number' && pending.expiresAt > Date.now() ? pending : null;
}
