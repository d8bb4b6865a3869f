import { DynamicModule, Module } from '@nestjs/common';
import { LoadedConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { HealthModule } from './health/health.module';

/** The whole app, built from a configuration loaded and validated before Nest starts. */
@Module({})
export class AppModule {
  static forRoot(loaded: LoadedConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(loaded), HealthModule],
    };
  }
}
