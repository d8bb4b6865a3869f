import { z } from 'zod';

/**
 * The app's one error body, for every 4xx and 5xx a JSON client gets (`HttpExceptionFilter`):
 * `{"error":"email: must be an email address","field":"email"}`. Registered as the OpenAPI component `Error`.
 */
export const ErrorBodySchema = z
  .object({
    error: z.string().describe('What went wrong, and where it can, how to fix it'),
    field: z
      .string()
      .optional()
      .describe('On a 400 for a bad body: the field at fault, dotted for a nested one'),
  })
  .meta({ id: 'Error', description: "The app's error body, on every 4xx and 5xx" });

export type ErrorBody = z.infer<typeof ErrorBodySchema>;
