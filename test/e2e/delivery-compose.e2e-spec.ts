import Ajv, { type AnySchema } from 'ajv';
import draft7MetaSchema from 'ajv/dist/refs/json-schema-draft-07.json';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load-config';
import { ROOT } from '../support/app-process';

interface Healthcheck {
  test?: string | string[];
}
interface Service {
  image?: string;
  build?: string | { context?: string };
  environment?: Record<string, string | number | boolean | null>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: Healthcheck;
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const composeText = fs.readFileSync(path.join(ROOT, 'compose.yaml'), 'utf8');
const compose = parse(composeText) as ComposeFile;
const { app, postgres, redis, mailpit } = compose.services;

/**
 * The official Compose Specification schema (compose-spec/compose-spec, schema/compose-spec.json), as the
 * dclint package ships it, refreshed from upstream by its `update-compose-schema` script.
 */
function composeValidator() {
  const dir = path.dirname(require.resolve('dclint/package.json'));
  const schema = JSON.parse(
    fs.readFileSync(path.join(dir, 'schemas/compose.schema.json'), 'utf8'),
  ) as AnySchema & { $schema: string };
  // The schema names draft 7 by its https URL; Ajv knows that meta-schema by its http one.
  const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
  ajv.addMetaSchema({ ...draft7MetaSchema, $id: schema.$schema });
  return ajv.compile(schema);
}

/** Compose's `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:?error}`, `${NAME?error}` and `$$`. */
function interpolate(value: string, env: Record<string, string | undefined>): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g,
    (match, name?: string, colon?: string, op?: string, arg?: string) => {
      if (name === undefined) return '$';
      const given = env[name];
      const missing = given === undefined || (colon === ':' && given === '');
      if (!missing || op === undefined) return given ?? '';
      if (op === '-') return arg ?? '';
      throw new Error(`required variable ${name} is missing a value: ${arg}`);
    },
  );
}

/** The app container's environment: the runtime stage's ENV, then compose.yaml's (which wins). */
function appEnvironment(shell: Record<string, string | undefined>): Record<string, string> {
  const steps = execFileSync('node', ['scripts/dockerfile-steps.js', 'Dockerfile', 'runtime'], {
    cwd: ROOT,
  }).toString();
  const env: Record<string, string> = {};
  for (const line of steps.split('\n')) {
    const [op, name, value] = line.split('\t');
    if (op === 'ENV') env[name] = value;
  }
  for (const [name, value] of Object.entries(app.environment ?? {}))
    env[name] = interpolate(String(value), shell);
  return env;
}

/** `[host:]published:target` → its parts. */
function port(mapping: string): { host?: string; published: string; target: string } {
  const parts = mapping.split(':');
  const [target, published, host] = parts.reverse();
  return { host, published, target };
}

describe('compose.yaml', () => {
  const shell = { SECRET_KEY: randomBytes(32).toString('hex') };

  it('is valid under the Compose Specification JSON schema', () => {
    const validate = composeValidator();
    const valid = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema check rejects what Compose rejects: a misspelt key, an unknown condition', () => {
    const validate = composeValidator();
    const misspelt = parse(composeText) as ComposeFile;
    (misspelt.services.app.healthcheck as Record<string, unknown>).intervall = '5s';
    expect(validate(misspelt)).toBe(false);
    expect(JSON.stringify(validate.errors)).toContain('intervall');

    const unknownCondition = parse(composeText) as ComposeFile;
    unknownCondition.services.app.depends_on!.postgres.condition = 'healthy';
    expect(validate(unknownCondition)).toBe(false);
  });

  it('builds the app from the Dockerfile and runs official PostgreSQL and Redis images and Mailpit', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['app', 'mailpit', 'postgres', 'redis']);
    expect(app.build).toBe('.');
    // With an image name next to build, `docker compose pull` would fetch whatever has that name.
    expect(app.image).toBeUndefined();
    expect(postgres.image).toMatch(/^postgres:\d+$/);
    expect(redis.image).toMatch(/^redis:\d+$/);
    expect(mailpit.image).toMatch(/^axllent\/mailpit:/);
  });

  it('gives every service a health check and starts the app once the others are healthy', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      expect([name, Array.isArray(service.healthcheck?.test)]).toEqual([name, true]);
    }
    expect(app.healthcheck?.test).toEqual(
      expect.arrayContaining([expect.stringContaining('/readyz')]),
    );
    expect(app.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
      mailpit: { condition: 'service_healthy' },
    });
  });

  it('keeps PostgreSQL data, Redis data and the instance folder in named volumes', () => {
    const instancePath = appEnvironment(shell).INSTANCE_PATH;
    expect(instancePath).toBe('/app/instance');
    expect(app.volumes).toEqual([`instance:${instancePath}`]);
    expect(postgres.volumes).toEqual(['postgres-data:/var/lib/postgresql']);
    expect(redis.volumes).toEqual(['redis-data:/data']);
    const used = Object.values(compose.services).flatMap((s) =>
      (s.volumes ?? []).map((v) => v.split(':')[0]),
    );
    expect(Object.keys(compose.volumes ?? {}).sort()).toEqual([...used].sort());
  });

  it('requires SECRET_KEY from the environment and says how to make one', () => {
    expect(() => appEnvironment({})).toThrow(
      'required variable SECRET_KEY is missing a value: set SECRET_KEY, npm run secret prints one',
    );
    expect(appEnvironment(shell).SECRET_KEY).toBe(shell.SECRET_KEY);
  });

  it('wires the app through its own variables to the services of this file', () => {
    const env = appEnvironment(shell);
    expect(env).toMatchObject({ NODE_ENV: 'production', SESSION_STORE: 'redis' });
    const database = new URL(env.DATABASE_URL);
    expect([database.protocol, database.hostname, database.port]).toEqual([
      'postgres:',
      'postgres',
      '5432',
    ]);
    expect(database.pathname).toBe(`/${postgres.environment?.POSTGRES_DB}`);
    expect(decodeURIComponent(database.username)).toBe(postgres.environment?.POSTGRES_USER);
    expect(decodeURIComponent(database.password)).toBe(postgres.environment?.POSTGRES_PASSWORD);
    expect(env.REDIS_URL).toBe('redis://redis:6379');
    expect(env.MAIL_URL).toBe('smtp://mailpit:1025');
    const published = port(app.ports![0]);
    expect(env.PUBLIC_URL).toBe(`http://localhost:${published.published}`);
    expect(published.target).toBe(env.PORT);
  });

  it('is a valid production configuration: PostgreSQL, Redis sessions, Secure cookies', () => {
    const { config } = loadConfig(appEnvironment(shell), () => undefined);
    expect(config.app.env).toBe('production');
    expect(config.database.url).toMatch(/^postgres:\/\/.*@postgres:5432\//);
    expect(config.session.store).toBe('redis');
    expect(config.redis.url).toBe('redis://redis:6379');
    expect(config.session.cookie).toMatchObject({ secure: true, httpOnly: true });
    // Nothing is in front of the app here; TRUST_PROXY=true would let any client pick its address.
    expect(config.http.trustProxy).toBe(false);
  });

  it('publishes only the app and the mail UI, on loopback', () => {
    expect(app.ports?.map(port)).toEqual([
      { host: '127.0.0.1', published: '3000', target: '3000' },
    ]);
    expect(mailpit.ports?.map(port)).toEqual([
      { host: '127.0.0.1', published: '8025', target: '8025' },
    ]);
    expect(postgres.ports).toBeUndefined();
    expect(redis.ports).toBeUndefined();
  });
});
