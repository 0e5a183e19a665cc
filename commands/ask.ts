import { SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import { renderBriefing } from '../src/discord/render.ts';
import { defer, isPublic, sendPages, sinceOption, sinceOptionData } from '../src/discord/reply.ts';
import { checkQuery, MAX_QUESTION_CHARS } from '../src/engine/engine.ts';

export default {
  data: new SlashCommandBuilder()
    .setName('ask')
    .setDescription('A cited answer from the corpus, or an honest "nothing on this"')
    .addStringOption((o) =>
      o
        .setName('question')
        .setDescription('Your question, e.g. what did the White House say after the Tower 22 attack?')
        .setRequired(true)
        .setMaxLength(MAX_QUESTION_CHARS),
    )
    .addStringOption(sinceOptionData)
    .addBooleanOption((o) =>
      o.setName('public').setDescription('Post the answer in the channel for everyone'),
    )
    .toJSON(),

  async execute(interaction, ctx) {
    const question = checkQuery(
      interaction.options.getString('question', true),
      MAX_QUESTION_CHARS,
      'question',
    );
    const since = sinceOption(interaction);
    await defer(interaction, isPublic(interaction, ctx));
    const answer = await ctx.engine().ask(question, { since });
    ctx.logger.info({ status: answer.status, cached: answer.cached, sources: answer.sources.length }, 'ask');
    await sendPages(interaction, renderBriefing(answer), ctx, { shareable: answer.status === 'answered' });
  },
} satisfies Command;
