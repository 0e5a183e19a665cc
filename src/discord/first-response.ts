/**
 * When an interaction was first answered. Discord drops an interaction that gets no callback within
 * 3 s, so the first callback (a reply, a deferral, an update, a modal) is the figure that matters for
 * load, apart from the final answer that may follow seconds later.
 */
import type { ButtonInteraction, ChatInputCommandInteraction } from 'discord.js';

/** The methods that send an interaction's callback: whichever a command calls first acknowledges it. */
const CALLBACKS = ['reply', 'deferReply', 'deferUpdate', 'update', 'showModal'] as const;

/**
 * Calls `onFirst` once, when the first callback of `interaction` has been accepted by Discord. The
 * methods are wrapped on this one object (not on the class), so commands stay unaware of it.
 */
export function onFirstResponse(
  interaction: ChatInputCommandInteraction | ButtonInteraction,
  onFirst: () => void,
): void {
  let told = false;
  const methods = interaction as unknown as Record<string, unknown>;
  for (const name of CALLBACKS) {
    const original = methods[name];
    if (typeof original !== 'function') continue;
    methods[name] = async (...args: unknown[]) => {
      const result: unknown = await original.apply(interaction, args);
      if (!told) {
        told = true;
        onFirst();
      }
      return result;
    };
  }
}
