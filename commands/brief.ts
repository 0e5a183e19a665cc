import { SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import { renderBriefing, renderNotice, sanitize } from '../src/discord/render.ts';
import { defer, isPublic, sendPages, sinceOption, sinceOptionData } from '../src/discord/reply.ts';
import { checkQuery, MAX_TOPIC_CHARS } from '../src/engine/engine.ts';
import { briefRemembered, isSinceLast } from '../src/state/since-last.ts';

export default {
  data: new SlashCommandBuilder()
    .setName('brief')
    .setDescription('A source-cited briefing on a topic')
    .addStringOption((o) =>
      o
        .setName('topic')
        .setDescription('A topic slug, alias or any words, e.g. kataib-hezbollah')
        .setRequired(true)
        .setMaxLength(MAX_TOPIC_CHARS)
        .setAutocomplete(true),
    )
    .addStringOption(sinceOptionData)
    .addBooleanOption((o) =>
      o.setName('public').setDescription('Post the briefing in the channel for everyone'),
    )
    .toJSON(),

  async execute(interaction, ctx) {
    const topic = checkQuery(interaction.options.getString('topic', true), MAX_TOPIC_CHARS, 'topic');
    const since = sinceOption(interaction);
    const publicReply = isPublic(interaction, ctx);
    await defer(interaction, publicReply);
    const { history, library } = ctx.services;
    const outcome = await briefRemembered(
      ctx.engine(),
      {
        history,
        firstSeen: (id) => library.firstSeen(id),
        now: () => library.now(),
        onRecordFailure: (err) => ctx.logger.warn({ err }, 'could not record the briefing history'),
        onReadFailure: (err) => ctx.logger.warn({ err }, 'could not read the briefing history'),
      },
      interaction.user.id,
      topic,
      since,
    );
    const { briefing } = outcome;
    ctx.logger.info(
      {
        status: briefing.status,
        cached: briefing.cached,
        sources: briefing.sources.length,
        sinceLast: isSinceLast(since),
      },
      'brief',
    );
    if (outcome.kind === 'nothing-new') {
      const notice = renderNotice(`Briefing: ${sanitize(outcome.topicName)}`, [outcome.reason]);
      await sendPages(interaction, [notice], ctx, { shareable: false });
    } else {
      const pages = renderBriefing(briefing);
      if (outcome.note !== undefined) pages[0] = { ...pages[0]!, content: outcome.note };
      await sendPages(interaction, pages, ctx, { shareable: briefing.status === 'answered' });
    }
    // After the reply, so that a slow state store never holds it.
    await outcome.remember();
  },

  async autocomplete(interaction, ctx) {
    const typed = interaction.options.getFocused();
    const choices = ctx
      .engine()
      .suggestTopics(typed, 25)
      .map((t) => ({
        name: `${t.name} (${t.articles} article${t.articles === 1 ? '' : 's'})`.slice(0, 100),
        value: t.slug.slice(0, 100),
      }));
    await interaction.respond(choices);
  },
} satisfies Command;
