import { ApiResponse } from '@nestjs/swagger';
import type { HeadersObject } from '@nestjs/swagger';
import type { z } from 'zod';
import { ErrorBodySchema } from '../common/error-body';

/** The `Retry-After` header of a 429 or 503 (`WithHeaders` errors set it). */
export const RETRY_AFTER: HeadersObject = {
  'Retry-After': {
    description: 'Seconds to wait before trying again',
    schema: { type: 'integer', minimum: 0 },
  },
};

/**
 * A JSON success response of the route, its body described by a zod schema (the one the handler's return type
 * is inferred from): `@JsonResponse(200, UserBodySchema, 'Signed in')`.
 */
export function JsonResponse(status: number, schema: z.ZodType, description: string) {
  return ApiResponse({ status, description, standardSchema: schema });
}

/**
 * An error this route answers beyond the ones every route of its kind documents (`route-defaults.ts`), in the
 * app's error body: `@ErrorResponse(409, 'the email address is taken')`. `retryAfter` documents the header.
 */
export function ErrorResponse(
  status: number,
  description: string,
  options: { retryAfter?: boolean } = {},
) {
  return ApiResponse({
    status,
    description,
    standardSchema: ErrorBodySchema,
    ...(options.retryAfter ? { headers: RETRY_AFTER } : {}),
  });
}
