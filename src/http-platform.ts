import { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppModule, ExtraImports } from './app.module';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoadedConfig, TrustProxy } from './config/app-config';
import { answerClientError, platformErrorResponse } from './http/client-errors';
import { securityHeaders } from './http/security-headers';
import { SessionCommitInterceptor } from './session/session-commit.interceptor';
import { SessionCommitter } from './session/session-committer';
import { SessionMiddleware } from './session/session.middleware';

/** Largest request body accepted on either platform; larger bodies get 413. */
export const BODY_LIMIT_BYTES = 100 * 1024;

export interface CreateAppOptions {
  logger?: LogLevel[] | false;
  /** Modules added beside `AppModule`'s own: tests add test-only controllers this way. */
  imports?: ExtraImports;
}

/**
 * The one file that knows both HTTP platforms. Everything else in `src/` works on Nest abstractions or
 * Node's own `IncomingMessage`/`ServerResponse`, so the app behaves the same on Fastify and Express.
 * Returns an initialised application that is not yet listening (tests hand it to supertest).
 */
export async function createApp(
  loaded: LoadedConfig,
  options: CreateAppOptions = {},
): Promise<INestApplication> {
  const { config } = loaded;
  const module = AppModule.forRoot(loaded, options.imports);
  const logger = options.logger ?? defaultLogLevels(config.app.env);
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
    const beforeRouting = beforeRoutingHook(expressApp);
    expressApp.use(beforeRouting);
    // Express has no hook between the handler and the write, so an interceptor commits the session.
    expressApp.useGlobalInterceptors(
      new SessionCommitInterceptor(expressApp.get(SessionCommitter)),
    );
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
    const beforeRouting = beforeRoutingHook(fastifyApp);
    fastifyApp
      .getHttpAdapter()
      .getInstance()
      .addHook('onRequest', (request, reply, done) => beforeRouting(request.raw, reply.raw, done));
    commitSessionOnSend(fastifyApp);
    app = fastifyApp;
  }
  await app.init();
  if (config.http.adapter === 'fastify') {
    await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  }
  return app;
}

/**
 * What runs on every request before routing: the security headers (helmet's, worked out at boot), then
 * the session is opened. Installed the way each platform runs such code natively, an Express `use` or a
 * Fastify `onRequest` hook, rather than as Nest middleware, which on Fastify goes through
 * @fastify/middie and cost about 5 µs a request (docs/PERFORMANCE.md). Added before `init()`, so it runs
 * before any Nest middleware a module adds (Passport finds `req.session`).
 */
function beforeRoutingHook(
  app: INestApplication,
): (req: IncomingMessage, res: ServerResponse, next: (error?: Error) => void) => void {
  const headers = securityHeaders();
  const session = app.get(SessionMiddleware);
  const ignore = () => undefined;
  return (req, res, next) => {
    headers(req, res, ignore);
    session.use(req, res, next).catch(next);
  };
}

/**
 * Commits the session in Fastify's `onSend` hook: after the handler, before anything is written, like the
 * interceptor on Express, so a too-large session (413) or a store that does not answer (503) still becomes
 * the response through the exception filter. A hook, not a global interceptor, because every Nest
 * interceptor costs each request an `AsyncResource` and an RxJS pipeline (docs/PERFORMANCE.md). Added
 * before `init()` registers the routes, so every route gets it.
 */
function commitSessionOnSend(app: NestFastifyApplication): void {
  const committer = app.get(SessionCommitter);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', async (request, reply, payload) => {
      await committer.commit(request.raw, reply.raw);
      return payload;
    });
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
