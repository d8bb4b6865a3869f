import {
  Global,
  Inject,
  MiddlewareConsumer,
  Module,
  NestModule,
  OnModuleDestroy,
} from '@nestjs/common';
import { createSessionBackend } from './session-backend.factory';
import { SESSION_BACKEND } from './session-backend';
import type { SessionBackend } from './session-backend';
import { SessionCommitter } from './session-committer';
import { SessionHealth } from './session-health';
import { SessionMiddleware } from './session.middleware';
import { SESSION_MODULE_OPTIONS, SessionConfigurableModule } from './session.module-definition';
import type { SessionModuleOptions } from './session.module-definition';

/**
 * Sessions for every route, on Fastify and Express alike (SPEC §4). Global, so its middleware runs before
 * any other module's (Passport's) and `SessionHealth` can be injected anywhere.
 *
 * The commit after the handler is installed by `src/http-platform.ts`, the one file that knows the
 * platform: an `onSend` hook on Fastify, `SessionCommitInterceptor` on Express. An app that uses this
 * module without that file adds `SessionCommitInterceptor` as a global interceptor; otherwise only the
 * raw response hooks commit, and a too-large session or a store outage at commit is logged, not answered.
 */
@Global()
@Module({
  providers: [
    {
      provide: SESSION_BACKEND,
      useFactory: createSessionBackend,
      inject: [SESSION_MODULE_OPTIONS],
    },
    {
      provide: SessionCommitter,
      useFactory: (backend: SessionBackend, { session }: SessionModuleOptions) =>
        new SessionCommitter(backend, {
          cookie: session.cookie,
          lifetimeMs: session.permanentLifetimeSeconds * 1000,
          absoluteLifetimeMs: session.absoluteLifetimeSeconds * 1000,
          refreshEachRequest: session.refreshEachRequest,
          maxCookieSize: session.maxCookieSize,
        }),
      inject: [SESSION_BACKEND, SESSION_MODULE_OPTIONS],
    },
    SessionMiddleware,
    SessionHealth,
  ],
  exports: [SESSION_BACKEND, SessionHealth, SessionCommitter, SessionMiddleware],
})
export class SessionModule
  extends SessionConfigurableModule
  implements NestModule, OnModuleDestroy
{
  constructor(
    @Inject(SESSION_BACKEND) private readonly backend: SessionBackend,
    @Inject(SESSION_MODULE_OPTIONS) private readonly options: SessionModuleOptions,
  ) {
    super();
  }

  configure(consumer: MiddlewareConsumer): void {
    if (this.options.applyMiddleware === false) return;
    consumer.apply(SessionMiddleware).forRoutes('{*path}');
  }

  async onModuleDestroy(): Promise<void> {
    await this.backend.close();
  }
}
