import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig, LoadedConfig } from './app-config';
import { APP_CONFIG, CONFIG_SOURCES } from './config.constants';

/** Provides the configuration that `main.ts` (or a test) loaded and validated before Nest started. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(loaded: LoadedConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: loaded.config satisfies AppConfig },
        { provide: CONFIG_SOURCES, useValue: loaded.sources },
      ],
      exports: [APP_CONFIG, CONFIG_SOURCES],
    };
  }
}
