import { describe, expect, it } from 'vitest';
import {
  dayNumber,
  findTimeExpressions,
  isoFromDay,
  parseDateOption,
  relativeTimes,
} from '../../src/engine/dates.ts';

const window = (q: string): [string, string] | undefined => {
  const e = findTimeExpressions(q)[0];
  return e === undefined ? undefined : [isoFromDay(e.window.from), isoFromDay(e.window.to)];
};

describe('time expressions in questions', () => {
  it('turn a month and year into that month', () => {
    expect(window('strikes in January 2024?')).toEqual(['2024-01-01', '2024-01-31']);
  });
  it('narrow early / late parts of a month', () => {
    expect(window('early December 2024')).toEqual(['2024-12-01', '2024-12-15']);
    expect(window('at the end of January 2024')).toEqual(['2024-01-17', '2024-01-31']);
  });
  it('read full dates in both orders', () => {
    expect(window('on February 7, 2024')).toEqual(['2024-02-07', '2024-02-09']);
    expect(window('on 7 February 2024')).toEqual(['2024-02-07', '2024-02-09']);
  });
  it('read a range of days as one window, not as a name', () => {
    expect(window('after Assad fell (December 8-10, 2024)?')).toEqual(['2024-12-08', '2024-12-11']);
    expect(window('on 8–10 December 2024')).toEqual(['2024-12-08', '2024-12-11']);
  });
  it('read a range across months (and years) as one window, leaving no month name as a word', () => {
    expect(window('in the first two days (February 28 - March 1, 2026)?')).toEqual([
      '2026-02-28',
      '2026-03-02',
    ]);
    expect(window('from December 30 to January 2, 2025')).toEqual(['2024-12-30', '2025-01-03']);
    expect(findTimeExpressions('February 28 - March 1, 2026')).toHaveLength(1);
    // Backwards is no range (only December runs on into January).
    expect(window('from May 5 to April 2, 2024')).toEqual(['2024-04-02', '2024-04-04']);
  });
  it('read a season and its year as its months (winter ends in the year named)', () => {
    expect(window('attacks in summer 2024?')).toEqual(['2024-06-01', '2024-08-31']);
    expect(window('during the fall of 2023')).toEqual(['2023-09-01', '2023-11-30']);
    expect(window('in late spring 2025')).toEqual(['2025-03-01', '2025-05-31']);
    expect(window('in winter 2024')).toEqual(['2023-12-01', '2024-02-29']);
    // "Fall" as a verb or a noun of events is no season.
    expect(window('after the fall of Assad')).toBeUndefined();
  });

  it('read a year after a preposition, but not a year used as a word', () => {
    expect(window('claimed during 2024')).toEqual(['2024-01-01', '2024-12-31']);
    expect(window('late 2024')).toEqual(['2024-07-01', '2024-12-31']);
    expect(window('the 2024 election')).toBeUndefined();
  });

  it('read a part written with a hyphen ("mid-2024", "mid-March 2024") as that part', () => {
    expect(window('In mid-2024, was Israel to blame?')).toEqual(['2024-04-01', '2024-09-30']);
    expect(window('in mid-March 2024')).toEqual(['2024-03-08', '2024-03-23']);
    expect(window('by late-2023')).toEqual(['2023-07-01', '2023-12-31']);
  });
});

describe('--since and --until values', () => {
  const today = new Date('2024-12-31T10:00:00Z');
  it('accept dates and spans back from today', () => {
    expect(parseDateOption('2024-01-31', today)).toEqual({ day: dayNumber('2024-01-31') });
    expect(parseDateOption('7d', today)).toEqual({ day: dayNumber('2024-12-24') });
    expect(parseDateOption('1y', today)).toEqual({ day: dayNumber('2023-12-31') });
  });
  it('explain what is wrong with a bad value', () => {
    expect(parseDateOption('2024-02-30', today)).toEqual({ error: expect.stringMatching(/not a real date/) });
    expect(parseDateOption('yesterday', today)).toEqual({
      error: expect.stringMatching(/YYYY-MM-DD or a span/),
    });
  });
});

describe('times named relative to now', () => {
  const today = dayNumber('2026-08-22');
  const relative = (q: string) =>
    relativeTimes(q, today).map((t) => [isoFromDay(t.window.from), isoFromDay(t.window.to)]);

  it('end on the newest day: "in the last month", "over the past two weeks", "in the past 3 days"', () => {
    expect(relative('What happened to Kataib Hezbollah in the last month?')).toEqual([
      ['2026-07-23', '2026-08-22'],
    ]);
    expect(relative('What did the Houthis do over the past two weeks?')).toEqual([
      ['2026-08-08', '2026-08-22'],
    ]);
    expect(relative('What happened in Iraq in the past 3 days?')).toEqual([['2026-08-19', '2026-08-22']]);
    expect(relative('Any strikes during the last few weeks?')).toEqual([['2026-08-01', '2026-08-22']]);
  });

  it('read "this year" from January and "last year" as the calendar year before', () => {
    expect(relative('What did Israel do in Lebanon this year?')).toEqual([['2026-01-01', '2026-08-22']]);
    expect(relative('What did the Houthis do last year?')).toEqual([['2025-01-01', '2025-12-31']]);
  });

  it('leave alone what is no time ("the last leader", "the past") and a date named outright', () => {
    expect(relative('Who was the last leader of Hezbollah?')).toEqual([]);
    expect(relative('What happened in the past?')).toEqual([]);
    const named = findTimeExpressions('in the last days of December 2024');
    expect(relativeTimes('in the last days of December 2024', today, named)).toEqual([]);
  });
});
