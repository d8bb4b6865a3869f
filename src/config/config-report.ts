import { AppConfig } from './app-config';
import { formatProblem } from './config.errors';
import { KEY_BY_NAME } from './config.schema';
import { ConfigInspection, ConfigRow } from './load-config';

/**
 * Names whose values are secrets, for keys the app does not know too (an `APP_STRIPE_KEY`, a `SENTRY_DSN`, a
 * nested `APP_MAIL__PASSWORD`): the words anywhere, and `_KEY`, `_DSN` as a name's last part.
 */
const SECRET_NAME = /SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIAL|PRIVATE|API_?KEY|(^|_)KEY$|(^|_)DSN$/i;

/** `•••• (64 chars)`: the length tells a truncated paste from a full key; the value never shows. */
export function maskSecret(value: string): string {
  return `•••• (${value.length} chars)`;
}

/** `scheme://user:password@`: the password of any URL, also one the WHATWG parser refuses (`h1,h2` hosts). */
const URL_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^:@/?#\s]*:)[^@/?#\s]*@/i;

function maskUrlPassword(value: string): string {
  return value.replace(URL_PASSWORD, '$1••••@');
}

/**
 * A value as printed under `name`: a secret name's text masked (a URL keeps its host, its password hidden),
 * any other URL's password hidden, objects and lists by their own keys, the rest as it is.
 */
function masked(name: string, value: unknown, secret = SECRET_NAME.test(name)): unknown {
  if (typeof value === 'string') {
    if (!secret) return maskUrlPassword(value);
    return name.endsWith('_URL') ? maskUrlPassword(value) : maskSecret(value);
  }
  if (Array.isArray(value)) return value.map((item) => masked(name, item, secret));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, masked(k, v)]));
  }
  return secret ? '••••' : value;
}

/** A row's value as printed: secrets masked, URLs without their password, the rest as JSON. */
export function displayValue(row: ConfigRow): string {
  if (row.value === null || row.value === undefined) return '(none)';
  // A known key is secret by its schema; the name rule is for keys the app does not know
  // (PASSWORD_RESET_TIMEOUT is no password).
  const secret = row.secret || (!KEY_BY_NAME.has(row.key) && SECRET_NAME.test(row.key));
  const shown = masked(row.key, row.value, secret);
  return typeof shown === 'string' ? shown : JSON.stringify(shown);
}

/** Advice for a configuration that is valid but risky in production, like Django's `check --deploy`. */
export function productionWarnings(config: AppConfig): string[] {
  if (config.app.env !== 'production') return [];
  const { cookie, store } = config.session;
  const warnings: string[] = [];
  if (!cookie.secure)
    warnings.push('SESSION_COOKIE_SECURE is false: the session cookie can travel over plain HTTP');
  if (!cookie.httpOnly)
    warnings.push('SESSION_COOKIE_HTTPONLY is false: page scripts can read the session cookie');
  warnings.push(...bootWarnings(config));
  if (cookie.secure && config.http.trustProxy === false) {
    warnings.push(
      'TRUST_PROXY is unset while SESSION_COOKIE_SECURE is on: behind a TLS proxy, set it so client addresses and the scheme are right',
    );
  }
  if (!/^__host-/i.test(cookie.name)) {
    warnings.push(
      `SESSION_COOKIE_NAME is ${cookie.name}: a sibling subdomain can set a cookie of that name that shadows it; use __Host-session`,
    );
  }
  if (store === 'cookie') {
    warnings.push(
      'SESSION_STORE=cookie: a cookie copied before logout stays valid until it expires (at most SESSION_ABSOLUTE_LIFETIME after its login) unless POST /logout/all; use redis to revoke at every logout',
    );
  }
  if (config.database.url.startsWith('sqlite:')) {
    warnings.push('DATABASE_URL is SQLite: fine for one instance; use postgres:// to run several');
  }
  if (config.session.secretKeyFallbacks.length > 0) {
    warnings.push(
      `SECRET_KEY_FALLBACKS holds ${config.session.secretKeyFallbacks.length} old key(s): remove them once PERMANENT_SESSION_LIFETIME has passed since the rotation`,
    );
  }
  return warnings;
}

/** Production warnings serious enough to print at every boot too, not only in `config:check`. */
export function bootWarnings(config: AppConfig): string[] {
  if (config.app.env !== 'production') return [];
  const warnings: string[] = [];
  if (config.http.trustProxy === true) {
    warnings.push(
      'TRUST_PROXY=true believes the leftmost X-Forwarded-For, which any client can set, so login throttling counts whatever address a client claims: set the number of proxies in front (TRUST_PROXY=1) or their addresses (TRUST_PROXY=10.0.0.0/8)',
    );
  }
  const mail = mailWarning(config);
  if (mail) warnings.push(mail);
  return warnings;
}

/** Mail that cannot reach anyone in production (password reset and verification then answer 503), and passkeys without a relying party. */
function mailWarning({ mail, http }: AppConfig): string | null {
  const missing = [mail.url === null && 'MAIL_URL', http.publicUrl === null && 'PUBLIC_URL'].filter(
    (key): key is string => typeof key === 'string',
  );
  if (missing.length > 0) {
    const fixes = { MAIL_URL: 'MAIL_URL=smtp://…', PUBLIC_URL: 'PUBLIC_URL=https://your.host' };
    const names = missing.join(' and ');
    const passkeys =
      http.publicUrl === null ? ', and passkeys (PUBLIC_URL names their relying party)' : '';
    return `${names} ${missing.length > 1 ? 'are' : 'is'} not set: password reset, email verification and email change${passkeys} answer 503 naming ${names}; set ${missing.map((key) => fixes[key as keyof typeof fixes]).join(' and ')}`;
  }
  if (mail.url === 'log') {
    return 'MAIL_URL=log writes every mail, reset links included, to the log and sends nothing: set MAIL_URL=smtp://… (or none to turn mail off)';
  }
  return null;
}

/** The whole `config:check` report, one line per key (`KEY  value  source`), then problems and warnings. */
export function formatReport(inspection: ConfigInspection): string {
  const cells = inspection.rows.map((row) => [row.key, displayValue(row), row.source]);
  const widths = [0, 1].map((i) => Math.max(...cells.map((c) => c[i].length)));
  const lines = cells.map(([k, v, s]) => `${k.padEnd(widths[0])}  ${v.padEnd(widths[1])}  ${s}`);
  if (inspection.ignoredFileKeys.length > 0) {
    lines.push(
      '',
      `Ignored in ${inspection.configFile} (not UPPERCASE): ${inspection.ignoredFileKeys.join(', ')}`,
    );
  }
  if (inspection.problems.length > 0) {
    lines.push('', 'Problems:', ...inspection.problems.map((p) => `- ${formatProblem(p)}`));
  }
  const warnings = inspection.loaded ? productionWarnings(inspection.loaded.config) : [];
  if (warnings.length > 0)
    lines.push('', 'Warnings (production):', ...warnings.map((w) => `- ${w}`));
  if (inspection.problems.length === 0) lines.push('', 'No problems.');
  return `${lines.join('\n')}\n`;
}
