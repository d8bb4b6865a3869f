import type { INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DOCS_HELMET_OPTIONS, securityHeaders } from '../common/security-headers';
import { API_TITLE, createOpenApiDocument } from './openapi-document';

/** Where Swagger UI is served; the document is at `/docs/openapi.json`. */
export const DOCS_PATH = '/docs';

type Middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/**
 * Serves the OpenAPI document at `/docs/openapi.json` and Swagger UI at `/docs` (@nestjs/swagger; on
 * Fastify its files come through @fastify/static), on either platform. The document is built on the
 * first request, so boot pays nothing for it. `/docs` gets its own Content-Security-Policy
 * (`DOCS_HELMET_OPTIONS`); every other path keeps the app's. Call before `init()`, when `API_DOCS` is on.
 */
export function installApiDocs(app: INestApplication, cookieName: string): void {
  // First, so that on Express it runs before the routes below.
  installDocsHeaders(app);
  SwaggerModule.setup(DOCS_PATH.slice(1), app, () => createOpenApiDocument(app, cookieName), {
    jsonDocumentUrl: `${DOCS_PATH.slice(1)}/openapi.json`,
    raw: ['json'],
    customSiteTitle: `${API_TITLE} API`,
  });
}

function installDocsHeaders(app: INestApplication): void {
  const headers = securityHeaders(DOCS_HELMET_OPTIONS);
  const forDocs: Middleware = (req, res, next) => {
    const path = (req.url ?? '').split('?', 1)[0];
    if (path === DOCS_PATH || path.startsWith(`${DOCS_PATH}/`)) headers(req, res, next);
    else next();
  };
  const adapter = app.getHttpAdapter();
  if (adapter.getType() === 'fastify') {
    (adapter.getInstance() as FastifyOnRequest).addHook('onRequest', (request, reply, done) =>
      forDocs(request.raw, reply.raw, done),
    );
  } else {
    app.use(forDocs);
  }
}

/** The one Fastify hook this file adds, typed here so that it needs no platform package. */
interface FastifyOnRequest {
  addHook(
    name: 'onRequest',
    hook: (
      request: { raw: IncomingMessage },
      reply: { raw: ServerResponse },
      done: () => void,
    ) => void,
  ): unknown;
}
