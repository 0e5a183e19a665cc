import { SlashCommandBuilder } from 'discord.js';
import { newSince } from '../src/daily/digest.ts';
import type { Command } from '../src/discord/command.ts';
import { renderBriefing, renderNotice, sanitize } from '../src/discord/render.ts';
import { defer, isPublic, sendPages, sinceOption, sinceOptionData } from '../src/discord/reply.ts';
import { checkQuery, MAX_TOPIC_CHARS } from '../src/engine/engine.ts';
import type { Briefing } from '../src/engine/result.ts';

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
    const engine = ctx.engine();
    const { history, library } = ctx.services;
    const resolved = engine.resolveTopic(topic);
    const key = resolved.kind === 'free-text' ? resolved.text.toLowerCase() : resolved.topic.slug;
    const previous = await history.get(interaction.user.id, key).catch(() => undefined);
    const sinceLast = since?.toLowerCase() === 'last';
    let briefing: Briefing;
    let note: string | undefined;
    if (sinceLast && previous !== undefined) {
      // Newer than what this user last saw: dated after its newest source, or added since.
      const only = newSince({ date: previous.newest, at: previous.at }, (id) => library.firstSeen(id));
      briefing = await engine.brief(topic, {
        only: { ...only, describe: `new since your last briefing (${previous.at.slice(0, 10)})` },
      });
    } else {
      briefing = await engine.brief(topic, { since: sinceLast ? undefined : since });
      if (sinceLast) note = 'You have no earlier briefing on this topic: here is the full one.';
    }
    ctx.logger.info(
      { status: briefing.status, cached: briefing.cached, sources: briefing.sources.length, sinceLast },
      'brief',
    );
    await history
      .record(interaction.user.id, key, briefing, library.now(), previous?.newest)
      .catch((err) => ctx.logger.warn({ err }, 'could not record the briefing history'));
    if (sinceLast && previous !== undefined && briefing.status === 'no_sources') {
      const name = resolved.kind === 'free-text' ? topic : resolved.topic.name;
      const lines = [
        `Nothing new since your last briefing on ${previous.at.slice(0, 10)}; its newest source was dated ${previous.newest}.`,
      ];
      await sendPages(interaction, [renderNotice(`Briefing: ${sanitize(name)}`, lines)], ctx, {
        shareable: false,
      });
      return;
    }
    const pages = renderBriefing(briefing);
    if (note !== undefined) pages[0] = { ...pages[0]!, content: note };
    await sendPages(interaction, pages, ctx, { shareable: briefing.status === 'answered' });
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
