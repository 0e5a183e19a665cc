/**
 * How the bot process ends. The first SIGINT or SIGTERM starts a graceful stop (no new interactions,
 * those in flight finish, stores close) under an overall deadline; a second signal, or the deadline,
 * ends the process at once with exit code 1. An uncaught exception or unhandled rejection is logged
 * at fatal level before the process exits 1, instead of leaving only a raw stack on stderr.
 */
import type { EventEmitter } from 'node:events';
import type { Logger } from 'pino';

/** Time allowed beyond the drain for the scheduler, the gateway and the stores to close. */
export const SHUTDOWN_GRACE_MS = 5000;

export interface ShutdownOptions {
  logger: Logger;
  /** Stops the bot gracefully. */
  stop(): Promise<void>;
  /** Longest wait for `stop` after the first signal before exiting anyway, in ms. */
  deadlineMs: number;
  /** The process (tests pass a stand-in). Default `process`. */
  on?: EventEmitter;
  /** Ends the process. Default `process.exit`. */
  exit?: (code: number) => void;
}

/** Logs uncaught errors at fatal level, then exits 1. Installed before anything else can throw. */
export function exitOnUncaught(logger: Logger, options: Pick<ShutdownOptions, 'on' | 'exit'> = {}): void {
  const on = options.on ?? process;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const fatal = (kind: string) => (err: unknown) => {
    logger.fatal({ err }, `${kind}: exiting`);
    logger.flush();
    exit(1);
  };
  on.on('uncaughtException', fatal('uncaught exception'));
  on.on('unhandledRejection', fatal('unhandled promise rejection'));
}

/** Installs the SIGINT/SIGTERM handling described above. */
export function handleSignals(options: ShutdownOptions): void {
  const on = options.on ?? process;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const { logger } = options;
  let stopping = false;
  let exited = false;
  const end = (code: number) => {
    if (exited) return;
    exited = true;
    logger.flush();
    exit(code);
  };
  const onSignal = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal while shutting down: exiting at once');
      end(1);
      return;
    }
    stopping = true;
    logger.info({ signal, deadlineMs: options.deadlineMs }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.error({ deadlineMs: options.deadlineMs }, 'shutdown did not finish in time: exiting at once');
      end(1);
    }, options.deadlineMs);
    options.stop().then(
      () => {
        clearTimeout(deadline);
        logger.info('stopped');
        end(0);
      },
      (err: unknown) => {
        clearTimeout(deadline);
        logger.error({ err }, 'shutdown failed');
        end(1);
      },
    );
  };
  on.on('SIGINT', () => onSignal('SIGINT'));
  on.on('SIGTERM', () => onSignal('SIGTERM'));
}
