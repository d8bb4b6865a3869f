import { z } from 'zod';
import { PublicUserSchema } from '../../auth/dto/user.dto';

/** A user with the state of their address: what registration and the address links answer. */
export const AccountUserSchema = PublicUserSchema.extend({
  emailVerified: z.boolean().describe('Whether the address was confirmed by a mailed link'),
}).meta({ id: 'AccountUser' });

/** `{"user":{"id","email","emailVerified"}}`. */
export const AccountUserBodySchema = z.object({ user: AccountUserSchema });

/** `GET /account`: the account and its second factors. */
export const AccountBodySchema = z.object({
  user: AccountUserSchema.extend({
    twoFactor: z.boolean().describe('Whether a second factor (TOTP) is on'),
    passkeys: z.int().nonnegative().describe('How many passkeys the account has'),
  }).meta({ id: 'Account' }),
});

/** A 202: the request was taken and a mail is on its way (or not, when nothing may say so). */
export const AcceptedBodySchema = z
  .object({ status: z.string().describe('What happens next, in words') })
  .meta({ id: 'Accepted' });
