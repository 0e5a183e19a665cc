import { Client, Events, GatewayIntentBits, REST, Routes, Status } from 'discord.js';
import type { Logger } from 'pino';
import type { ShardPlan } from '../config.ts';
import type { ShardHealth } from '../http/server.ts';
import { type IdentifyClaims, sharedIdentifyThrottler } from './identify.ts';
import { NO_MENTIONS } from './reply.ts';
import type { Router } from './router.ts';

export interface DiscordOptions {
  token: string;
  /** REST base (`https://discord.com/api` when unset); the tests point it at a loopback fake. */
  apiUrl?: string | undefined;
  router: Router;
  logger: Logger;
  /** The shards to run; default shard 0 of 1. */
  shards?: ShardPlan;
  /** Called after a close code that reconnecting cannot cure (bad token, disallowed intents); default none. */
  onFatal?: (code: number) => void;
  /**
   * A lease the processes share, to pace IDENTIFYs over all of them (see identify.ts). @default
   * undefined — discord.js paces this process's shards only.
   */
  identifyClaims?: IdentifyClaims | undefined;
}

/** Gateway close codes after which discord.js does not reconnect, with what the operator must do. */
const FATAL_CLOSE: Record<number, string> = {
  4004: 'the token was rejected: reset it (Developer Portal → Bot → Reset Token) and set DISCORD_TOKEN',
  4010: 'an invalid shard was sent: check the shard settings',
  4011: 'the bot is in too many servers for one connection: it needs sharding',
  4012: 'an invalid gateway API version was requested: update discord.js',
  4013: 'invalid intents were requested: check the intents the client asks for',
  4014: 'a privileged intent is not enabled: enable it in the Developer Portal (Bot → Privileged Gateway Intents) or stop requesting it',
};

/** The logged-in bot: stop() turns new interactions away, waits for those in flight, then disconnects. */
export interface RunningClient {
  client: Client<true>;
  /** The shards this process runs, and the bot's total (resolved when SHARD_COUNT is auto). */
  shardIds: readonly number[];
  shardCount: number;
  /** Each shard's status, latency and since when it has been down. */
  shardHealth(): ShardHealth[];
  stop(timeoutMs: number): Promise<void>;
}

/** Logs in and resolves once the gateway says READY and every guild has arrived. */
export async function connect(options: DiscordOptions): Promise<RunningClient> {
  const { router, logger } = options;
  const { shardIds, shardCount } = await resolveShards(options);
  const claims = options.identifyClaims;
  logger.info({ shards: shardIds, shardCount }, 'connecting shards');
  // Slash commands need no privileged intents: Guilds alone gives channels and permissions.
  // `shards` and `shardCount` are always given: left at their defaults, discord.js reads SHARDS and
  // SHARD_COUNT from the environment (its ShardingManager's way to talk to its children), where our
  // SHARD_COUNT=auto would become NaN and SHARD_IDS would be ignored.
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: NO_MENTIONS,
    shards: [...shardIds],
    shardCount,
    ...(options.apiUrl ? { rest: { api: options.apiUrl } } : {}),
    ...(claims === undefined
      ? {}
      : {
          ws: {
            buildIdentifyThrottler: async (manager) =>
              sharedIdentifyThrottler(
                (await manager.fetchGatewayInformation()).session_start_limit.max_concurrency,
                claims,
                { logger },
              ),
          },
        }),
  });
  client.on(Events.InteractionCreate, (interaction) => void router.handle(interaction));
  client.on(Events.Error, (err) => logger.error({ err }, 'discord client error'));
  client.on(Events.Warn, (message) => logger.warn({ message }, 'discord client warning'));
  // Since when each shard has not been ready: /healthz forgives a short resume, not a long outage.
  const downSince = new Map<number, number>(shardIds.map((id) => [id, Date.now()]));
  const down = (shard: number) => {
    if (!downSince.has(shard)) downSince.set(shard, Date.now());
  };
  client.on(Events.ShardReady, (shard) => downSince.delete(shard));
  client.on(Events.ShardResume, (shard, replayed) => {
    downSince.delete(shard);
    // Said at info: a resume is the gateway working as designed, but an operator counting drops needs it.
    logger.info({ shard, replayed }, 'shard resumed');
  });
  client.on(Events.ShardReconnecting, (shard) => {
    down(shard);
    logger.warn({ shard }, 'shard reconnecting');
  });
  client.on(Events.ShardError, (err, shard) => {
    down(shard);
    logger.warn({ err, shard }, 'shard error');
  });
  client.on(Events.ShardDisconnect, (event, shard) => {
    down(shard);
    const fatal = FATAL_CLOSE[event.code];
    if (fatal === undefined) return logger.warn({ code: event.code, shard }, 'gateway disconnected');
    logger.fatal({ code: event.code, shard }, `gateway closed for good: ${fatal}`);
    options.onFatal?.(event.code);
  });
  const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(options.token);
  const readyClient = await ready;
  logger.info({ user: readyClient.user.tag, guilds: readyClient.guilds.cache.size }, 'logged in');
  return {
    client: readyClient,
    shardIds,
    shardCount,
    shardHealth: () =>
      shardIds.map((id) => {
        const shard = readyClient.ws.shards.get(id);
        const ready = shard?.status === Status.Ready;
        if (ready) downSince.delete(id);
        else down(id);
        return {
          id,
          ready,
          status: shard === undefined ? 'Missing' : (Status[shard.status] ?? String(shard.status)),
          pingMs: shard?.ping ?? -1,
          downSince: ready ? undefined : downSince.get(id),
        };
      }),
    async stop(timeoutMs: number) {
      router.closing = true;
      const drained = await router.drain(timeoutMs);
      if (!drained)
        logger.warn({ inFlight: router.busy }, 'shutdown: gave up waiting for interactions in flight');
      await client.destroy();
      logger.info('disconnected from Discord');
    },
  };
}

/** How long asking Discord for its recommended shard count may take before start-up gives up. */
const GATEWAY_TIMEOUT_MS = 15_000;

/** The shard ids and total; `auto` asks Discord (`GET /gateway/bot`) for its recommendation. */
export async function resolveShards(
  options: Pick<DiscordOptions, 'shards' | 'token' | 'apiUrl'>,
): Promise<{ shardIds: number[]; shardCount: number }> {
  const plan = options.shards ?? { count: 1, ids: undefined };
  let count: number;
  if (plan.count === 'auto') {
    const rest = new REST({
      timeout: GATEWAY_TIMEOUT_MS,
      ...(options.apiUrl ? { api: options.apiUrl } : {}),
    });
    const info = (await rest.setToken(options.token).get(Routes.gatewayBot())) as { shards?: unknown };
    if (typeof info.shards !== 'number' || !Number.isInteger(info.shards) || info.shards < 1)
      throw new Error(`GET /gateway/bot recommended no usable shard count (${String(info.shards)})`);
    count = info.shards;
  } else count = plan.count;
  return { shardIds: plan.ids ?? Array.from({ length: count }, (_, i) => i), shardCount: count };
}
