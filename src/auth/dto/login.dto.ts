import { z } from 'zod';
import { body, checkbox, textField } from '../../common/validation';

// `format` for the OpenAPI document, which shows a pipe by its input side.
const email = textField('email', 254)
  .pipe(z.email('email must be an email address'))
  .meta({ format: 'email' });

function password(min: number) {
  return z
    .string({ error: 'password must be a string' })
    .min(min, min === 1 ? 'password is required' : `password must be at least ${min} characters`)
    .max(1024, 'password must be at most 1024 characters')
    .refine((v) => v.isWellFormed(), 'password contains invalid characters');
}

export const LoginSchema = body({
  email: email.transform((v) => v.toLowerCase()),
  password: password(1),
  remember: checkbox,
  next: z.string().max(2000).optional(),
});
export type LoginDto = z.output<typeof LoginSchema>;

export const RegisterSchema = body({
  email: email.transform((v) => v.toLowerCase()),
  password: password(8),
});
export type RegisterDto = z.output<typeof RegisterSchema>;
