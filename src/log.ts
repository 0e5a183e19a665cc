import pino, { type DestinationStream, type Logger } from 'pino';

/** Paths whose values never reach a log line: tokens and API keys, wherever they appear. */
export const REDACT_PATHS = [
  'token',
  '*.token',
  'DISCORD_TOKEN',
  '*.DISCORD_TOKEN',
  'OPENAI_API_KEY',
  '*.OPENAI_API_KEY',
  'apiKey',
  '*.apiKey',
  'authorization',
  '*.authorization',
  '*.headers.authorization',
];

const CENSOR = '[redacted]';
/** The token in an interaction callback or webhook URL: it lets anyone answer as the bot for 15 minutes. */
const URL_TOKEN = /(\/(?:interactions|webhooks)\/\d+\/)[A-Za-z0-9_.-]{8,}/g;

/**
 * Removes secrets from one serialised log line by value: each of `secrets` (as written inside a JSON
 * string) and any interaction or webhook token in a URL, wherever they stand (a message, a stack, an
 * upstream error echoing the key). Field-name redaction alone misses those.
 */
export function redactSecrets(line: string, secrets: readonly string[]): string {
  let out = line;
  for (const secret of secrets) out = out.replaceAll(secret, CENSOR);
  return out.replace(URL_TOKEN, `$1${CENSOR}`);
}

/** The values the bot's logger redacts wherever they appear: the configured token and model key. */
export function configuredSecrets(config: {
  DISCORD_TOKEN: string;
  OPENAI_API_KEY?: string | undefined;
}): (string | undefined)[] {
  return [config.DISCORD_TOKEN, config.OPENAI_API_KEY];
}

/**
 * The process logger: JSON lines on stdout (or `destination`), secrets redacted by field name and, for
 * `secrets` (the configured token and key; values shorter than 8 characters are ignored, as they would
 * censor ordinary words), by value.
 */
export function createLogger(
  level: string,
  destination?: DestinationStream,
  secrets: readonly (string | undefined)[] = [],
): Logger {
  const values = secrets
    .filter((s): s is string => s !== undefined && s.length >= 8)
    .map((s) => JSON.stringify(s).slice(1, -1));
  // pino's own default: synchronous writes to stdout, so nothing is lost when the process exits.
  const target: DestinationStream & { flush?: (cb: (err?: Error) => void) => void } =
    destination ?? pino.destination(1);
  const redacting: DestinationStream & { flush?: (cb: (err?: Error) => void) => void } = {
    write: (line: string) => target.write(redactSecrets(line, values)),
  };
  if (typeof target.flush === 'function') redacting.flush = (cb) => target.flush?.(cb);
  return pino({ level, redact: { paths: REDACT_PATHS, censor: CENSOR } }, redacting);
}
