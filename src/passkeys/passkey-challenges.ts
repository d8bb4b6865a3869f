import { Injectable } from '@nestjs/common';
import type { CurrentSession } from '../session';
import { PasskeysRepository } from './passkeys.repository';

/** What a challenge is for: only that step accepts it. */
export type ChallengePurpose = 'register' | 'login' | 'reauth';

/** A challenge's lifetime: the options' `timeout` and the session's record alike. */
export const CHALLENGE_SECONDS = 5 * 60;

interface HeldChallenge {
  value: string;
  purpose: ChallengePurpose;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  /** Registration: the user handle the options named. */
  userHandle?: string;
}

declare module '../session' {
  interface SessionData {
    /** The WebAuthn challenge this session was given last, until it is answered or expires. */
    passkey_challenge: HeldChallenge;
  }
}

/**
 * WebAuthn challenges bound to the session that asked, single-use, 5 minutes. The session holds the one
 * it was given and loses it when an answer arrives; and since a cookie-store session keeps no state on the
 * server (a copy of the cookie still holds the challenge), each answered challenge is also recorded in the
 * database until it expires: a second answer, with any cookie, on any instance, finds it there.
 */
@Injectable()
export class PasskeyChallenges {
  constructor(private readonly passkeys: PasskeysRepository) {}

  /** Gives the session `value` for `purpose`; it replaces any earlier one. */
  issue(
    session: CurrentSession,
    purpose: ChallengePurpose,
    value: string,
    userHandle?: string,
  ): void {
    const expiresAt = Date.now() + CHALLENGE_SECONDS * 1000;
    session.passkey_challenge = {
      value,
      purpose,
      expiresAt,
      ...(userHandle ? { userHandle } : {}),
    };
  }

  /**
   * Takes the session's challenge for `purpose` (it is gone afterwards, whatever the answer) and records it
   * as answered. @throws what `fail` makes of the reason when there is none, it expired, or was answered.
   */
  async take(
    session: CurrentSession,
    purpose: ChallengePurpose,
    fail: (reason: string) => Error,
  ): Promise<HeldChallenge> {
    const held = session.passkey_challenge;
    if (held !== undefined) session.delete('passkey_challenge');
    if (!isHeld(held) || held.purpose !== purpose)
      throw fail('this session has no challenge to answer: ask for the options first');
    const now = Date.now();
    if (held.expiresAt <= now)
      throw fail(`the challenge expired (after ${CHALLENGE_SECONDS / 60} minutes)`);
    if (!(await this.passkeys.markChallengeUsed(held.value, held.expiresAt, now)))
      throw fail('the challenge was answered already');
    return held;
  }
}

function isHeld(value: unknown): value is HeldChallenge {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<HeldChallenge>;
  return typeof v.value === 'string' && typeof v.expiresAt === 'number';
}
