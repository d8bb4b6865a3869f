import { Module } from '@nestjs/common';
import { WebModule } from '../common/web.module';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

/** `/healthz` and `/readyz`; the database and session health providers come from their global modules. */
@Module({ imports: [WebModule], controllers: [HealthController], providers: [HealthService] })
export class HealthModule {}
