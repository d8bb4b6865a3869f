import { ConfigService } from '@nestjs/config';
import type { ConfigType } from '@nestjs/config';
import { Test, TestingModule } from '@nestjs/testing';
import { testConfig } from '../test/support/test-app';
import { AppModule } from './app.module';
import { AuthService } from './auth/auth.service';
import type { LoadedConfig } from './config/app-config';
import { appConfig, authConfig, extraConfig, httpConfig, sessionConfig } from './config/namespaces';
import { REDIS_CLIENT } from './redis/redis.constants';
import { SESSION_BACKEND } from './session/backends/session-backend';
import { CookieSessionBackend } from './session/backends/cookie/cookie-backend';
import { SessionHealth } from './session/session-health';

describe(AppModule.name, () => {
  let loaded: LoadedConfig;
  let moduleRef: TestingModule;
  beforeAll(async () => {
    loaded = testConfig({
      DATABASE_URL: 'sqlite::memory:',
      APP_PORT: '4321',
      APP_SESSION_COOKIE_NAME: 'sid',
      APP_PASSWORD_HASH_CONCURRENCY: '2',
      APP_FEATURE__FLAG: 'true',
    });
    moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(loaded)] }).compile();
  });
  afterAll(() => moduleRef.close());

  it('serves the configuration validated before Nest through ConfigService', () => {
    const config = moduleRef.get(ConfigService);

    expect(config.get<number>('http.port')).toBe(4321);
    expect(config.get<string>('session.cookie.name')).toBe('sid');
    expect(config.get<boolean>('extra.FEATURE.FLAG')).toBe(true);
    expect(config.get('SECRET_KEY')).toBeUndefined(); // nothing comes from process.env
  });

  it('serves each namespace under its registerAs token, typed', () => {
    const session = moduleRef.get<ConfigType<typeof sessionConfig>>(sessionConfig.KEY);
    const app = moduleRef.get<ConfigType<typeof appConfig>>(appConfig.KEY);

    expect(session).toEqual(loaded.config.session);
    expect(app).toEqual({ env: 'test', instancePath: 'instance/test' });
    expect(moduleRef.get(httpConfig.KEY)).toEqual(loaded.config.http);
    expect(moduleRef.get(authConfig.KEY)).toEqual({ passwordHashConcurrency: 2 });
    expect(moduleRef.get(extraConfig.KEY)).toEqual({ FEATURE: { FLAG: true } });
  });

  it('builds the session backend and the services from those namespaces', () => {
    expect(moduleRef.get(SESSION_BACKEND)).toBeInstanceOf(CookieSessionBackend);
    expect(moduleRef.get(SessionHealth).storeName).toBe('cookie');
    expect(moduleRef.get(AuthService)).toBeInstanceOf(AuthService);
    expect(moduleRef.get(REDIS_CLIENT)).toBeNull(); // no REDIS_URL, no connection
  });
});
