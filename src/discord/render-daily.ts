/**
 * The `/daily` admin replies: what was set, switched off, shown or posted. Pure: settings and records in,
 * one notice out; times as Discord timestamps, which each reader sees in their own time zone.
 */
import type { DailySettings, PostFailure, PostRecord } from '../daily/schedule.ts';
import { discordTime, type MessagePayload, renderNotice, sanitize } from './render.ts';

function topicsLine(topics: readonly string[]): string {
  return topics.length
    ? `Topics first: ${topics.map((t) => `\`${t}\``).join(', ')}.`
    : 'Topics: those the new articles cover most.';
}

/** `/daily set`: when and where the posts will go, and what they cover. */
export function renderDailySet(settings: DailySettings, next: Date): MessagePayload {
  return renderNotice('Daily brief set', [
    `Every day at **${settings.time}** (${sanitize(settings.timezone)}) in <#${settings.channelId}>; next post ${discordTime(next)}.`,
    topicsLine(settings.topics),
    settings.quiet ? 'Days with nothing new: no post.' : 'Days with nothing new: one line saying so.',
    'Check it with `/daily preview`.',
  ]);
}

/** `/daily off`: whether there was anything to switch off. */
export function renderDailyOff(wasOn: boolean): MessagePayload {
  return renderNotice('Daily brief off', [wasOn ? 'No more daily posts here.' : 'It was not on.']);
}

/** `/daily show`: the settings, the next and the last post, and a failed post if there is one. */
export function renderDailyShow(
  settings: DailySettings,
  next: Date,
  last: PostRecord | undefined,
  failure: PostFailure | undefined,
): MessagePayload {
  const lines = [
    `At **${settings.time}** (${sanitize(settings.timezone)}) in <#${settings.channelId}>, set by ${sanitize(settings.setBy)}.`,
    `Next post ${discordTime(next)}.`,
    topicsLine(settings.topics),
    last === undefined
      ? 'No post yet.'
      : `Last post ${discordTime(new Date(last.postedAt))}: ${last.newArticles} new articles, ${last.messageIds.length} message(s)${last.late ? ', late' : ''}${last.manual ? ', on request' : ''}.`,
  ];
  if (failure !== undefined)
    lines.push(
      `⚠ The post for ${failure.date} failed after ${failure.attempts} attempts: ${sanitize(failure.error)}. Check the channel and my permissions there, then \`/daily now\`.`,
    );
  return renderNotice('Daily brief', lines);
}

/** `/daily now`: where it was posted and how much it held. */
export function renderDailyPosted(channelId: string, record: PostRecord): MessagePayload {
  return renderNotice('Daily brief posted', [
    `Posted ${record.messageIds.length} message(s) in <#${channelId}> (${record.newArticles} new articles).`,
  ]);
}
