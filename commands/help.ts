import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import { renderHelp } from '../src/discord/render.ts';
import { NO_MENTIONS } from '../src/discord/reply.ts';

export default {
  data: new SlashCommandBuilder()
    .setName('help')
    .setDescription('What this bot does and how to use it')
    .toJSON(),
  noCooldown: true,

  async execute(interaction, ctx) {
    await interaction.reply({
      ...renderHelp(ctx.engine().stats()),
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_MENTIONS,
    });
  },
} satisfies Command;
