import { UserError } from '../errors.ts';
import type { ButtonHandler } from './command.ts';
import { sanitize } from './render.ts';
import { NO_MENTIONS } from './reply.ts';

/** "Share to channel": posts a private answer, as it was, for everyone in the channel. */
export const shareButton: ButtonHandler = {
  prefix: 'share:',
  async execute(interaction, ctx) {
    const pages = await ctx.shares.get(interaction.customId.slice('share:'.length));
    if (pages === undefined) {
      throw new UserError('bad_option', 'This answer is too old to share now; ask again with public:true.');
    }
    const [first, ...rest] = pages;
    const by = `Shared by ${sanitize(interaction.user.displayName)}`;
    await interaction.reply({ ...first!, content: by, allowedMentions: NO_MENTIONS });
    for (const page of rest) await interaction.followUp({ ...page, allowedMentions: NO_MENTIONS });
    ctx.logger.debug({ pages: pages.length }, 'shared');
  },
};

/** Buttons whose handlers exist; anything else gets "this button no longer does anything". */
export const buttons: readonly ButtonHandler[] = [shareButton];
