import { z } from 'zod';

/** One live sign-in of the user, as `GET /account/sessions` lists it. */
export const SessionViewSchema = z
  .object({
    id: z.string().describe("The sign-in's own id: not the cookie, not the store's id"),
    current: z.boolean().describe('This is the session that asked'),
    createdAt: z.iso.datetime().describe('When it signed in'),
    lastSeenAt: z.iso
      .datetime()
      .describe('When it was last used (written at most every 5 minutes)'),
    ip: z.string().describe('The client address it was last seen from'),
    device: z.string().describe('Read from its User-Agent, e.g. "Firefox on Linux"'),
  })
  .meta({ id: 'Session' });
export type SessionView = z.infer<typeof SessionViewSchema>;

/** `{"sessions":[…]}`, newest first. */
export const SessionsBodySchema = z.object({ sessions: z.array(SessionViewSchema) });
