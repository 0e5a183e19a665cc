/** Helpers every answering command shares: reading common options and sending paged answers. */
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  type ChatInputCommandInteraction,
  MessageFlags,
  type SlashCommandStringOption,
} from 'discord.js';
import { UserError } from '../errors.ts';
import type { CommandContext } from './command.ts';
import type { MessagePayload } from './render.ts';

/** Never ping anyone: not @everyone, not a role, not a user named in a source or a question. */
export const NO_MENTIONS = { parse: [] as [] };

/** The `since` option, the same on every command that takes it. */
export const sinceOptionData = (o: SlashCommandStringOption) =>
  o
    .setName('since')
    .setDescription('Only sources since: YYYY-MM-DD, 7d / 4w / 6m / 1y, or last (brief)')
    .setMaxLength(20);

/** `since` as typed: trimmed, capped, validated later by the engine. */
export function sinceOption(interaction: ChatInputCommandInteraction): string | undefined {
  const since = interaction.options.getString('since')?.trim();
  if (since === undefined || since === '') return undefined;
  if (since.length > 20) {
    throw new UserError(
      'bad_date',
      'since: write a date as YYYY-MM-DD, or 7d / 4w / 6m / 1y back from today.',
    );
  }
  return since;
}

export function isPublic(interaction: ChatInputCommandInteraction, ctx: CommandContext): boolean {
  return interaction.options.getBoolean('public') ?? ctx.publicByDefault;
}

/** Defers the reply (ephemeral unless public): the engine may take longer than Discord's 3 seconds. */
export async function defer(interaction: ChatInputCommandInteraction, publicReply: boolean): Promise<void> {
  await interaction.deferReply(publicReply ? {} : { flags: MessageFlags.Ephemeral });
}

/**
 * Sends an answer of one or more pages: the first edits the deferred reply, the rest follow it. A private
 * answer gets a Share button that posts the same pages to the channel.
 */
export async function sendPages(
  interaction: ChatInputCommandInteraction,
  pages: MessagePayload[],
  ctx: CommandContext,
  options: { shareable: boolean },
): Promise<void> {
  const [first, ...rest] = pages;
  const shareable = options.shareable && interaction.ephemeral === true && interaction.channel !== null;
  // The Share button is an extra: a store that cannot keep the answer costs the button, not the answer.
  const shareId = shareable
    ? await ctx.shares.put(pages).catch((err: unknown) => {
        ctx.logger.warn({ err }, 'the answer could not be kept for Share: sent without the button');
        return undefined;
      })
    : undefined;
  const share =
    shareId !== undefined
      ? [
          new ActionRowBuilder<ButtonBuilder>().addComponents(
            new ButtonBuilder()
              .setCustomId(`share:${shareId}`)
              .setLabel('Share to channel')
              .setStyle(ButtonStyle.Secondary),
          ),
        ]
      : [];
  await interaction.editReply({ ...first!, components: share, allowedMentions: NO_MENTIONS });
  for (const page of rest) {
    await interaction.followUp({
      ...page,
      allowedMentions: NO_MENTIONS,
      ...(interaction.ephemeral === true ? { flags: MessageFlags.Ephemeral } : {}),
    });
  }
}
