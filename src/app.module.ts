import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
import { AuthModule } from './auth/auth.module';
import { isSignedIn } from './auth/auth.service';
import { CartModule } from './cart/cart.module';
import { AppConfig, LoadedConfig } from './config/app-config';
import { APP_CONFIG } from './config/config.constants';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import type { RedisClient } from './redis/redis-client';
import { REDIS_CLIENT } from './redis/redis.constants';
import { RedisModule } from './redis/redis.module';
import { SessionModule } from './session/session.module';
import { UsersModule } from './users/users.module';

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
        DatabaseModule,
        RedisModule,
        UsersModule,
        SessionModule.forRootAsync({
          inject: [APP_CONFIG, REDIS_CLIENT],
          // http-platform.ts runs the session middleware as a native hook of the platform.
          useFactory: (config: AppConfig, redis: RedisClient | null) => ({
            config,
            redis,
            isSignedIn,
            keyPrefix: config.session.keyPrefix,
            applyMiddleware: false,
          }),
        }),
        AuthModule,
        CartModule,
        HealthModule,
        ...extraImports,
      ],
    };
  }
}
