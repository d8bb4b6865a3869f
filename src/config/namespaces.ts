import { registerAs } from '@nestjs/config';
import type { AppConfig } from './config.schema';

type NamespaceName = keyof AppConfig;

/**
 * One part of `AppConfig` as @nestjs/config serves it: inject it with
 * `@Inject(sessionConfig.KEY) session: ConfigType<typeof sessionConfig>`, or read it through
 * `ConfigService` (`config.get('session.cookie.name')`). This factory only gives the namespace its token
 * and type; the values come from the configuration validated before Nest started, which
 * `AppModule.forRoot` hands to `ConfigModule.forRoot` under the same tokens (`configNamespaces`).
 */
function namespace<K extends NamespaceName>(name: K) {
  return registerAs(name, (): AppConfig[K] => {
    throw new Error(
      `the ${name} configuration comes from AppModule.forRoot(loaded), not forFeature`,
    );
  });
}

export const appConfig = namespace('app');
export const httpConfig = namespace('http');
export const databaseConfig = namespace('database');
export const redisConfig = namespace('redis');
export const authConfig = namespace('auth');
export const sessionConfig = namespace('session');
export const mailConfig = namespace('mail');
export const accountsConfig = namespace('accounts');
/** The UPPERCASE keys the app does not know, from the config file and `APP_*` variables, for your code. */
export const extraConfig = namespace('extra');

/**
 * What `ConfigModule.forRoot({ load })` registers for one app: each namespace of this configuration, one
 * per top-level key of `AppConfig`, so a namespace added to `toAppConfig` is registered with no list to update.
 */
export function configNamespaces(config: AppConfig) {
  return (Object.keys(config) as NamespaceName[]).map((name) =>
    registerAs(name, () => config[name]),
  );
}
