import { settleWithin } from '../deadline.ts';
import { UserError } from '../errors.ts';
import type { ButtonHandler } from './command.ts';
import { type MessagePayload, sanitize } from './render.ts';
import { NO_MENTIONS } from './reply.ts';

/** Longest a click waits on the share store before it answers that it cannot share now. */
const SHARE_READ_MS = 1000;

/** "Share to channel": posts a private answer, as it was, for everyone in the channel. */
export const shareButton: ButtonHandler = {
  prefix: 'share:',
  async execute(interaction, ctx) {
    // The reply must reach Discord within 3 s of the click: a shared store that is slow or down gets
    // one second (its own deadline is longer), then the user is told to try again.
    const pages = await settleWithin<MessagePayload[] | 'gone' | 'unreadable'>(
      ctx.shares.get(interaction.customId.slice('share:'.length)).then((found) => found ?? 'gone'),
      SHARE_READ_MS,
      'unreadable',
    );
    if (pages === 'unreadable') {
      throw new UserError(
        'store_unavailable',
        'The answer to share cannot be read right now; try the button again in a moment.',
      );
    }
    if (pages === 'gone') {
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
