import { z } from 'zod';

/** A user as the API shows it; the OpenAPI component `User`. */
export const PublicUserSchema = z
  .object({
    id: z.int().positive(),
    email: z.string().meta({ format: 'email' }).describe('The sign-in address, lowercased'),
  })
  .meta({ id: 'User' });
export type PublicUser = z.infer<typeof PublicUserSchema>;

/** `{"user":{"id","email"}}`: what sign-in, registration and `GET /dashboard` answer. */
export const UserBodySchema = z.object({ user: PublicUserSchema });

/** `GET /`: the signed-in user, or `null`. */
export const HomeBodySchema = z.object({ user: PublicUserSchema.nullable() });
