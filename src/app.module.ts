import {
  DynamicModule,
  MiddlewareConsumer,
  Module,
  ModuleMetadata,
  NestModule,
} from '@nestjs/common';
import { AuthModule } from './auth/auth.module';
import { CartModule } from './cart/cart.module';
import { AppConfig, LoadedConfig } from './config/app-config';
import { APP_CONFIG } from './config/config.constants';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { securityHeaders } from './http/security-headers';
import { SessionModule } from './session/session.module';
import { UsersModule } from './users/users.module';

/** Modules a test adds beside the app (e.g. a test-only controller); production passes none. */
export type ExtraImports = NonNullable<ModuleMetadata['imports']>;

/** The whole app, built from a configuration loaded and validated before Nest starts. */
@Module({})
export class AppModule implements NestModule {
  static forRoot(loaded: LoadedConfig, extraImports: ExtraImports = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(loaded),
        DatabaseModule,
        UsersModule,
        SessionModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({ config, keyPrefix: config.session.keyPrefix }),
        }),
        AuthModule,
        CartModule,
        HealthModule,
        ...extraImports,
      ],
    };
  }

  /**
   * Security headers (helmet's defaults, worked out once at boot) on every response; it only sets
   * headers, so it runs on either platform.
   */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(securityHeaders()).forRoutes('{*path}');
  }
}
