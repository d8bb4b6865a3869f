import { ReadFile } from './config-sources';
import { ConfigError } from './config.errors';
import { loadConfig } from './load-config';

const STRONG = '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0';
const STRONG_2 = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9f';
const noFiles: ReadFile = () => undefined;

function filesOf(files: Record<string, string>): ReadFile {
  return (file: string) => files[file];
}

/** `loadConfig` as `npm start` runs it: NODE_ENV=development unless the test says otherwise. */
function loadDev(env: NodeJS.ProcessEnv, readFile: ReadFile) {
  return loadConfig({ NODE_ENV: 'development', ...env }, readFile);
}

function problemsOf(env: NodeJS.ProcessEnv, readFile = noFiles): string[] {
  try {
    loadDev(env, readFile);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message.split('\n- ').slice(1);
  }
  throw new Error('expected a ConfigError, but the configuration loaded');
}

describe(loadConfig.name, () => {
  describe('defaults', () => {
    it('loads the documented defaults from an empty environment', () => {
      const { config, sources } = loadDev({}, noFiles);
      expect(config).toEqual({
        app: { env: 'development', instancePath: './instance' },
        http: {
          port: 3000,
          host: '0.0.0.0',
          trustProxy: false,
          adapter: 'fastify',
          requestTimeoutSeconds: 30,
          maxConnections: 4096,
          publicUrl: 'http://localhost:3000',
        },
        log: { format: 'text' },
        docs: { enabled: true },
        database: { url: 'sqlite:instance/app.sqlite' },
        redis: { url: null },
        auth: { passwordHashConcurrency: 4 },
        mail: { url: 'log', from: 'no-reply@localhost' },
        accounts: {
          emailVerification: 'optional',
          passwordResetTimeoutSeconds: 3600,
          emailTokenTimeoutSeconds: 3 * 24 * 3600,
          reauthTimeoutSeconds: 600,
        },
        session: {
          store: 'cookie',
          secretKey: null,
          secretKeyFallbacks: [],
          permanentLifetimeSeconds: 31 * 24 * 3600,
          absoluteLifetimeSeconds: 31 * 24 * 3600,
          refreshEachRequest: true,
          maxCookieSize: 4093,
          maxStoredBytes: 65_536,
          keyPrefix: 'sess:',
          appId: 'nest-session-starter',
          requestTimeoutSeconds: 30,
          cookie: {
            name: 'session',
            domain: null,
            path: '/',
            httpOnly: true,
            secure: false,
            sameSite: 'Lax',
            partitioned: false,
          },
        },
        extra: {},
      });
      expect(sources.PORT).toBe('default');
      expect(sources.SECRET_KEY).toBe('default');
    });

    it('runs as production without NODE_ENV, so a built app never runs as development by accident', () => {
      const { config, sources } = loadConfig({ SECRET_KEY: STRONG }, noFiles);
      expect(config.app.env).toBe('production');
      expect(sources.NODE_ENV).toBe('default');
      expect(config.session.cookie.secure).toBe(true);
      expect(config.session.cookie.name).toBe('__Host-session');
      expect(config.log.format).toBe('json');
      expect(config.docs.enabled).toBe(false);
    });

    it('takes LOG_FORMAT and API_DOCS from APP_* in production too', () => {
      const { config, sources } = loadConfig(
        { SECRET_KEY: STRONG, APP_LOG_FORMAT: 'text', APP_API_DOCS: 'true' },
        noFiles,
      );
      expect(config.log.format).toBe('text');
      expect(config.docs.enabled).toBe(true);
      expect(sources.API_DOCS).toBe('env:APP_API_DOCS');
    });

    it('refuses a LOG_FORMAT it does not know, naming the choices', () => {
      expect(problemsOf({ APP_LOG_FORMAT: 'xml' }).join('\n')).toMatch(/LOG_FORMAT.*text.*json/);
    });

    it('names the production cookie __Host-session, and says how to keep a Domain with another name', () => {
      const prod = { NODE_ENV: 'production', SECRET_KEY: STRONG };
      expect(loadConfig(prod, noFiles).config.session.cookie.name).toBe('__Host-session');
      expect(loadDev({}, noFiles).config.session.cookie.name).toBe('session');
      const problems = problemsOf({ ...prod, APP_SESSION_COOKIE_DOMAIN: 'example.com' });
      expect(problems).toEqual([
        expect.stringMatching(
          /^SESSION_COOKIE_DOMAIN \(env:APP_SESSION_COOKIE_DOMAIN\): is set, but a __Host- cookie name needs no Domain.*; or set SESSION_COOKIE_NAME to a name without the prefix \(__Host-session is the production default\)$/,
        ),
      ]);
      const named = { ...prod, APP_SESSION_COOKIE_DOMAIN: 'example.com' };
      expect(
        loadConfig({ ...named, APP_SESSION_COOKIE_NAME: '__Secure-session' }, noFiles).config
          .session.cookie,
      ).toMatchObject({ name: '__Secure-session', domain: 'example.com' });
    });

    it('says why a key is required when NODE_ENV is unset', () => {
      expect(() => loadConfig({}, noFiles)).toThrow(
        /SECRET_KEY \(default\): is missing \(production\).*NODE_ENV is unset, so the built app runs as production/,
      );
    });

    it('takes __Host- and __Secure- names that meet their rules', () => {
      const host = loadDev(
        {
          ...{ NODE_ENV: 'production', SECRET_KEY: STRONG },
          APP_SESSION_COOKIE_NAME: '__Host-session',
        },
        noFiles,
      );
      expect(host.config.session.cookie).toMatchObject({
        name: '__Host-session',
        secure: true,
        path: '/',
        domain: null,
      });
      const secure = loadDev(
        {
          APP_SESSION_COOKIE_NAME: '__Secure-s',
          APP_SESSION_COOKIE_SECURE: 'true',
          APP_SESSION_COOKIE_DOMAIN: 'example.org',
        },
        noFiles,
      );
      expect(secure.config.session.cookie.name).toBe('__Secure-s');
    });

    it('reads SESSION_ABSOLUTE_LIFETIME as seconds or a duration, 31 days by default', () => {
      expect(loadDev({}, noFiles).config.session.absoluteLifetimeSeconds).toBe(31 * 24 * 3600);
      expect(
        loadDev({ APP_SESSION_ABSOLUTE_LIFETIME: '12h' }, noFiles).config.session
          .absoluteLifetimeSeconds,
      ).toBe(43200);
      expect(
        loadDev({ APP_SESSION_ABSOLUTE_LIFETIME: '4' }, noFiles).config.session
          .absoluteLifetimeSeconds,
      ).toBe(4);
    });

    it('takes the hash concurrency from UV_THREADPOOL_SIZE, else 4', () => {
      expect(loadDev({}, noFiles).config.auth.passwordHashConcurrency).toBe(4);
      expect(
        loadDev({ UV_THREADPOOL_SIZE: '8' }, noFiles).config.auth.passwordHashConcurrency,
      ).toBe(8);
      const own = loadDev({ UV_THREADPOOL_SIZE: '8', APP_PASSWORD_HASH_CONCURRENCY: '2' }, noFiles);
      expect(own.config.auth.passwordHashConcurrency).toBe(2);
    });

    it('defaults the Secure cookie to on in production', () => {
      const { config } = loadDev({ NODE_ENV: 'production', SECRET_KEY: STRONG }, noFiles);
      expect(config.session.cookie.secure).toBe(true);
    });
  });

  describe('precedence: defaults → file → un-prefixed env → APP_* env', () => {
    const file = filesOf({
      'instance/config.json': JSON.stringify({
        PORT: 4000,
        HOST: '127.0.0.1',
        SESSION_COOKIE_NAME: 'sid',
      }),
    });

    it('takes the instance file over the defaults and names it as the source', () => {
      const { config, sources } = loadDev({}, file);
      expect(config.http.port).toBe(4000);
      expect(sources.PORT).toBe('file:instance/config.json');
    });

    it('takes the environment over the file', () => {
      const { config, sources } = loadDev({ PORT: '5000' }, file);
      expect(config.http.port).toBe(5000);
      expect(sources.PORT).toBe('env:PORT');
    });

    it('takes APP_PORT over PORT', () => {
      const { config, sources } = loadDev({ PORT: '5000', APP_PORT: '6000' }, file);
      expect(config.http.port).toBe(6000);
      expect(sources.PORT).toBe('env:APP_PORT');
    });

    it('reads only the well-known keys without the prefix', () => {
      const { config } = loadDev({ SESSION_COOKIE_NAME: 'ignored' }, file);
      expect(config.session.cookie.name).toBe('sid');
    });

    it('finds the file under INSTANCE_PATH, or at APP_CONFIG_FILE', () => {
      const files = filesOf({
        'data/config.json': '{"PORT": 4100}',
        '/etc/app.json': '{"PORT": 4200}',
      });
      expect(loadDev({ INSTANCE_PATH: 'data' }, files).config.http.port).toBe(4100);
      const explicit = loadDev({ APP_CONFIG_FILE: '/etc/app.json' }, files);
      expect(explicit.config.http.port).toBe(4200);
      expect(explicit.sources.PORT).toBe('file:/etc/app.json');
    });

    it('takes only UPPERCASE keys from the file (Flask rule)', () => {
      const files = filesOf({
        '/c.json': '{"PORT": 4300, "port": 1, "secret_key": "x", "Host": "h"}',
      });
      const { config } = loadDev({ APP_CONFIG_FILE: '/c.json' }, files);
      expect(config.http.port).toBe(4300);
      expect(config.http.host).toBe('0.0.0.0');
      expect(config.extra).toEqual({});
    });

    it('keeps the text of an APP_* string key that would parse as JSON', () => {
      const { config } = loadDev(
        { APP_SECRET_KEY: '12345678901234567890123456789012345' },
        noFiles,
      );
      expect(config.session.secretKey).toBe('12345678901234567890123456789012345');
    });
  });

  describe("APP_* variables (Flask's test_from_prefixed_env cases)", () => {
    it('parses strings, booleans, ints, floats, lists and objects as JSON, else keeps the text', () => {
      const { config, sources } = loadDev(
        {
          APP_STRING: 'value',
          APP_BOOL: 'true',
          APP_INT: '1',
          APP_FLOAT: '1.2',
          APP_LIST: '[1, 2]',
          APP_DICT: '{"k": "v"}',
          APP_NOT_JSON: '{oops',
          NOT_APP_OTHER: 'other',
        },
        noFiles,
      );
      expect(config.extra).toEqual({
        STRING: 'value',
        BOOL: true,
        INT: 1,
        FLOAT: 1.2,
        LIST: [1, 2],
        DICT: { k: 'v' },
        NOT_JSON: '{oops',
      });
      expect(sources.INT).toBe('env:APP_INT');
    });

    it('nests on __ and merges into what the file set', () => {
      const files = filesOf({
        'instance/config.json': JSON.stringify({
          EXIST: { ok: 'value', flag: true, inner: { ik: 1 } },
        }),
      });
      const { config } = loadDev(
        {
          APP_EXIST__ok: 'other',
          APP_EXIST__inner__ik: '2',
          APP_EXIST__new__more: '{"k": false}',
          APP_NEW__K: 'v',
          APP_A__B__C: '1',
        },
        files,
      );
      expect(config.extra.EXIST).toEqual({
        ok: 'other',
        flag: true,
        inner: { ik: 2 },
        new: { more: { k: false } },
      });
      expect(config.extra.NEW).toEqual({ K: 'v' });
      expect(config.extra.A).toEqual({ B: { C: 1 } });
    });

    it('reads the variables in sorted order, so a later nested key extends an earlier value', () => {
      const { config } = loadDev({ APP_X__Y: '2', APP_X: '{"Z": 1}' }, noFiles);
      expect(config.extra.X).toEqual({ Z: 1, Y: 2 });
    });

    it('refuses __proto__ and constructor as key parts', () => {
      const problems = problemsOf({ APP_A____proto____polluted: '1', APP_B__constructor: '1' });
      expect(problems.join('\n')).toMatch(/APP_A____proto____polluted/);
      expect(problems.join('\n')).toMatch(/APP_B__constructor/);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });

  describe('values', () => {
    it.each([
      ['3600', 3600],
      ['7d', 7 * 86400],
      ['12h', 12 * 3600],
      ['30m', 1800],
    ])('reads PERMANENT_SESSION_LIFETIME=%s as %i seconds', (value, seconds) => {
      const { config } = loadDev({ APP_PERMANENT_SESSION_LIFETIME: value }, noFiles);
      expect(config.session.permanentLifetimeSeconds).toBe(seconds);
    });

    it('reads SECRET_KEY_FALLBACKS as a JSON array or comma-separated', () => {
      expect(
        loadDev({ SECRET_KEY_FALLBACKS: '["a1","b2"]' }, noFiles).config.session.secretKeyFallbacks,
      ).toEqual(['a1', 'b2']);
      expect(
        loadDev({ SECRET_KEY_FALLBACKS: 'a1, b2' }, noFiles).config.session.secretKeyFallbacks,
      ).toEqual(['a1', 'b2']);
    });

    it.each([
      ['true', true],
      ['2', 2],
      ['loopback, 10.0.0.0/8', 'loopback, 10.0.0.0/8'],
    ])('reads TRUST_PROXY=%s', (value, expected) => {
      expect(loadDev({ TRUST_PROXY: value }, noFiles).config.http.trustProxy).toEqual(expected);
    });

    it('takes SameSite case-insensitively', () => {
      expect(
        loadDev({ APP_SESSION_COOKIE_SAMESITE: 'strict' }, noFiles).config.session.cookie.sameSite,
      ).toBe('Strict');
    });
  });

  describe('rules (every problem names the key, its source and the fix)', () => {
    const prod = { NODE_ENV: 'production', SECRET_KEY: STRONG };

    it.each<[string, NodeJS.ProcessEnv, RegExp]>([
      [
        'production without SECRET_KEY',
        { NODE_ENV: 'production' },
        /^SECRET_KEY \(default\): is missing.*npm run secret/,
      ],
      [
        'production with a short key',
        { ...prod, SECRET_KEY: 'x1y2z3w4v5' },
        /^SECRET_KEY \(env:SECRET_KEY\): is too short/,
      ],
      [
        'production with few distinct characters',
        { ...prod, SECRET_KEY: 'abababababababababababababababababab' },
        /^SECRET_KEY \(env:SECRET_KEY\): has fewer than 5 distinct characters/,
      ],
      [
        'production with dev',
        { ...prod, SECRET_KEY: 'dev' },
        /^SECRET_KEY \(env:SECRET_KEY\): is a known placeholder/,
      ],
      [
        "production with the guide's fallback key",
        { ...prod, SECRET_KEY: 'dev-fallback-key-change-in-production' },
        /^SECRET_KEY \(env:SECRET_KEY\): is a known placeholder/,
      ],
      [
        "production with the guide's CI key",
        { ...prod, APP_SECRET_KEY: 'ci-test-secret-key' },
        /^SECRET_KEY \(env:APP_SECRET_KEY\): is a known placeholder/,
      ],
      [
        'production with a weak fallback',
        { ...prod, SECRET_KEY_FALLBACKS: `${STRONG_2},changeme` },
        /^SECRET_KEY_FALLBACKS \(env:SECRET_KEY_FALLBACKS\): entry 2 is a known placeholder/,
      ],
      [
        'a fallback equal to the key',
        { SECRET_KEY: STRONG, SECRET_KEY_FALLBACKS: STRONG },
        /^SECRET_KEY_FALLBACKS \(env:SECRET_KEY_FALLBACKS\): entry 1 equals SECRET_KEY/,
      ],
      [
        'production with the memory store',
        { ...prod, SESSION_STORE: 'memory' },
        /^SESSION_STORE \(env:SESSION_STORE\): memory is refused in production/,
      ],
      [
        'redis without REDIS_URL',
        { SESSION_STORE: 'redis' },
        /^REDIS_URL \(default\): is required when SESSION_STORE=redis/,
      ],
      [
        'SameSite=None without Secure',
        { APP_SESSION_COOKIE_SAMESITE: 'None' },
        /^SESSION_COOKIE_SAMESITE \(env:APP_SESSION_COOKIE_SAMESITE\): None needs SESSION_COOKIE_SECURE=true/,
      ],
      [
        'Partitioned without Secure',
        { APP_SESSION_COOKIE_PARTITIONED: 'true' },
        /^SESSION_COOKIE_PARTITIONED \(env:APP_SESSION_COOKIE_PARTITIONED\): true needs SESSION_COOKIE_SECURE=true/,
      ],
      [
        'a __Host- cookie name without Secure',
        { APP_SESSION_COOKIE_NAME: '__Host-session' },
        /^SESSION_COOKIE_SECURE \(default\): false, but a __Host- cookie name needs SESSION_COOKIE_SECURE=true/,
      ],
      [
        'a __Host- cookie name with a Domain',
        {
          ...prod,
          APP_SESSION_COOKIE_NAME: '__Host-session',
          APP_SESSION_COOKIE_DOMAIN: 'example.org',
        },
        /^SESSION_COOKIE_DOMAIN \(env:APP_SESSION_COOKIE_DOMAIN\): is set, but a __Host- cookie name needs no Domain/,
      ],
      [
        'a __host- cookie name (any case) with a Path',
        { ...prod, APP_SESSION_COOKIE_NAME: '__host-sid', APP_SESSION_COOKIE_PATH: '/app' },
        /^SESSION_COOKIE_PATH \(env:APP_SESSION_COOKIE_PATH\): is \/app, but a __Host- cookie name needs Path \//,
      ],
      [
        'a __Secure- cookie name without Secure',
        { APP_SESSION_COOKIE_NAME: '__Secure-session', APP_SESSION_COOKIE_SECURE: 'false' },
        /^SESSION_COOKIE_SECURE \(env:APP_SESSION_COOKIE_SECURE\): false, but a __Secure- cookie name needs/,
      ],
      [
        'a bad duration',
        { APP_PERMANENT_SESSION_LIFETIME: 'soon' },
        /^PERMANENT_SESSION_LIFETIME \(env:APP_PERMANENT_SESSION_LIFETIME\): expected a duration/,
      ],
      [
        'a zero duration',
        { APP_PERMANENT_SESSION_LIFETIME: '0' },
        /^PERMANENT_SESSION_LIFETIME .*expected a duration/,
      ],
      [
        'a bad port',
        { PORT: '70000' },
        /^PORT \(env:PORT\): expected a port number \(0-65535\), got "70000"/,
      ],
      ['a non-numeric port', { PORT: 'http' }, /^PORT \(env:PORT\): expected a port number/],
      [
        'a bad boolean',
        { APP_SESSION_COOKIE_HTTPONLY: 'maybe' },
        /^SESSION_COOKIE_HTTPONLY \(env:APP_SESSION_COOKIE_HTTPONLY\): expected true or false, got "maybe"/,
      ],
      [
        'an unknown NODE_ENV',
        { NODE_ENV: 'staging' },
        /^NODE_ENV \(env:NODE_ENV\): expected one of development, test, production, got "staging"/,
      ],
      [
        'an unknown store',
        { SESSION_STORE: 'mongo' },
        /^SESSION_STORE \(env:SESSION_STORE\): expected one of cookie, memory, redis/,
      ],
      [
        'an unknown adapter',
        { HTTP_ADAPTER: 'koa' },
        /^HTTP_ADAPTER \(env:HTTP_ADAPTER\): expected one of fastify, express/,
      ],
      [
        'a bad REDIS_URL',
        { REDIS_URL: 'localhost:6379' },
        /^REDIS_URL \(env:REDIS_URL\): expected a URL such as redis:\/\//,
      ],
      [
        'a bad DATABASE_URL',
        { DATABASE_URL: 'mysql://x' },
        /^DATABASE_URL \(env:DATABASE_URL\): expected a URL such as sqlite:/,
      ],
      [
        'a negative MAX_COOKIE_SIZE',
        { APP_MAX_COOKIE_SIZE: '-1' },
        /^MAX_COOKIE_SIZE .*expected a size in bytes/,
      ],
      [
        'a missing explicit config file',
        { APP_CONFIG_FILE: '/nope/config.json' },
        /^APP_CONFIG_FILE \(env:APP_CONFIG_FILE\): config file \/nope\/config.json does not exist/,
      ],
    ])('refuses %s', (_case, env, expected) => {
      const problems = problemsOf(env);
      expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
    });

    it('names the file and the parse position of invalid JSON', () => {
      const files = filesOf({ '/c.json': '{\n  "PORT": 1,\n  "HOST": \n}' });
      const [problem] = problemsOf({ APP_CONFIG_FILE: '/c.json' }, files);
      expect(problem).toBe(
        'config file (file:/c.json): /c.json is not valid JSON: ValueExpected at line 4, column 1 (position 26)',
      );
    });

    it('refuses a config file that is not an object', () => {
      const files = filesOf({ '/c.json': '[1, 2]' });
      expect(problemsOf({ APP_CONFIG_FILE: '/c.json' }, files)[0]).toMatch(
        /must hold a JSON object/,
      );
    });

    it('reports every problem at once', () => {
      const problems = problemsOf({
        NODE_ENV: 'production',
        PORT: 'x',
        SESSION_STORE: 'memory',
        HTTP_ADAPTER: 'koa',
      });
      expect(problems.map((p) => p.split(' ')[0]).sort()).toEqual([
        'HTTP_ADAPTER',
        'PORT',
        'SECRET_KEY',
        'SESSION_STORE',
      ]);
    });

    it('never puts a secret value in a problem', () => {
      const secret = 'short-but-very-private-value';
      const error = (() => {
        try {
          loadDev(
            { NODE_ENV: 'production', SECRET_KEY: secret, SECRET_KEY_FALLBACKS: secret },
            noFiles,
          );
        } catch (e) {
          return e as Error;
        }
      })();
      expect(error).toBeInstanceOf(ConfigError);
      expect(error?.message).not.toContain(secret);
    });

    it('accepts a strong production configuration', () => {
      const { config } = loadDev({ ...prod, SECRET_KEY_FALLBACKS: STRONG_2 }, noFiles);
      expect(config.session.secretKey).toBe(STRONG);
      expect(config.session.secretKeyFallbacks).toEqual([STRONG_2]);
    });
  });

  describe('mail and accounts', () => {
    const prod = { NODE_ENV: 'production', SECRET_KEY: STRONG };

    it('links and mail default to the local port and the log outside production, to nothing in production', () => {
      const dev = loadDev({ PORT: '8080' }, noFiles).config;
      expect(dev.http.publicUrl).toBe('http://localhost:8080');
      expect(dev.mail).toEqual({ url: 'log', from: 'no-reply@localhost' });
      const production = loadConfig(prod, noFiles).config;
      expect(production.http.publicUrl).toBeNull();
      expect(production.mail).toEqual({ url: null, from: null });
    });

    it('derives MAIL_FROM from PUBLIC_URL and keeps an origin without its trailing slash', () => {
      const { config } = loadConfig(
        { ...prod, PUBLIC_URL: 'https://app.example.com/', MAIL_URL: 'smtps://u:p@mail:465' },
        noFiles,
      );
      expect(config.http.publicUrl).toBe('https://app.example.com');
      expect(config.mail).toEqual({
        url: 'smtps://u:p@mail:465',
        from: 'no-reply@app.example.com',
      });
    });

    it('refuses a PUBLIC_URL with a path or another scheme, and a MAIL_URL of another kind', () => {
      expect(problemsOf({ PUBLIC_URL: 'https://app.example.com/app' })).toEqual([
        expect.stringMatching(/^PUBLIC_URL \(env:PUBLIC_URL\): expected an origin without a path/),
      ]);
      expect(problemsOf({ PUBLIC_URL: 'ftp://x' })[0]).toMatch(/expected an origin/);
      expect(problemsOf({ MAIL_URL: 'sendmail' })[0]).toMatch(
        /^MAIL_URL \(env:MAIL_URL\): expected smtp:\/\//,
      );
      expect(problemsOf({ MAIL_FROM: 'nobody' })[0]).toMatch(/^MAIL_FROM/);
    });

    it('refuses EMAIL_VERIFICATION=required when no mail can be sent, naming why', () => {
      expect(problemsOf({ APP_EMAIL_VERIFICATION: 'required', MAIL_URL: 'none' })).toEqual([
        expect.stringMatching(/^EMAIL_VERIFICATION .*MAIL_URL=none turns mail off/),
      ]);
      expect(problemsOf({ ...prod, APP_EMAIL_VERIFICATION: 'required' })).toEqual([
        expect.stringMatching(/^EMAIL_VERIFICATION .*MAIL_URL is not set/),
      ]);
      const ok = loadDev({ APP_EMAIL_VERIFICATION: 'required' }, noFiles).config;
      expect(ok.accounts.emailVerification).toBe('required');
    });

    it('reads the token lifetimes and REAUTH_TIMEOUT as durations', () => {
      const { accounts } = loadDev(
        {
          APP_PASSWORD_RESET_TIMEOUT: '15m',
          APP_EMAIL_TOKEN_TIMEOUT: '1d',
          APP_REAUTH_TIMEOUT: '30',
        },
        noFiles,
      ).config;
      expect(accounts).toMatchObject({
        passwordResetTimeoutSeconds: 900,
        emailTokenTimeoutSeconds: 86_400,
        reauthTimeoutSeconds: 30,
      });
    });
  });
});
