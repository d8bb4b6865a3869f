import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { z } from 'zod';
import { JsonResponse } from '../docs/openapi.decorators';
import { Responder } from '../common/responder';
import { HealthService, Readiness, ReadinessSchema } from './health.service';

const LivenessSchema = z.object({ status: z.literal('ok') });
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
  @ApiOperation({ summary: 'Liveness probe' })
  @JsonResponse(200, LivenessSchema, 'The process runs')
  healthz(): z.infer<typeof LivenessSchema> {
    return { status: 'ok' };
  }

  /** Readiness: 200 when the database and the session store answer, else 503 naming the one that does not. */
  @Get('readyz')
  @ApiOperation({ summary: 'Readiness probe' })
  @JsonResponse(200, ReadinessSchema, 'The database, the session store and Redis answer')
  @JsonResponse(503, ReadinessSchema, 'One of them does not; `error` names it')
  async readyz(@Res({ passthrough: true }) res: unknown): Promise<Readiness> {
    const readiness = await this.health.readiness();
    this.respond.status(res, readiness.status === 'ok' ? 200 : 503);
    return readiness;
  }
}
