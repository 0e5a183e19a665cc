import { SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import { renderTopics } from '../src/discord/render.ts';
import { defer, sendPages } from '../src/discord/reply.ts';

export default {
  data: new SlashCommandBuilder()
    .setName('topics')
    .setDescription('Known topics with article counts')
    .toJSON(),
  noCooldown: true,

  async execute(interaction, ctx) {
    await defer(interaction, false);
    await sendPages(interaction, renderTopics(ctx.engine().topics()), ctx, { shareable: false });
  },
} satisfies Command;
