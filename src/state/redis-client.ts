/**
 * The Redis connection of the state store and of the cluster link (`STATE_URL`). At start-up a Redis
 * that cannot be reached is either waited for, with back-off and a log line each try (the bot: a host
 * often boots before its Redis, and exiting would only hand the wait to a supervisor), or reported at
 * once (the command line: someone is watching). Once connected, the client reconnects by itself.
 */
import type { createClient } from '@keyv/redis';
import type { Logger } from 'pino';
import { UserError } from '../errors.ts';

export type RedisClient = ReturnType<
  typeof createClient<Record<string, never>, Record<string, never>, Record<string, never>, 2>
>;

/** What to do when Redis cannot be reached at start. */
export interface RedisStart {
  /**
   * Keep trying with back-off, telling this logger of each failed try. @default undefined — fail at
   * once with a {@link UserError} naming the variable and the server.
   */
  waitLogger?: Logger | undefined;
}

/** Back-off between tries at start: 0.5 s doubling up to 30 s (a Redis being restarted is back in seconds). */
const START_FIRST_MS = 500;
const START_MAX_MS = 30_000;
/** Once connected, a lost connection is retried quickly: 0.1 s doubling up to 2 s. */
const RUNNING_MAX_MS = 2000;

/** Redis's replies to a wrong password or user (a server still loading its data answers LOADING: worth waiting). */
const REFUSED_LOGIN = /^(WRONGPASS|NOAUTH|NOPERM|ERR AUTH)\b/;

/** The URL as a log may show it: without a password. */
export function redisLabel(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return 'redis://(unparsable URL)';
  }
}

/** A connected client for `url` (from `variable`, e.g. `STATE_URL`), waiting for Redis as `start` says. */
export async function connectRedis(
  url: string,
  variable: string,
  start: RedisStart = {},
  options: { disableOfflineQueue?: boolean } = {},
): Promise<RedisClient> {
  // Loaded only when used (see src/cache/keyv.ts: the Redis client slows the whole process).
  const { createClient: create } = await import('@keyv/redis');
  const where = redisLabel(url);
  let connected = false;
  let tries = 0;
  const client: RedisClient = create({
    url,
    ...options,
    socket: {
      connectTimeout: 2000,
      reconnectStrategy: (retries: number, cause: Error) => {
        if (connected) return Math.min(100 * 2 ** retries, RUNNING_MAX_MS);
        const logger = start.waitLogger;
        // An Error ends the tries: connect() rejects, and the catch below says what failed. A refused
        // login is the settings, not the moment: waiting would not cure it.
        if (logger === undefined || REFUSED_LOGIN.test(cause.message)) return cause;
        tries = retries + 1;
        const delayMs = Math.min(START_FIRST_MS * 2 ** retries, START_MAX_MS);
        logger.warn(
          { attempt: retries + 1, retryInMs: delayMs, err: cause.message },
          `${variable}: cannot reach Redis at ${where} (${cause.message}); trying again in ${delayMs / 1000} s`,
        );
        return delayMs;
      },
    },
  });
  // Errors surface on each operation; the client reconnects by itself.
  client.on('error', () => {});
  client.on('ready', () => {
    connected = true;
  });
  try {
    await client.connect();
  } catch (err) {
    const message = (err as Error).message;
    throw new UserError(
      'bad_config',
      REFUSED_LOGIN.test(message)
        ? `${variable}: Redis at ${where} refused the login (${message}): check the user and password in the URL`
        : `${variable}: cannot reach Redis at ${where}: ${message}`,
    );
  }
  if (tries > 0) start.waitLogger?.info({ tries }, `${variable}: connected to Redis at ${where}`);
  return client;
}
