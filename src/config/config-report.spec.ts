import { bootWarnings, productionWarnings } from './config-report';
import { loadConfig } from './load-config';

const STRONG = '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0';
const production = (env: NodeJS.ProcessEnv) =>
  loadConfig({ NODE_ENV: 'production', SECRET_KEY: STRONG, ...env }, () => undefined).config;

describe(productionWarnings.name, () => {
  it('warns that TRUST_PROXY=true lets clients choose their address, at boot and in config:check', () => {
    const config = production({ TRUST_PROXY: 'true' });

    const [atBoot] = bootWarnings(config);
    expect(atBoot).toMatch(/^TRUST_PROXY=true believes the leftmost X-Forwarded-For/);
    expect(atBoot).toContain('TRUST_PROXY=1');
    expect(productionWarnings(config)).toContain(atBoot);
  });

  it('says nothing about a hop count or addresses, nor outside production', () => {
    expect(bootWarnings(production({ TRUST_PROXY: '1' }))).toEqual([]);
    expect(bootWarnings(production({ TRUST_PROXY: '10.0.0.0/8' }))).toEqual([]);
    const dev = loadConfig(
      { NODE_ENV: 'development', TRUST_PROXY: 'true' },
      () => undefined,
    ).config;
    expect(bootWarnings(dev)).toEqual([]);
    expect(productionWarnings(dev)).toEqual([]);
  });
});
