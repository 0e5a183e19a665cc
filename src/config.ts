/**
 * The bot's configuration: one zod schema over the environment (and `.env`), parsed once at start-up.
 * Every missing or malformed value is reported at once, each with how to fix it.
 */
import { z } from 'zod';
import { readStoreUrl } from './store-url.ts';

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17–20 digits)');

/** A store URL: `memory:`, `sqlite://<file>` or `redis://host:port`. */
const storeUrl = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .superRefine((value, ctx) => {
      // The issue's path names the variable; the message says what is wrong with its value.
      const read = readStoreUrl(value);
      if ('problem' in read) ctx.addIssue({ code: 'custom', message: read.problem });
    });

/** A comma-separated list of Discord ids. */
const idList = z
  .string()
  .default('')
  .transform((value, ctx) => {
    const ids = value
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '');
    const bad = ids.filter((id) => !/^\d{17,20}$/.test(id));
    if (bad.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `${bad.map((b) => `"${b}"`).join(', ')} is not a Discord id (17–20 digits)`,
      });
      return z.NEVER;
    }
    return ids;
  });

/** `90s`, `30m`, `24h`, `7d`, or a number of seconds. */
export function parseDuration(value: string): number | undefined {
  const m = value.trim().match(/^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/);
  if (!m) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? 's') as 'ms'];
  return Number(m[1]) * unit;
}

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const ms = parseDuration(value);
      if (ms === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `"${value}" is not a duration; write e.g. 90s, 30m, 24h or 7d`,
        });
        return z.NEVER;
      }
      return ms;
    });

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .default('false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** The LLM settings, shared by the bot and the command line. Without OPENAI_API_KEY the summaries are offline. */
export const llmConfigSchema = z.object({
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.url({ message: 'must be a URL such as http://localhost:11434/v1' }).optional(),
  OPENAI_MODEL: z.string().default('gpt-4o-mini'),
  OPENAI_TIMEOUT: duration('20s'),
  OPENAI_MAX_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  OPENAI_CONTEXT_TOKENS: z.coerce.number().int().min(1024).max(2_000_000).default(8192),
  OPENAI_TOKEN_LIMIT_FIELD: z
    .enum(['max_completion_tokens', 'max_tokens'], { message: 'must be max_completion_tokens or max_tokens' })
    .default('max_completion_tokens'),
  LLM_KEEP_UNSUPPORTED: flag,
  PROMPTS_DIR: z.string().default('prompts'),
});
export type LlmConfig = z.infer<typeof llmConfigSchema>;

export const configSchema = llmConfigSchema.extend({
  DISCORD_TOKEN: z.string({ message: 'missing' }).min(1, 'missing'),
  DISCORD_APP_ID: z
    .string({ message: 'missing' })
    .regex(/^\d{17,20}$/, 'must be a Discord id (17–20 digits)'),
  DISCORD_GUILD_ID: snowflake.optional(),
  DISCORD_API_URL: z.url({ message: 'must be a URL such as http://127.0.0.1:3000/api' }).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  COOLDOWN: duration('3s'),
  SHUTDOWN_TIMEOUT: duration('10s'),
  CORPUS_DIR: z.string().default('data/articles'),
  TOPICS_FILE: z.string().default('data/topics.json'),
  SYNONYMS_FILE: z.string().default('data/synonyms.json'),
  INDEX_CACHE_DIR: z.string().default('.cache/index'),
  CACHE_URL: storeUrl('sqlite://data/cache/answers.sqlite'),
  CACHE_TTL: duration('24h'),
  PUBLIC_BY_DEFAULT: flag,
  STATE_URL: storeUrl('sqlite://data/state/state.sqlite'),
  ADMIN_ROLE_IDS: idList,
  ADMIN_USER_IDS: idList,
  CORPUS_WATCH: flag,
});
export type Config = z.infer<typeof configSchema>;

/** How to fix each variable, shown under its problem. */
const HINTS: Record<string, string> = {
  DISCORD_TOKEN:
    'the bot token: Discord Developer Portal → your application → Bot → Reset Token; put DISCORD_TOKEN=… in .env',
  DISCORD_APP_ID:
    'the application id: Developer Portal → your application → General Information → Application ID',
  DISCORD_GUILD_ID: 'optional: a server id (Developer Mode → right-click the server → Copy Server ID)',
  DISCORD_API_URL: 'optional: only for tests or a proxy; leave it unset for Discord itself',
  ADMIN_ROLE_IDS: 'comma-separated role ids (Developer Mode → right-click a role → Copy Role ID)',
  ADMIN_USER_IDS: 'comma-separated user ids (Developer Mode → right-click a user → Copy User ID)',
  STATE_URL: 'where daily-post settings and records live: sqlite://<file> or redis://host:port',
};

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses the environment; throws a {@link ConfigError} listing every problem. Empty values count as unset. */
export function parseConfig(env: Readonly<Record<string, string | undefined>>): Config {
  return parseWith(configSchema, env);
}

/** Only the LLM settings (the command line needs no Discord token). */
export function parseLlmConfig(env: Readonly<Record<string, string | undefined>>): LlmConfig {
  return parseWith(llmConfigSchema, env);
}

function parseWith<T extends z.ZodType>(
  schema: T,
  env: Readonly<Record<string, string | undefined>>,
): z.infer<T> {
  const present = Object.fromEntries(
    Object.entries(env)
      .filter(([, v]) => v !== undefined && v.trim() !== '')
      .map(([k, v]) => [k, v!.trim()]),
  );
  const parsed = schema.safeParse(present);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? 'config');
    const hint = HINTS[name];
    return `${name}: ${issue.message}${hint ? ` (${hint})` : ''}`;
  });
  throw new ConfigError(problems);
}
