import { Controller, Get } from '@nestjs/common';

@Controller()
export class HealthController {
  /** Liveness: answers while the process runs; touches no session, database or store. */
  @Get('healthz')
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
