import { SlashCommandBuilder } from 'discord.js';
import { settleWithin } from '../src/deadline.ts';
import { adminOnly } from '../src/discord/admin.ts';
import type { Command } from '../src/discord/command.ts';
import { renderStatus } from '../src/discord/render-status.ts';
import { defer, sendPages } from '../src/discord/reply.ts';

/** How long /status waits for the shared store's process list before it answers without it. */
const STATUS_STORE_MS = 2000;

export default {
  data: adminOnly(
    new SlashCommandBuilder()
      .setName('status')
      .setDescription('Admins: corpus, cache, schedule and health of the bot'),
  ).toJSON(),
  admin: true,
  noCooldown: true,

  async execute(interaction, ctx) {
    await defer(interaction, false);
    const { library, daily, scheduler } = ctx.services;
    const runtime = ctx.services.runtime();
    // /status is how an admin finds out that the state store is down: it must answer without it.
    const settings =
      interaction.guildId === null
        ? undefined
        : await daily.settings(interaction.guildId).catch((err: unknown) => {
            ctx.logger.warn({ err }, 'status: the daily settings could not be read');
            return 'unreadable' as const;
          });
    // One line per process sharing the state store: a host left on an old corpus stands out.
    const processes = await settleWithin(ctx.services.cluster.processes(), STATUS_STORE_MS, []);
    const status = renderStatus({
      processes,
      self: ctx.services.cluster.self,
      stats: ctx.engine().stats(),
      lastReload: library.last,
      memory: process.memoryUsage(),
      cache: runtime.cache,
      summariser: runtime.summariser,
      stateBackend: runtime.stateBackend,
      uptimeMs: Date.now() - runtime.startedAt.getTime(),
      guilds: runtime.guilds,
      daily:
        settings === undefined || settings === 'unreadable'
          ? settings
          : { channelId: settings.channelId, next: scheduler.next(settings) },
    });
    await sendPages(interaction, [status], ctx, { shareable: false });
  },
} satisfies Command;
