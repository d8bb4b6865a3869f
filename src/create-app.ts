import { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppModule, ExtraImports } from './app.module';
import { LoadedConfig, TrustProxy } from './config/app-config';
import { answerClientError, platformErrorResponse } from './common/client-errors';
import { APP_HELMET_OPTIONS, securityHeaders } from './common/security-headers';
import { installSessions } from './session';

/** Largest request body accepted on either platform; larger bodies get 413. */
export const BODY_LIMIT_BYTES = 100 * 1024;

export interface CreateAppOptions {
  logger?: LogLevel[] | false;
  /** Modules added beside `AppModule`'s own: tests add test-only controllers this way. */
  imports?: ExtraImports;
}

/**
 * The app on the configured HTTP platform, in the order every request meets it: the security headers,
 * then the session (`installSessions`), then Nest's routing. The one file of the app that loads a platform
 * package; everything else works on Nest abstractions or Node's own request and response, so the app
 * behaves the same on Fastify and Express. Returns an initialised application that is not yet listening
 * (tests hand it to supertest).
 */
export async function createApp(
  loaded: LoadedConfig,
  options: CreateAppOptions = {},
): Promise<INestApplication> {
  const { config } = loaded;
  const module = AppModule.forRoot(loaded, options.imports);
  const logger = options.logger ?? defaultLogLevels(config.app.env);
  const headers = securityHeaders(APP_HELMET_OPTIONS);
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
        // A URL that routing cannot decode (`/%zz`) is refused before Nest sees it: in the app's format.
        frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
          const answer = platformErrorResponse(400, error.message, request.headers);
          void reply.code(answer.status).type(answer.contentType).send(answer.body);
        },
      }),
      { logger },
    );
    fastifyApp
      .getHttpAdapter()
      .getInstance()
      .addHook('onRequest', (request, reply, done) => headers(request.raw, reply.raw, done));
    app = fastifyApp;
  }
  // Before init(), which registers the routes and every module's middleware.
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

function defaultLogLevels(env: string): LogLevel[] {
  return env === 'test' ? ['error', 'warn'] : ['log', 'error', 'warn'];
}
