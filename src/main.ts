/**
 * `npm start`: the bot. Reads `.env` and the environment, refuses to start on bad config (listing every
 * problem), logs in, and shuts down gracefully on SIGINT/SIGTERM (src/shutdown.ts).
 */
import { existsSync } from 'node:fs';
import { startApp } from './app.ts';
import { ConfigError, parseConfig } from './config.ts';
import { UserError } from './errors.ts';
import { configuredSecrets, createLogger } from './log.ts';
import { exitOnUncaught, handleSignals, SHUTDOWN_GRACE_MS } from './shutdown.ts';

if (existsSync('.env')) process.loadEnvFile('.env');

let config: ReturnType<typeof parseConfig>;
try {
  config = parseConfig(process.env);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(
    `${err.message}\nSet them in .env (see .env.example) or the environment, then run npm start again.`,
  );
  process.exit(1);
}

const logger = createLogger(config.LOG_LEVEL, undefined, configuredSecrets(config));
exitOnUncaught(logger);
try {
  const app = await startApp(config, logger, {
    // Exit non-zero so that a supervisor restarting on failure notices; the log line says what to fix.
    onFatal: () => {
      logger.flush();
      process.exit(1);
    },
  });
  handleSignals({ logger, stop: () => app.stop(), deadlineMs: config.SHUTDOWN_TIMEOUT + SHUTDOWN_GRACE_MS });
} catch (err) {
  if (err instanceof UserError) logger.fatal({ errorKind: err.id }, err.message);
  else logger.fatal({ err }, 'could not start');
  logger.flush();
  process.exit(1);
}
