import { LoadedConfig } from './config/app-config';
import { EXIT_CONFIG, EXIT_UNAVAILABLE } from './common/exit-codes';
import { ConfigError } from './config/config.errors';
import { loadProcessConfig } from './config/process-config';

/** Validates the configuration before Nest exists: a bad config exits 78 without ever listening. */
function loadOrExit(): LoadedConfig | undefined {
  try {
    return loadProcessConfig((line) => process.stderr.write(`WARN ${line}\n`));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(
      `${error.message}\n\nThe app did not start. \`npm run config:check\` shows every key and its source.\n`,
    );
    process.exitCode = EXIT_CONFIG;
    return undefined;
  }
}

async function bootstrap(): Promise<void> {
  const loaded = loadOrExit();
  if (loaded === undefined) return;
  const { config } = loaded;
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

bootstrap().catch((error: unknown) => {
  // A boot failure is one clear line (e.g. the database is down), not a stack trace; the port never opened.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`The app did not start: ${message}\n`);
  process.exitCode = EXIT_UNAVAILABLE;
});
