import { bootWarnings, displayValue, productionWarnings } from './config-report';
import { loadConfig } from './load-config';

const STRONG = '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0';
const production = (env: NodeJS.ProcessEnv) =>
  loadConfig(
    {
      NODE_ENV: 'production',
      SECRET_KEY: STRONG,
      MAIL_URL: 'smtp://mail.example.com:587',
      PUBLIC_URL: 'https://app.example.com',
      ...env,
    },
    () => undefined,
  ).config;

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

  it('warns at boot when production has no MAIL_URL or PUBLIC_URL, naming each, and when mail only goes to the log', () => {
    const both = bootWarnings(production({ MAIL_URL: '', PUBLIC_URL: '' }));
    expect(both).toEqual([expect.stringMatching(/^MAIL_URL and PUBLIC_URL are not set: .*503/)]);
    expect(bootWarnings(production({ PUBLIC_URL: '' }))).toEqual([
      expect.stringMatching(/^PUBLIC_URL is not set/),
    ]);
    expect(bootWarnings(production({ MAIL_URL: 'log' }))).toEqual([
      expect.stringMatching(/^MAIL_URL=log writes every mail, reset links included, to the log/),
    ]);
    expect(bootWarnings(production({}))).toEqual([]);
  });

  it('masks the password of MAIL_URL and shows log or none as they are', () => {
    const row = (value: string) => ({
      key: 'MAIL_URL',
      value,
      source: 'default' as const,
      secret: true,
    });
    expect(displayValue(row('smtp://mailer:hunter2@smtp.example.com:587'))).toBe(
      'smtp://mailer:••••@smtp.example.com:587',
    );
    expect(displayValue(row('log'))).toBe('log');
    expect(displayValue(row('none'))).toBe('none');
  });

  it('masks unknown keys whose name looks secret, but not known keys such as PASSWORD_RESET_TIMEOUT', () => {
    const row = (key: string, value: unknown) => ({
      key,
      value,
      source: 'default' as const,
      secret: false,
    });
    expect(displayValue(row('PASSWORD_RESET_TIMEOUT', 3600))).toBe('3600');
    expect(displayValue(row('EMAIL_TOKEN_TIMEOUT', 259200))).toBe('259200');
    expect(displayValue(row('PASSWORD_HASH_CONCURRENCY', 4))).toBe('4');
    expect(displayValue(row('STRIPE_API_TOKEN', 'sk_live_x'))).toBe('•••• (9 chars)');
  });
});

describe(displayValue.name, () => {
  const row = (key: string, value: unknown, secret = false) =>
    displayValue({ key, value, source: 'env:X', secret });

  it.each([
    ['STRIPE_KEY', 'sk_live_abc123'],
    ['SENTRY_DSN', 'https://abc123@o1.ingest.sentry.io/1'],
    ['GITHUB_TOKEN', 'ghp_abc123'],
    ['SMTP_PASSWORD', 'abc123'],
    ['WEBHOOK_SECRET', 'abc123'],
  ])('masks %s, a key it does not know whose name looks secret', (key, value) => {
    expect(row(key, value)).toBe(`•••• (${value.length} chars)`);
  });

  it('masks the password of any URL, whatever its key is called', () => {
    expect(row('MONGO_URL', 'mongodb://app:abc123@h1:27017,h2:27017/db')).toBe(
      'mongodb://app:••••@h1:27017,h2:27017/db',
    );
    expect(row('CACHE', 'redis://:abc123@cache:6379')).toBe('redis://:••••@cache:6379');
    expect(row('DATABASE_URL', 'postgres://app:abc123@db/app', true)).toBe(
      'postgres://app:••••@db/app',
    );
    expect(row('HOMEPAGE', 'https://example.com/a')).toBe('https://example.com/a');
  });

  it('masks nested values by their own names, and a known secret whatever its name', () => {
    const shown = row('SERVICES', { STRIPE: { API_KEY: 'abc123', MODE: 'live' }, URL: 'x' });
    expect(shown).toBe('{"STRIPE":{"API_KEY":"•••• (6 chars)","MODE":"live"},"URL":"x"}');
    expect(row('SECRET_KEY_FALLBACKS', ['old-key'], true)).toBe('["•••• (7 chars)"]');
    expect(row('PORT', 3000)).toBe('3000');
  });
});
