import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = Symbol('isPublic');

/**
 * Marks a controller or handler that anyone may call: every other route needs a signed-in user
 * (`LoginGuard`), so a route added without thinking about it is closed, not open.
 */
export const Public = () => SetMetadata(IS_PUBLIC, true);
