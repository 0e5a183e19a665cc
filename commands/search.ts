import { SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import { renderSearch } from '../src/discord/render.ts';
import { defer, sendPages, sinceOption, sinceOptionData } from '../src/discord/reply.ts';
import { checkQuery, MAX_QUESTION_CHARS } from '../src/engine/engine.ts';

export default {
  data: new SlashCommandBuilder()
    .setName('search')
    .setDescription('Articles matching your words, with dates and snippets')
    .addStringOption((o) =>
      o
        .setName('query')
        .setDescription('Words to look for')
        .setRequired(true)
        .setMaxLength(MAX_QUESTION_CHARS),
    )
    .addStringOption(sinceOptionData)
    .addIntegerOption((o) =>
      o.setName('limit').setDescription('How many articles (1–10)').setMinValue(1).setMaxValue(10),
    )
    .toJSON(),

  async execute(interaction, ctx) {
    const query = checkQuery(interaction.options.getString('query', true), MAX_QUESTION_CHARS, 'query');
    const since = sinceOption(interaction);
    const limit = interaction.options.getInteger('limit') ?? 5;
    await defer(interaction, false);
    const result = ctx.engine().search(query, { since, limit: Math.min(10, Math.max(1, limit)) });
    await sendPages(interaction, renderSearch(result), ctx, { shareable: false });
  },
} satisfies Command;
