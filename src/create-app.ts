import { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppModule, ExtraImports } from './app.module';
import { LoadedConfig, TrustProxy } from './config/app-config';
import type { Server } from 'node:http';
import { clientErrorAnswerer, platformErrorResponse } from './common/client-errors';
import { AppLogger } from './common/app-logger';
import { beginRequest, REQUEST_ID_HEADER, requestIdFor } from './common/request-id';
import { APP_HELMET_OPTIONS, rawHeaderLines, securityHeaders } from './common/security-headers';
import { installApiDocs } from './docs/api-docs';
import { installSessions } from './session';

/** Largest request body accepted on either platform; larger bodies get 413. */
export const BODY_LIMIT_BYTES = 100 * 1024;

export interface CreateAppOptions {
  logger?: LogLevel[] | false;
  /** Modules added beside `AppModule`'s own: tests add test-only controllers this way. */
  imports?: ExtraImports;
}

/**
 * The app on the configured HTTP platform, in the order every request meets it: its request id
 * (`beginRequest`), the security headers, then the session (`installSessions`), then Nest's routing; with
 * `API_DOCS`, the OpenAPI document and its UI under `/docs` (`installApiDocs`). The one file of the app
 * that loads a platform package; everything else works on Nest abstractions or Node's own request and
 * response, so the app behaves the same on Fastify and Express. Returns an initialised application that is not yet listening
 * (tests hand it to supertest).
 */
export async function createApp(
  loaded: LoadedConfig,
  options: CreateAppOptions = {},
): Promise<INestApplication> {
  const { config } = loaded;
  const module = AppModule.forRoot(loaded, options.imports);
  const levels = options.logger ?? defaultLogLevels(config.app.env);
  const logger = levels === false ? false : new AppLogger(config.log.format, levels);
  const headers = securityHeaders(APP_HELMET_OPTIONS);
  const answerClientError = clientErrorAnswerer(rawHeaderLines(headers));
  let app: INestApplication;
  // Only the chosen platform is loaded: requiring both costs start-up time for nothing.
  if (config.http.adapter === 'express') {
    const { ExpressAdapter } = await import('@nestjs/platform-express');
    const expressApp = await NestFactory.create<NestExpressApplication>(
      module,
      new ExpressAdapter(),
      { logger, bodyParser: false },
    );
    expressApp.set('trust proxy', config.http.trustProxy);
    expressApp.getHttpServer().on('clientError', answerClientError);
    expressApp.use(beginRequest);
    expressApp.useBodyParser('json', { limit: BODY_LIMIT_BYTES });
    expressApp.useBodyParser('urlencoded', { limit: BODY_LIMIT_BYTES, extended: false });
    expressApp.use(headers);
    app = expressApp;
  } else {
    const { FastifyAdapter } = await import('@nestjs/platform-fastify');
    const fastifyApp = await NestFactory.create<NestFastifyApplication>(
      module,
      new FastifyAdapter({
        trustProxy: fastifyTrustProxy(config.http.trustProxy),
        bodyLimit: BODY_LIMIT_BYTES,
        clientErrorHandler: answerClientError,
        // A URL that routing cannot decode (`/%zz`) is refused before any hook runs: in the app's format,
        // with its headers.
        frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
          reply.raw.setHeader(REQUEST_ID_HEADER, requestIdFor(request.raw));
          headers(request.raw, reply.raw, () => undefined);
          const answer = platformErrorResponse(400, error.message, request.headers);
          void reply.code(answer.status).type(answer.contentType).send(answer.body);
        },
      }),
      { logger },
    );
    const fastify = fastifyApp.getHttpAdapter().getInstance();
    fastify.addHook('onRequest', (request, reply, done) =>
      beginRequest(request.raw, reply.raw, done),
    );
    fastify.addHook('onRequest', (request, reply, done) => headers(request.raw, reply.raw, done));
    // Fastify closes the connection after a body over the limit; closing while the client is still
    // sending makes the kernel reset it, and the client reads EPIPE instead of the 413. Kept open, Node
    // reads the rest of the body off the wire (within REQUEST_TIMEOUT), as Express does.
    fastify.addHook('onSend', (_request, reply, payload, done) => {
      if (reply.statusCode === 413) reply.removeHeader('connection');
      done(null, payload);
    });
    app = fastifyApp;
  }
  boundConnections(app.getHttpServer() as Server, config.http);
  // Before init(), which registers the routes and every module's middleware.
  if (config.docs.enabled) installApiDocs(app, config.session.cookie.name);
  installSessions(app);
  await app.init();
  if (config.http.adapter === 'fastify') {
    await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  }
  return app;
}

/**
 * Fastify 5.12 reads a numeric `trustProxy` as "trust nothing", while Express (and Fastify before 5.12)
 * trust that many hops, as `TRUST_PROXY` documents. A count becomes that same rule as a function, so both
 * platforms see the same client address (test/e2e/trust-proxy.e2e-spec.ts). Like any hop count, it
 * trusts whatever connects directly: set it only when a proxy always sits in front.
 */
function fastifyTrustProxy(
  value: TrustProxy,
): Exclude<TrustProxy, number> | ((address: string, hop: number) => boolean) {
  return typeof value === 'number' ? (_address, hop) => hop < value : value;
}

/**
 * The same limits on either platform's server: a request whose headers and body take longer than
 * `REQUEST_TIMEOUT` gets 408 and is closed (Node checks its open connections every second instead of its
 * default 30 s, read when the server starts listening), and at most `MAX_CONNECTIONS` connections are open.
 */
function boundConnections(
  server: Server,
  http: { requestTimeoutSeconds: number; maxConnections: number },
): void {
  const timeoutMs = http.requestTimeoutSeconds * 1000;
  server.requestTimeout = timeoutMs;
  server.headersTimeout = Math.min(server.headersTimeout, timeoutMs);
  // A `createServer` option that Nest's Express adapter does not pass on; Node reads the property at listen.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval =
    Math.min(1000, timeoutMs);
  server.maxConnections = http.maxConnections;
}

function defaultLogLevels(env: string): LogLevel[] {
  return env === 'test' ? ['error', 'warn'] : ['log', 'error', 'warn'];
}
