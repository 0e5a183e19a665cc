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

/** `0-3`, `4,5,6,7`, `0-1,4`: the shard ids this process runs, sorted and without repeats. */
export function parseShardIds(value: string): number[] | string {
  const ids = new Set<number>();
  for (const part of value.split(',').map((p) => p.trim())) {
    const m = part.match(/^(\d+)(?:\s*-\s*(\d+))?$/);
    if (!m) return `"${part}" is not a shard id or range; write e.g. 0-3, 4,5,6,7 or 0-1,4`;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) return `"${part}" is an empty range; write the smaller id first`;
    // Bounded so that a typo such as 0-99999999 cannot allocate a huge list before the range check.
    if (to - from > MAX_SHARDS) return `"${part}" names more than ${MAX_SHARDS} shards`;
    for (let id = from; id <= to; id++) ids.add(id);
  }
  return [...ids].sort((a, b) => a - b);
}

/** More shards than any bot this size could need; Discord recommends one per ~1,000 servers. */
const MAX_SHARDS = 4096;

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

/** The feed settings, shared by the bot and the command line (`npm run feeds`, `npm run ingest`). */
export const feedsConfigSchema = z.object({
  FEEDS_FILE: z.string().default('data/feeds.yaml'),
  FEEDS_STATE_FILE: z.string().default('data/state/feeds.json'),
  /** Loopback and private addresses allowed (tests, intranet feeds); link-local never is. */
  FEEDS_ALLOW_PRIVATE: flag,
  FEEDS_DISABLE_AFTER: z.coerce.number().int().min(1).max(1000).default(11),
  /** Where the User-Agent points a feed's owner for who is polling. */
  FEEDS_CONTACT_URL: z
    .url({ message: 'must be a URL such as https://github.com/you/briefing-bot' })
    .optional(),
});
export type FeedsConfig = z.infer<typeof feedsConfigSchema>;

export const configSchema = llmConfigSchema
  .extend(feedsConfigSchema.shape)
  .extend({
    DISCORD_TOKEN: z.string({ message: 'missing' }).min(1, 'missing'),
    DISCORD_APP_ID: z
      .string({ message: 'missing' })
      .regex(/^\d{17,20}$/, 'must be a Discord id (17–20 digits)'),
    DISCORD_GUILD_ID: snowflake.optional(),
    DISCORD_API_URL: z.url({ message: 'must be a URL such as http://127.0.0.1:3000/api' }).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    COOLDOWN: duration('3s'),
    SHUTDOWN_TIMEOUT: duration('10s'),
    /** How long a dead process's claim on a daily post blocks its resumption; renewed while posting. */
    DAILY_CLAIM_LEASE: duration('60s').refine((ms) => ms >= 3000, 'must be at least 3s'),
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
    /** Shards of the whole bot: a number, or `auto` for Discord's recommendation; default 1 (no sharding). */
    SHARD_COUNT: z
      .union([
        z.literal('auto'),
        z.coerce
          .number({ message: 'must be a whole number of shards or auto' })
          .int('must be a whole number of shards or auto')
          .min(1, 'must be at least 1')
          .max(MAX_SHARDS, `must be at most ${MAX_SHARDS}`),
      ])
      .optional(),
    /** The shards this process runs (`0-3`, `4,5,6,7`, `0-1,4`); default all of SHARD_COUNT. */
    SHARD_IDS: z
      .string()
      .optional()
      .transform((value, ctx) => {
        if (value === undefined) return undefined;
        const ids = parseShardIds(value);
        if (typeof ids === 'string') {
          ctx.addIssue({ code: 'custom', message: ids });
          return z.NEVER;
        }
        return ids;
      }),
    /** Serve /healthz, /readyz and /metrics on this port; unset: no HTTP server. 0 picks a free port (tests). */
    HTTP_PORT: z.coerce
      .number({ message: 'must be a port number' })
      .int('must be a port number')
      .min(0, 'must be a port number (0–65535)')
      .max(65535, 'must be a port number (0–65535)')
      .optional(),
    HTTP_HOST: z.string().default('127.0.0.1'),
  })
  .superRefine(
    (config, ctx) => {
      // Runs even when other variables failed, so that every problem is listed at once: read defensively.
      const ids = config.SHARD_IDS as unknown;
      const count = config.SHARD_COUNT as unknown;
      if (ids === undefined) return;
      if (count === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['SHARD_IDS'],
          message: 'needs SHARD_COUNT: the total number of shards of the bot, over every process',
        });
      } else if (count === 'auto') {
        ctx.addIssue({
          code: 'custom',
          path: ['SHARD_IDS'],
          message:
            'needs a fixed SHARD_COUNT, not auto: processes splitting the shards must agree on their number',
        });
      } else if (typeof count === 'number' && Array.isArray(ids)) {
        const out = (ids as number[]).filter((id) => id >= count);
        if (out.length > 0)
          ctx.addIssue({
            code: 'custom',
            path: ['SHARD_IDS'],
            message: `${out.join(', ')} ${out.length === 1 ? 'is' : 'are'} out of range: with SHARD_COUNT=${count} the ids are 0–${count - 1}`,
          });
      }
    },
    { when: () => true },
  );
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
  SHARD_COUNT: "optional: the number of shards of the whole bot, or auto for Discord's recommendation",
  SHARD_IDS: 'optional: the shards this process runs, e.g. 0-3, 4,5,6,7 or 0-1,4; default all',
  HTTP_PORT: 'optional: the port of /healthz and /metrics, e.g. 9464',
};

/** The shards this process runs, out of how many; `count` is `auto` until Discord is asked. */
export interface ShardPlan {
  count: number | 'auto';
  /** Undefined: every shard of `count`. */
  ids: number[] | undefined;
}

export function shardPlan(config: Pick<Config, 'SHARD_COUNT' | 'SHARD_IDS'>): ShardPlan {
  return { count: config.SHARD_COUNT ?? 1, ids: config.SHARD_IDS };
}

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

/** Only the feed settings (the command line needs no Discord token). */
export function parseFeedsConfig(env: Readonly<Record<string, string | undefined>>): FeedsConfig {
  return parseWith(feedsConfigSchema, env);
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
