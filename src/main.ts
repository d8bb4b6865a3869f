import { LoadedConfig } from './config/app-config';
import { EXIT_CONFIG, EXIT_UNAVAILABLE } from './common/exit-codes';
import { ConfigError } from './config/config.errors';
import { loadProcessConfig } from './config/process-config';
import type { LogFormat } from './common/app-logger';

/**
 * Validates the configuration before Nest exists: a bad config exits 78 without ever listening. Its warnings
 * are kept for `logBootWarnings`, which knows `LOG_FORMAT`; a refused boot prints them as text.
 */
function loadOrExit(warnings: string[]): LoadedConfig | undefined {
  try {
    return loadProcessConfig((line) => warnings.push(line));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const line of warnings) process.stderr.write(`WARN ${line}\n`);
    process.stderr.write(
      `${error.message}\n\nThe app did not start. \`npm run config:check\` shows every key and its source.\n`,
    );
    process.exitCode = EXIT_CONFIG;
    return undefined;
  }
}

/** Boot warnings as `WARN <line>` on stderr, or as JSON records (`LOG_FORMAT=json`). */
async function logBootWarnings(warnings: string[], format: LogFormat): Promise<void> {
  if (format === 'text') {
    for (const line of warnings) process.stderr.write(`WARN ${line}\n`);
    return;
  }
  const { AppLogger } = await import('./common/app-logger.js');
  const logger = new AppLogger('json', ['warn']);
  for (const line of warnings) logger.warn(line, 'Config');
}

async function bootstrap(): Promise<void> {
  const warnings: string[] = [];
  const loaded = loadOrExit(warnings);
  if (loaded === undefined) return;
  const { config } = loaded;
  format = config.log.format;
  await logBootWarnings(warnings, format);
  // Nest and the HTTP platform load only after the configuration is valid, so a bad one fails fast.
  const { createApp } = await import('./create-app.js');
  const app = await createApp(loaded);
  // SIGTERM/SIGINT drain the open connections, then close the app (and its pools) and exit 0; only the real
  // process needs the signal handlers.
  const { closeGracefullyOnSignals } = await import('./common/graceful-shutdown.js');
  closeGracefullyOnSignals(app);
  await app.listen(config.http.port, config.http.host);
  const { Logger } = await import('@nestjs/common');
  new Logger('Bootstrap').log(
    `listening on http://${config.http.host === '0.0.0.0' ? 'localhost' : config.http.host}:${config.http.port} (${config.app.env}, ${config.http.adapter}, ${config.session.store} sessions)`,
  );
}

/** `LOG_FORMAT`, once the configuration is loaded; a failure before that is told as text. */
let format: LogFormat = 'text';

bootstrap().catch(async (error: unknown) => {
  // A boot failure is one clear line (e.g. the database is down), not a stack trace; the port never opened.
  const message = `The app did not start: ${error instanceof Error ? error.message : String(error)}`;
  process.exitCode = EXIT_UNAVAILABLE;
  if (format === 'text') {
    process.stderr.write(`${message}\n`);
  } else {
    const { AppLogger } = await import('./common/app-logger.js');
    new AppLogger('json', ['fatal']).fatal(message, 'Bootstrap');
  }
});
