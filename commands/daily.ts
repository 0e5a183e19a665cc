import { ChannelType, SlashCommandBuilder } from 'discord.js';
import { checkTimezone, type DailySettings } from '../src/daily/schedule.ts';
import { adminOnly } from '../src/discord/admin.ts';
import type { Command, CommandContext } from '../src/discord/command.ts';
import { type MessagePayload, renderDigest, sanitize } from '../src/discord/render.ts';
import {
  renderDailyOff,
  renderDailyPosted,
  renderDailySet,
  renderDailyShow,
} from '../src/discord/render-daily.ts';
import { defer, sendPages } from '../src/discord/reply.ts';
import { UserError } from '../src/errors.ts';

/** `8:05` → `08:05`; anything else is a clear error. */
function parseTime(raw: string): string {
  const m = raw.trim().match(/^(\d{1,2}):(\d{2})$/);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59)
    throw new UserError(
      'bad_option',
      `time "${sanitize(raw)}": write a 24-hour time such as 08:00 or 17:30.`,
    );
  return `${m[1]!.padStart(2, '0')}:${m[2]}`;
}

/** Comma-separated topics, each one the corpus knows (curated or discovered); stored as slugs. */
function parseTopics(raw: string | null, ctx: CommandContext): string[] {
  if (raw === null || raw.trim() === '') return [];
  const engine = ctx.engine();
  const slugs: string[] = [];
  for (const part of raw
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)) {
    const resolved = engine.resolveTopic(part);
    if (resolved.kind === 'free-text') {
      const hint = engine.suggestTopics(part, 3).map((t) => `\`${t.slug}\``);
      throw new UserError(
        'unknown_topic',
        `"${sanitize(part)}" is not a known topic.${hint.length ? ` Did you mean ${hint.join(', ')}?` : ''} See /topics.`,
      );
    }
    if (!slugs.includes(resolved.topic.slug)) slugs.push(resolved.topic.slug);
  }
  if (slugs.length > 10) throw new UserError('bad_option', 'topics: at most 10.');
  return slugs;
}

async function settingsOrExplain(guildId: string, ctx: CommandContext): Promise<DailySettings> {
  const settings = await ctx.services.daily.settings(guildId);
  if (settings === undefined)
    throw new UserError(
      'bad_option',
      'The daily brief is off here. Start it with `/daily set channel: time: timezone:`.',
    );
  return settings;
}

export default {
  data: adminOnly(
    new SlashCommandBuilder()
      .setName('daily')
      .setDescription('Admins: the daily briefing posted to a channel'),
  )
    .addSubcommand((s) =>
      s
        .setName('set')
        .setDescription('Post a daily briefing to a channel at a time')
        .addChannelOption((o) =>
          o
            .setName('channel')
            .setDescription('Where to post')
            .setRequired(true)
            .addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement),
        )
        .addStringOption((o) =>
          o.setName('time').setDescription('HH:MM, 24-hour, e.g. 08:00').setRequired(true).setMaxLength(5),
        )
        .addStringOption((o) =>
          o
            .setName('timezone')
            .setDescription('IANA time zone, e.g. Europe/Berlin or UTC')
            .setRequired(true)
            .setMaxLength(64)
            .setAutocomplete(true),
        )
        .addStringOption((o) =>
          o
            .setName('topics')
            .setDescription('Topics to cover first, comma-separated slugs')
            .setMaxLength(500),
        )
        .addBooleanOption((o) =>
          o
            .setName('quiet')
            .setDescription('Post nothing on days with nothing new (default: say so in one line)'),
        ),
    )
    .addSubcommand((s) => s.setName('show').setDescription('The daily briefing settings, next and last post'))
    .addSubcommand((s) => s.setName('off').setDescription('Stop the daily briefing here'))
    .addSubcommand((s) => s.setName('preview').setDescription('Show me the next post, without posting it'))
    .addSubcommand((s) => s.setName('now').setDescription('Post the daily briefing now'))
    .toJSON(),
  admin: true,

  async execute(interaction, ctx) {
    const guildId = interaction.guildId;
    if (guildId === null) throw new UserError('bad_option', '/daily works only in a server.');
    const { daily, scheduler } = ctx.services;
    const sub = interaction.options.getSubcommand(true);
    await defer(interaction, false);
    const reply = (notice: MessagePayload) => sendPages(interaction, [notice], ctx, { shareable: false });

    if (sub === 'set') {
      const channelId = String(interaction.options.get('channel', true).value);
      const time = parseTime(interaction.options.getString('time', true));
      const timezone = interaction.options.getString('timezone', true).trim();
      const badZone = checkTimezone(timezone);
      if (badZone !== undefined) throw new UserError('bad_option', sanitize(badZone));
      const topics = parseTopics(interaction.options.getString('topics'), ctx);
      const cannot = await ctx.services.checkChannel(guildId, channelId);
      if (cannot !== undefined) throw new UserError('bad_option', cannot);
      const settings: DailySettings = {
        guildId,
        channelId,
        time,
        timezone,
        topics,
        quiet: interaction.options.getBoolean('quiet') ?? false,
        setBy: interaction.user.tag,
        setAt: scheduler.now().toISOString(),
      };
      await daily.save(settings);
      void scheduler.tick();
      return reply(renderDailySet(settings, scheduler.next(settings)));
    }
    if (sub === 'off') {
      const had = await daily.settings(guildId);
      await daily.remove(guildId);
      return reply(renderDailyOff(had !== undefined));
    }
    const settings = await settingsOrExplain(guildId, ctx);
    if (sub === 'show') {
      const [last, failure] = await Promise.all([daily.lastPost(guildId), daily.failure(guildId)]);
      return reply(renderDailyShow(settings, scheduler.next(settings), last, failure));
    }
    if (sub === 'preview') {
      const digest = await scheduler.preview(settings);
      return sendPages(interaction, renderDigest(digest, 'Preview: nothing has been posted.'), ctx, {
        shareable: false,
      });
    }
    // now
    const outcome = await scheduler.postNow(settings);
    if (!outcome.posted)
      throw new UserError(
        'post_failed',
        `Could not post in <#${settings.channelId}>: ${sanitize(outcome.error ?? outcome.reason)}.`,
      );
    return reply(renderDailyPosted(settings.channelId, outcome.record));
  },

  async autocomplete(interaction) {
    const typed = interaction.options.getFocused().toLowerCase();
    const zones = ['UTC', ...Intl.supportedValuesOf('timeZone')];
    const matches = zones.filter((z) => z.toLowerCase().includes(typed)).slice(0, 25);
    await interaction.respond(matches.map((z) => ({ name: z, value: z })));
  },
} satisfies Command;
