import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { OpenAPIObject, StandardSchemaConverter } from '@nestjs/swagger';
import { z } from 'zod';
import { ErrorBodySchema } from '../common/error-body';
import { applyRouteDefaults, SESSION_SECURITY } from './route-defaults';

/** The document's title and version: rename them with the app. */
export const API_TITLE = 'nest-session-starter';
const API_VERSION = '0.1.0';

const DESCRIPTION = `The JSON API of the app's routes. A route answers JSON when the request sends a JSON body or
\`Accept: application/json\`, and an HTML page otherwise: this document describes the JSON form.

**Sessions.** Sign in with \`POST /login\`; the response sets the session cookie, which every route marked
with the \`${SESSION_SECURITY}\` scheme needs (send it back as a browser does: \`credentials: 'include'\`).

**CSRF.** JSON bodies need no token (CORS is off, so a cross-site page cannot send one). A form post
(\`application/x-www-form-urlencoded\`) must carry the page's token in \`_csrf\` or \`X-CSRF-Token\`, else 403.

**Errors.** Every 4xx and 5xx has the body \`{"error": "…"}\` (a 400 for a bad field adds \`"field"\`); 429 and 503
carry \`Retry-After\`. Every response carries \`X-Request-Id\`.`;

/**
 * zod 4's own JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) for every schema @nestjs/swagger
 * meets: the body of each `@ValidBody(schema)` (Nest's `@Body({ schema })`, read by @nestjs/swagger as a
 * Standard Schema), and each `@JsonResponse` / `@ErrorResponse`. A schema with `.meta({ id })` becomes a
 * component (`#/components/schemas/<id>`). Bodies are described as sent (`input`), responses as answered.
 */
export const zodToOpenApi: StandardSchemaConverter = (schema, { schemaType }) => {
  if (!(schema instanceof z.ZodType)) return undefined;
  const converted = z.toJSONSchema(schema, {
    io: schemaType,
    target: 'draft-2020-12',
    unrepresentable: 'any',
  });
  // The dialect is the document's own (3.1's `jsonSchemaDialect`); `$defs` become components.
  const { $defs, ...root } = converted;
  delete root.$schema;
  return { schema: root, components: $defs ?? {} };
};

/**
 * The OpenAPI 3.1 document of every route of `app`, from its decorators: paths and methods from the
 * controllers, bodies and responses from their zod schemas, and the defaults of `applyRouteDefaults`
 * (security, the errors each kind of route answers). Built on first request of `/docs`, not at boot.
 */
export function createOpenApiDocument(app: INestApplication, cookieName: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle(API_TITLE)
    .setVersion(API_VERSION)
    .setDescription(DESCRIPTION)
    .addCookieAuth(
      cookieName,
      { type: 'apiKey', in: 'cookie', name: cookieName, description: 'The session cookie' },
      SESSION_SECURITY,
    )
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    standardSchemaConverter: zodToOpenApi,
  });
  const error = zodToOpenApi(ErrorBodySchema, { schemaType: 'output' });
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...error?.components },
  };
  return applyRouteDefaults(app, document);
}
