import { SlashCommandBuilder } from 'discord.js';
import { adminOnly } from '../src/discord/admin.ts';
import type { Command } from '../src/discord/command.ts';
import { renderReload } from '../src/discord/render.ts';
import { defer, sendPages } from '../src/discord/reply.ts';

export default {
  data: adminOnly(
    new SlashCommandBuilder()
      .setName('reload')
      .setDescription('Admins: reload the corpus and topics from disk, without a restart'),
  ).toJSON(),
  admin: true,
  noCooldown: true,

  async execute(interaction, ctx) {
    await defer(interaction, false);
    const report = await ctx.services.library.reload(interaction.user.tag);
    ctx.logger.info(
      {
        ok: report.ok,
        added: report.added,
        changed: report.changed,
        removed: report.removed,
        rejected: report.rejected.length,
        corpusVersion: report.corpusVersion,
        ms: report.ms,
      },
      report.ok ? 'reloaded' : `reload refused: ${report.error}`,
    );
    await sendPages(interaction, renderReload(report), ctx, { shareable: false });
  },
} satisfies Command;
