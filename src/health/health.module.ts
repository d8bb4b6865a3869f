import { Module } from '@nestjs/common';
import { HttpModule } from '../http/http.module';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

/** `/healthz` and `/readyz`; the database and session health providers come from their global modules. */
@Module({ imports: [HttpModule], controllers: [HealthController], providers: [HealthService] })
export class HealthModule {}
