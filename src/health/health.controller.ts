import { Controller, Get, Res } from '@nestjs/common';
import { Responder } from '../common/responder';
import { HealthService, Readiness } from './health.service';
import { Public } from '../auth/public.decorator';

@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthService,
    private readonly respond: Responder,
  ) {}

  /** Liveness: answers while the process runs; touches no session, database or store. */
  @Get('healthz')
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: 200 when the database and the session store answer, else 503 naming the one that does not. */
  @Get('readyz')
  async readyz(@Res({ passthrough: true }) res: unknown): Promise<Readiness> {
    const readiness = await this.health.readiness();
    this.respond.status(res, readiness.status === 'ok' ? 200 : 503);
    return readiness;
  }
}
