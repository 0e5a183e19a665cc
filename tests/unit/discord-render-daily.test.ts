import { describe, expect, it } from 'vitest';
import type { DailySettings, PostRecord } from '../../src/daily/schedule.ts';
import { renderDailyOff, renderDailyPosted, renderDailyShow } from '../../src/discord/render-daily.ts';

const settings: DailySettings = {
  guildId: '1',
  channelId: '222',
  time: '08:00',
  timezone: 'Europe/Berlin',
  topics: ['houthis'],
  quiet: false,
  setBy: 'admin#0001',
  setAt: '2024-12-01T08:00:00.000Z',
};
const record: PostRecord = {
  guildId: '1',
  date: '2024-12-02',
  channelId: '222',
  messageIds: ['9', '10'],
  corpusVersion: 'abc',
  postedAt: '2024-12-02T07:00:00.000Z',
  late: true,
  manual: false,
  newArticles: 4,
};
const text = (p: { embeds: { title?: string; description?: string }[] }) =>
  p.embeds.map((e) => `${e.title}\n${e.description}`).join('\n');

describe('/daily replies', () => {
  it('show: settings, next post as a Discord timestamp, the last post and a failure with what to do', () => {
    const next = new Date('2024-12-03T07:00:00Z');
    const shown = text(
      renderDailyShow(settings, next, record, {
        date: '2024-12-03',
        at: '2024-12-03T07:05:00.000Z',
        channelId: '222',
        attempts: 3,
        error: 'Missing Access',
      }),
    );
    expect(shown).toMatch(/^Daily brief\nAt \*\*08:00\*\* \(Europe\/Berlin\) in <#222>, set by admin#0001\./);
    expect(shown).toContain(`Next post <t:${next.getTime() / 1000}:f>.`);
    expect(shown).toContain('Topics first: `houthis`.');
    expect(shown).toMatch(/Last post <t:\d+:f>: 4 new articles, 2 message\(s\), late\./);
    expect(shown).toMatch(/failed after 3 attempts: Missing Access\. .*`\/daily now`/);
    expect(text(renderDailyShow({ ...settings, topics: [] }, next, undefined, undefined))).toMatch(
      /Topics: those the new articles cover most\.\nNo post yet\.$/,
    );
  });

  it('off and now say what happened', () => {
    expect(text(renderDailyOff(false))).toBe('Daily brief off\nIt was not on.');
    expect(text(renderDailyPosted('222', record))).toBe(
      'Daily brief posted\nPosted 2 message(s) in <#222> (4 new articles).',
    );
  });
});
