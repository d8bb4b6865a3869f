import type { RelyingParty } from './relying-party';

/** What a WebAuthn response got wrong, as a 400 names it. */
export interface ResponseProblem {
  field: 'challenge' | 'origin' | 'rpId' | 'response';
  reason: string;
}

/**
 * Names the part of a response `@simplewebauthn/server` refused. The library throws plain `Error`s for
 * most checks (only the RP ID and origin carry a `code`), so the challenge is recognised by its message.
 */
export function responseProblem(error: unknown, rp: RelyingParty): ResponseProblem {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'UNEXPECTED_RP_ID')
    return {
      field: 'rpId',
      reason: `the credential is not scoped to ${rp.id} (PUBLIC_URL's host)`,
    };
  if (code === 'UNEXPECTED_ORIGIN' || /response origin/i.test(message))
    return { field: 'origin', reason: `the response must come from ${rp.origin} (PUBLIC_URL)` };
  if (/challenge/i.test(message))
    return {
      field: 'challenge',
      reason: "the response answers another challenge than this session's",
    };
  return { field: 'response', reason: message };
}
