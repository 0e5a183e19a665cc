import { SlashCommandBuilder, type SlashCommandSubcommandBuilder } from 'discord.js';
import { adminOnly } from '../src/discord/admin.ts';
import type { Command, CommandContext } from '../src/discord/command.ts';
import { type MessagePayload, renderNotice, sanitize } from '../src/discord/render.ts';
import { renderFeedAdded, renderFeedList } from '../src/discord/render-feeds.ts';
import { defer, NO_MENTIONS } from '../src/discord/reply.ts';
import { UserError } from '../src/errors.ts';

/**
 * The corpus is shared by every server the bot is in, so only the bot's operators (ADMIN_USER_IDS),
 * not a server's own admins, choose its sources.
 */
function checkOperator(userId: string, ctx: CommandContext): void {
  if (!ctx.services.admins.userIds.includes(userId))
    throw new UserError(
      'not_operator',
      "/feeds is for the bot's operators (the users in ADMIN_USER_IDS): the corpus is shared by every server the bot is in.",
    );
}

const nameOption = (s: SlashCommandSubcommandBuilder) =>
  s.addStringOption((o) =>
    o
      .setName('name')
      .setDescription('The feed (see /feeds list)')
      .setRequired(true)
      .setAutocomplete(true)
      .setMaxLength(63),
  );

export default {
  data: adminOnly(
    new SlashCommandBuilder()
      .setName('feeds')
      .setDescription('Operators: the RSS, Atom and JSON feeds the corpus follows'),
  )
    .addSubcommand((s) =>
      s
        .setName('add')
        .setDescription('Fetch a feed, show its title and newest items, and subscribe')
        .addStringOption((o) =>
          o.setName('url').setDescription('The feed URL (https://…)').setRequired(true).setMaxLength(2000),
        )
        .addStringOption((o) =>
          o.setName('name').setDescription('Short name: lower-case letters, digits, dashes').setMaxLength(63),
        )
        .addStringOption((o) =>
          o
            .setName('topics')
            .setDescription('Topics to tag its articles with, comma-separated')
            .setMaxLength(200),
        )
        .addBooleanOption((o) => o.setName('dry_run').setDescription('Only show the preview; save nothing')),
    )
    .addSubcommand((s) =>
      s.setName('list').setDescription('Every feed: state, items, last success and error, next poll'),
    )
    .addSubcommand((s) => nameOption(s.setName('remove').setDescription('Unsubscribe (its articles stay)')))
    .addSubcommand((s) => nameOption(s.setName('pause').setDescription('Stop polling a feed')))
    .addSubcommand((s) =>
      nameOption(s.setName('resume').setDescription('Poll a paused or disabled feed again')),
    )
    .toJSON(),
  admin: true,
  noCooldown: true,

  async execute(interaction, ctx) {
    checkOperator(interaction.user.id, ctx);
    await defer(interaction, false);
    const feeds = ctx.services.feeds;
    const sub = interaction.options.getSubcommand(true);
    let payload: MessagePayload;
    if (sub === 'add') {
      const r = await feeds.add(
        {
          url: interaction.options.getString('url', true),
          name: interaction.options.getString('name') ?? undefined,
          topics: (interaction.options.getString('topics') ?? '')
            .split(',')
            .map((t) => t.trim())
            .filter(Boolean),
        },
        interaction.options.getBoolean('dry_run') ?? false,
      );
      if (!r.ok) throw new UserError('feed_rejected', sanitize(r.message));
      ctx.logger.info({ feed: r.subscription.name, url: r.subscription.url, saved: r.saved }, 'feed added');
      payload = renderFeedAdded(r);
    } else if (sub === 'list') {
      payload = renderFeedList(await feeds.list());
    } else {
      const name = interaction.options.getString('name', true);
      const r = sub === 'remove' ? await feeds.remove(name) : await feeds.setEnabled(name, sub === 'resume');
      if (!r.ok) throw new UserError('bad_option', sanitize(r.message));
      ctx.logger.info({ feed: name, action: sub }, r.message);
      payload = renderNotice('Feeds', [sanitize(r.message)]);
    }
    await interaction.editReply({ ...payload, allowedMentions: NO_MENTIONS });
  },

  async autocomplete(interaction, ctx) {
    if (!ctx.services.admins.userIds.includes(interaction.user.id)) return interaction.respond([]);
    const typed = interaction.options.getFocused().toLowerCase();
    const names = (await ctx.services.feeds.list().catch(() => [])).map((f) => f.subscription.name);
    await interaction.respond(
      names
        .filter((n) => n.includes(typed))
        .slice(0, 25)
        .map((n) => ({ name: n, value: n })),
    );
  },
} satisfies Command;
