import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LoadedConfig } from './app-config';
import { ConfigError } from './config.errors';
import { withDevSecretKey } from './dev-secret-key';
import { loadConfig } from './load-config';

describe(withDevSecretKey.name, () => {
  let dir: string;
  const warnings: string[] = [];
  const warn = (line: string) => warnings.push(line);
  const load = (env: NodeJS.ProcessEnv): LoadedConfig =>
    loadConfig({ NODE_ENV: 'development', INSTANCE_PATH: dir, ...env }, () => undefined);

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dev-key-'));
    warnings.length = 0;
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('generates 32 random bytes once into INSTANCE_PATH/secret_key, mode 0600, with one warning', () => {
    const sut = withDevSecretKey(load({}), warn);
    const file = path.join(dir, 'secret_key');
    expect(sut.config.session.secretKey).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(sut.config.session.secretKey);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(sut.sources.SECRET_KEY).toBe(`file:${file}`);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/generated now/);
    expect(warnings[0]).not.toContain(sut.config.session.secretKey);
  });

  it('reuses the kept key on a later start', () => {
    const first = withDevSecretKey(load({}), warn);
    const second = withDevSecretKey(load({}), warn);
    expect(second.config.session.secretKey).toBe(first.config.session.secretKey);
    expect(warnings[1]).toMatch(/kept in/);
  });

  it('leaves a configured key, test and production alone', () => {
    for (const env of [{ SECRET_KEY: 'configured-key' }, { NODE_ENV: 'test' }]) {
      const loaded = load(env);
      expect(withDevSecretKey(loaded, warn)).toBe(loaded);
    }
    expect(fs.existsSync(path.join(dir, 'secret_key'))).toBe(false);
    expect(warnings).toEqual([]);
  });

  it('refuses a damaged key file and says how to fix it', () => {
    fs.writeFileSync(path.join(dir, 'secret_key'), 'short\n');
    expect(() => withDevSecretKey(load({}), warn)).toThrow(ConfigError);
    expect(() => withDevSecretKey(load({}), warn)).toThrow(/delete it and start again/);
  });
});
