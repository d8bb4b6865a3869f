import { Global, Inject, Module, OnModuleDestroy } from '@nestjs/common';
import { createSessionBackend } from './backends/create-backend';
import { SESSION_BACKEND } from './backends/session-backend';
import type { SessionBackend } from './backends/session-backend';
import { SessionLifecycle } from './http/session-lifecycle';
import { SessionHealth } from './session-health';
import { SESSION_MODULE_OPTIONS, SessionConfigurableModule } from './session-options';

/**
 * Sessions for every route, on Fastify and Express alike: `SessionModule.forRoot(options)` or
 * `forRootAsync`, then `installSessions(app)` before `init()`, which hooks the lifecycle into the
 * platform. Global, so `SessionHealth` can be injected anywhere. Closes the backend's connections at
 * shutdown.
 */
@Global()
@Module({
  providers: [
    {
      provide: SESSION_BACKEND,
      useFactory: createSessionBackend,
      inject: [SESSION_MODULE_OPTIONS],
    },
    SessionLifecycle,
    SessionHealth,
  ],
  exports: [SESSION_BACKEND, SessionLifecycle, SessionHealth],
})
export class SessionModule extends SessionConfigurableModule implements OnModuleDestroy {
  constructor(@Inject(SESSION_BACKEND) private readonly backend: SessionBackend) {
    super();
  }

  async onModuleDestroy(): Promise<void> {
    await this.backend.close();
  }
}
