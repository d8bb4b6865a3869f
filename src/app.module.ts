import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import type { ConfigType } from '@nestjs/config';
import { AssetsModule } from './assets/assets.module';
import { AccountsModule } from './accounts/accounts.module';
import { AuthModule } from './auth/auth.module';
import { isSignedIn } from './auth/auth.service';
import { CartModule } from './cart/cart.module';
import type { LoadedConfig } from './config/app-config';
import { appConfig, configNamespaces, sessionConfig } from './config/namespaces';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { PagesModule } from './pages/pages.module';
import { PasskeysModule } from './passkeys/passkeys.module';
import type { RedisClient } from './redis/redis-client';
import { REDIS_CLIENT } from './redis/redis.constants';
import { RedisModule } from './redis/redis.module';
import { SessionModule } from './session';
import { UsersModule } from './users/users.module';
import { TwoFactorModule } from './two-factor/two-factor.module';

/** Modules a test adds beside the app (e.g. a test-only controller); production passes none. */
export type ExtraImports = NonNullable<ModuleMetadata['imports']>;

/**
 * The whole app, built from a configuration loaded and validated before Nest starts. @nestjs/config
 * serves it to every module (`ConfigService`, the namespaces of config/namespaces.ts) and reads
 * nothing itself: no `.env` file, no `process.env` (src/config/process-config.ts already did).
 */
@Module({})
export class AppModule {
  static forRoot(loaded: LoadedConfig, extraImports: ExtraImports = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          skipProcessEnv: true,
          load: configNamespaces(loaded.config),
        }),
        DatabaseModule,
        RedisModule,
        UsersModule,
        SessionModule.forRootAsync({
          inject: [sessionConfig.KEY, appConfig.KEY, REDIS_CLIENT],
          useFactory: (
            session: ConfigType<typeof sessionConfig>,
            app: ConfigType<typeof appConfig>,
            redis: RedisClient | null,
          ) => ({
            session,
            warnLostNestedWrites: app.env === 'development',
            redis,
            isSignedIn,
          }),
        }),
        AuthModule,
        AccountsModule,
        TwoFactorModule,
        PasskeysModule,
        CartModule,
        PagesModule,
        AssetsModule,
        HealthModule,
        ...extraImports,
      ],
    };
  }
}
