import { Client, Events, GatewayIntentBits } from 'discord.js';
import type { Logger } from 'pino';
import { NO_MENTIONS } from './reply.ts';
import type { Router } from './router.ts';

export interface DiscordOptions {
  token: string;
  /** REST base (`https://discord.com/api` when unset); the tests point it at a loopback fake. */
  apiUrl?: string | undefined;
  router: Router;
  logger: Logger;
  /** Called after a close code that reconnecting cannot cure (bad token, disallowed intents); default none. */
  onFatal?: (code: number) => void;
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
  stop(timeoutMs: number): Promise<void>;
}

/** Logs in and resolves once the gateway says READY and every guild has arrived. */
export async function connect(options: DiscordOptions): Promise<RunningClient> {
  const { router, logger } = options;
  // Slash commands need no privileged intents: Guilds alone gives channels and permissions.
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: NO_MENTIONS,
    ...(options.apiUrl ? { rest: { api: options.apiUrl } } : {}),
  });
  client.on(Events.InteractionCreate, (interaction) => void router.handle(interaction));
  client.on(Events.Error, (err) => logger.error({ err }, 'discord client error'));
  client.on(Events.Warn, (message) => logger.warn({ message }, 'discord client warning'));
  client.on(Events.ShardDisconnect, (event, shard) => {
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
