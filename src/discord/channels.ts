/** Posting to a channel outside an interaction (the daily brief), and checking beforehand that it can be done. */
import { type Client, PermissionFlagsBits } from 'discord.js';
import type { Deliver } from '../daily/post.ts';
import { renderDigest } from './render.ts';
import { NO_MENTIONS } from './reply.ts';

const NEEDED = [
  ['ViewChannel', PermissionFlagsBits.ViewChannel],
  ['SendMessages', PermissionFlagsBits.SendMessages],
  ['EmbedLinks', PermissionFlagsBits.EmbedLinks],
] as const;

/** Why the bot cannot post in `channelId` of `guildId`, or undefined when it can (as far as it can tell). */
export async function checkChannel(
  client: Client,
  guildId: string,
  channelId: string,
): Promise<string | undefined> {
  const channel = await client.channels.fetch(channelId).catch(() => null);
  if (channel === null) return `I cannot see <#${channelId}>: it may be deleted, or hidden from me.`;
  if (channel.isDMBased() || channel.guildId !== guildId) return 'That channel is not in this server.';
  if (!channel.isSendable())
    return `<#${channelId}> is not a channel I can post messages in; pick a text channel.`;
  // The bot's own member is needed to work out its permissions there; without it, posting will tell.
  const me = channel.guild.members.me ?? (await channel.guild.members.fetchMe().catch(() => null));
  const permissions = me === null ? null : channel.permissionsFor(me);
  if (permissions !== null) {
    const missing = NEEDED.filter(([, bit]) => !permissions.has(bit)).map(([name]) => name);
    if (missing.length > 0)
      return `I lack ${missing.join(', ')} in <#${channelId}>: give my role those permissions there, or pick another channel.`;
  }
  return undefined;
}

/**
 * Sends a digest to its guild's channel, as many messages as it needs, pushing each message id to `sent`
 * (and recording it through `progress`); a retry passes the same array and continues after the pages
 * already sent, each page with its enforced nonce.
 */
export function channelDeliver(client: Client): Deliver {
  return async (settings, digest, note, sent, progress, nonce) => {
    const channel = await client.channels.fetch(settings.channelId).catch((err: Error) => {
      throw new Error(`channel ${settings.channelId} cannot be fetched: ${err.message}`);
    });
    if (channel === null || !channel.isSendable())
      throw new Error(`channel ${settings.channelId} is not a text channel`);
    const pages = renderDigest(digest, note);
    for (let i = sent.length; i < pages.length; i++) {
      const message = await channel.send({
        ...pages[i],
        allowedMentions: NO_MENTIONS,
        // Discord answers a repeated enforced nonce with the message it already made (see Deliver).
        ...(nonce === undefined ? {} : { nonce: `${nonce}.${i}`, enforceNonce: true }),
      });
      sent.push(message.id);
      await progress?.(sent);
    }
  };
}
