import { BadRequestException, PipeTransform } from '@nestjs/common';
import { z } from 'zod';

/**
 * Validates a request body with a zod schema: unknown fields are dropped, and the first problem gives a
 * 400 that names the field (`{"error":"email: must be an email address","field":"email"}`).
 */
export class ZodBodyPipe<T extends z.ZodType> implements PipeTransform<unknown, z.output<T>> {
  constructor(private readonly schema: T) {}

  transform(value: unknown): z.output<T> {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new BadRequestException({
        error: 'the request body must be a JSON object or a form (Content-Type: application/json)',
      });
    }
    const result = this.schema.safeParse(value);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    const field = issue.path.map(String).join('.') || 'body';
    throw new BadRequestException({ error: `${field}: ${issue.message}`, field });
  }
}

/** A string field: trimmed, well-formed UTF-16 (no lone surrogates), within `max` characters. */
export function textField(name: string, max: number) {
  return z
    .string({ error: `${name} must be a string` })
    .refine((v) => v.isWellFormed(), `${name} contains invalid characters`)
    .transform((v) => v.trim())
    .pipe(
      z
        .string()
        .min(1, `${name} is required`)
        .max(max, `${name} must be at most ${max} characters`),
    );
}

/** A checkbox or JSON boolean: `true`, `"true"`, `"on"`, `"1"` are on; absent is off. */
export const checkbox = z
  .union([z.boolean(), z.enum(['true', 'false', 'on', '1', '0', ''])], {
    error: 'must be true or false',
  })
  .optional()
  .transform((v) => v === true || v === 'true' || v === 'on' || v === '1');
