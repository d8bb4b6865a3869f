import { BadRequestException, Body, StandardSchemaValidationPipe } from '@nestjs/common';
import type { StandardSchemaValidationPipeOptions } from '@nestjs/common';
import { z } from 'zod';

const NOT_AN_OBJECT =
  'the request body must be a JSON object or a form (Content-Type: application/json)';

/**
 * Nest 12's Standard Schema pipe, answering the first problem with a 400 that names the field, in the
 * app's error format (`{"error":"email: must be an email address","field":"email"}`).
 */
const SCHEMA_PIPE = new StandardSchemaValidationPipe({ exceptionFactory: firstIssueAsBadRequest });

/**
 * `@ValidBody(LoginSchema) dto: LoginDto`: the body, checked by `SCHEMA_PIPE` against `schema` (Nest's
 * own `@Body({ schema, pipes })`). On the argument, not global: a global pipe would make Nest resolve
 * every argument of every route through an async pipe chain, bodies or not.
 */
export const ValidBody = (schema: z.ZodType) => Body({ schema, pipes: [SCHEMA_PIPE] });

type Issues = Parameters<NonNullable<StandardSchemaValidationPipeOptions['exceptionFactory']>>[0];

function firstIssueAsBadRequest(issues: Issues): BadRequestException {
  const [issue] = issues;
  const field = (issue?.path ?? [])
    .map((segment) => String(typeof segment === 'object' ? segment.key : segment))
    .join('.');
  if (field === '') return new BadRequestException({ error: issue?.message ?? NOT_AN_OBJECT });
  return new BadRequestException({ error: `${field}: ${issue.message}`, field });
}

/** A request body: the fields of `shape` (unknown ones are dropped), or 400 when it is not an object. */
export function body<T extends z.ZodRawShape>(shape: T) {
  return z.object(shape, { error: NOT_AN_OBJECT });
}

/**
 * A string field: trimmed, well-formed UTF-16 (no lone surrogates), within `max` characters. Checks, not a
 * transform, so the OpenAPI document shows its bounds (`minLength`, `maxLength`).
 */
export function textField(name: string, max: number) {
  return z
    .string({ error: `${name} must be a string` })
    .refine((v) => v.isWellFormed(), `${name} contains invalid characters`)
    .trim()
    .min(1, `${name} is required`)
    .max(max, `${name} must be at most ${max} characters`);
}

/** A checkbox or JSON boolean: `true`, `"true"`, `"on"`, `"1"` are on; absent is off. */
export const checkbox = z
  .union([z.boolean(), z.enum(['true', 'false', 'on', '1', '0', ''])], {
    error: 'must be true or false',
  })
  .optional()
  .transform((v) => v === true || v === 'true' || v === 'on' || v === '1');
