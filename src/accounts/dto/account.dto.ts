import { z } from 'zod';
import { body, textField } from '../../common/validation';
import { PASSWORD_MIN_LENGTH } from '../../users/users.constants';

/** A password field named `name`: at least `min` characters (1: just required), at most 1024. */
function secret(name: string, min: number) {
  return z
    .string({ error: `${name} must be a string` })
    .min(min, min === 1 ? `${name} is required` : `${name} must be at least ${min} characters`)
    .max(1024, `${name} must be at most 1024 characters`)
    .refine((v) => v.isWellFormed(), `${name} contains invalid characters`);
}

const email = textField('email', 254)
  .pipe(z.email('email must be an email address'))
  .transform((v) => v.toLowerCase());

/** A link's token: made by `TokenService`, a few hundred URL-safe characters. */
const token = textField('token', 1024);

export const TokenSchema = body({ token });
export type TokenDto = z.output<typeof TokenSchema>;

export const ForgotSchema = body({ email });
export type ForgotDto = z.output<typeof ForgotSchema>;

export const ResetSchema = body({ token, password: secret('password', PASSWORD_MIN_LENGTH) });
export type ResetDto = z.output<typeof ResetSchema>;

export const ChangePasswordSchema = body({
  currentPassword: secret('currentPassword', 1),
  password: secret('password', PASSWORD_MIN_LENGTH),
});
export type ChangePasswordDto = z.output<typeof ChangePasswordSchema>;

export const ChangeEmailSchema = body({ email, password: secret('password', 1) });
export type ChangeEmailDto = z.output<typeof ChangeEmailSchema>;

export const ReauthSchema = body({
  password: secret('password', 1).optional(),
  code: textField('code', 64).optional(),
  next: z.string().max(2000).optional(),
}).refine((b) => b.password !== undefined || b.code !== undefined, {
  message: 'password is required (or code, once two-factor is set up)',
  path: ['password'],
});
export type ReauthDto = z.output<typeof ReauthSchema>;
