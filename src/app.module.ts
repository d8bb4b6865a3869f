import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
import { AppConfig, LoadedConfig } from './config/app-config';
import { APP_CONFIG } from './config/config.constants';
import { ConfigModule } from './config/config.module';
import { HealthModule } from './health/health.module';
import { SessionModule } from './session/session.module';

/** Modules a test adds beside the app (e.g. a test-only controller); production passes none. */
export type ExtraImports = NonNullable<ModuleMetadata['imports']>;

/** The whole app, built from a configuration loaded and validated before Nest starts. */
@Module({})
export class AppModule {
  static forRoot(loaded: LoadedConfig, extraImports: ExtraImports = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(loaded),
        SessionModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({ config, keyPrefix: config.session.keyPrefix }),
        }),
        HealthModule,
        ...extraImports,
      ],
    };
  }
}
