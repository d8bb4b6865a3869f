import { Secret, TOTP } from 'otpauth';

/** The code an authenticator app shows for `secret`, `steps` 30-second steps from now. */
export function totpCode(secret: string, steps = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secret) }).generate({
    timestamp: Date.now() + steps * 30_000,
  });
}

/**
 * Waits for the next 30-second step when fewer than `seconds` are left in this one, so a test that uses
 * the codes of the previous, this and the next step finds them all within the server's ±1 step.
 */
export async function roomInStep(seconds = 10): Promise<void> {
  const left = 30_000 - (Date.now() % 30_000);
  if (left < seconds * 1000) await new Promise((resolve) => setTimeout(resolve, left + 200));
}
