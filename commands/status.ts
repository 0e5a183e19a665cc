import { SlashCommandBuilder } from 'discord.js';
import { adminOnly } from '../src/discord/admin.ts';
import type { Command } from '../src/discord/command.ts';
import { renderNotice } from '../src/discord/render.ts';
import { defer, sendPages } from '../src/discord/reply.ts';
import { shortVersion } from '../src/render/format.ts';

const duration = (ms: number) => {
  const s = Math.floor(ms / 1000);
  const [d, h, m] = [Math.floor(s / 86400), Math.floor((s % 86400) / 3600), Math.floor((s % 3600) / 60)];
  return d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${m}m` : `${m}m ${s % 60}s`;
};
const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;

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
    const stats = ctx.engine().stats();
    const last = library.last;
    const memory = process.memoryUsage();
    // /status is how an admin finds out that the state store is down: it must answer without it.
    const settings =
      interaction.guildId === null
        ? undefined
        : await daily.settings(interaction.guildId).catch((err: unknown) => {
            ctx.logger.warn({ err }, 'status: the daily settings could not be read');
            return 'unreadable' as const;
          });
    const hit = runtime.cache;
    const lines = [
      `**Corpus** ${stats.articles} articles (${stats.passages} passages), ${stats.oldest} to ${stats.newest}, version ${shortVersion(stats.corpusVersion)}`,
      last === undefined
        ? '**Last reload** none'
        : `**Last reload** ${last.at.slice(0, 16).replace('T', ' ')} UTC by ${last.by}: ${last.ok ? `${last.articles} articles, ${last.added} added, ${last.changed} changed, ${last.removed} removed, ${last.rejected.length} rejected` : `refused (${last.error})`}`,
      `**Memory** ${mb(memory.rss)} resident, ${mb(memory.heapUsed)} heap, ${mb(memory.arrayBuffers)} index arrays`,
      `**Cache** ${hit.backend}: ${Math.round(hit.hitRate * 100)}% hits (${hit.hits} hits, ${hit.misses} misses, ${hit.errors} errors), hit p50 ${hit.hitLatencyMs.p50.toFixed(1)} ms`,
      `**Summariser** ${runtime.summariser}`,
      `**State store** ${runtime.stateBackend}${settings === 'unreadable' ? ' (not answering)' : ''}`,
      `**Uptime** ${duration(Date.now() - runtime.startedAt.getTime())} · **Servers** ${runtime.guilds}`,
      settings === 'unreadable'
        ? '**Daily brief** unknown: the state store did not answer'
        : settings === undefined
          ? '**Daily brief** off here (`/daily set` to start)'
          : `**Daily brief** next <t:${Math.floor(scheduler.next(settings).getTime() / 1000)}:f> in <#${settings.channelId}>`,
    ];
    await sendPages(interaction, [renderNotice('Status', lines)], ctx, { shareable: false });
  },
} satisfies Command;
