/** Dates as day numbers (days since 1970-01-01, UTC): cheap to compare and to store in typed arrays. */
const DAY_MS = 86_400_000;

export function dayNumber(isoDate: string): number {
  return Math.floor(Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS);
}

export function isoFromDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** An inclusive range of days; either end may be open. */
export interface DateWindow {
  from?: number;
  to?: number;
}

/**
 * Parses a `--since`/`--until` value: `YYYY-MM-DD`, or a relative `7d`, `4w`, `6m`, `1y` counted back
 * from `today`. Returns an error message a user can act on when the value is neither.
 */
export function parseDateOption(value: string, today: Date): { day: number } | { error: string } {
  const v = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    const ms = Date.parse(`${v}T00:00:00Z`);
    if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== v) {
      return { error: `"${value}" is not a real date; use YYYY-MM-DD (for example 2024-01-31)` };
    }
    return { day: ms / DAY_MS };
  }
  const rel = /^(\d{1,5})\s*([dwmy])$/i.exec(v);
  if (rel !== null) {
    const n = Number(rel[1]);
    const unit = rel[2]!.toLowerCase();
    const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
    if (unit === 'd') d.setUTCDate(d.getUTCDate() - n);
    if (unit === 'w') d.setUTCDate(d.getUTCDate() - 7 * n);
    if (unit === 'm') d.setUTCMonth(d.getUTCMonth() - n);
    if (unit === 'y') d.setUTCFullYear(d.getUTCFullYear() - n);
    return { day: Math.floor(d.getTime() / DAY_MS) };
  }
  return {
    error: `"${value}" is not a date; use YYYY-MM-DD or a span back from today such as 7d, 4w, 6m or 1y`,
  };
}

/** Month names, January first. */
export const MONTH_NAMES = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const MONTH = `(${MONTH_NAMES.join('|')}|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\\.?`;
const PART = '(early|mid|late|the (?:start|beginning|middle|end) of|(?:the )?(?:first|second|last) half of)';

/** A time expression found in a question: the window it names and where it stands in the text. */
export interface TimeExpression {
  window: Required<DateWindow>;
  start: number;
  end: number;
  /** The years and months named, as written: used as evidence words ("December 2019"). */
  year: number;
  month?: number;
  /** Named relative to now ("in the last month"): a window, but no date a source would write. */
  relative?: boolean;
}

function monthIndex(name: string): number {
  const key = name.toLowerCase().replace('.', '').slice(0, 3);
  return MONTH_NAMES.findIndex((m) => m.startsWith(key));
}

function monthWindow(year: number, month: number, part?: string): Required<DateWindow> {
  const first = Date.UTC(year, month, 1) / DAY_MS;
  const last = Date.UTC(year, month + 1, 0) / DAY_MS;
  const p = part?.toLowerCase() ?? '';
  if (/early|start|beginning|first half/.test(p)) return { from: first, to: first + 14 };
  if (/mid|middle/.test(p)) return { from: first + 7, to: first + 22 };
  if (/late|end|last half|second half/.test(p)) return { from: last - 14, to: last };
  return { from: first, to: last };
}

function yearWindow(year: number, part?: string): Required<DateWindow> {
  const first = Date.UTC(year, 0, 1) / DAY_MS;
  const last = Date.UTC(year, 11, 31) / DAY_MS;
  const p = part?.toLowerCase() ?? '';
  if (/early|start|beginning|first half/.test(p)) return { from: first, to: Date.UTC(year, 5, 30) / DAY_MS };
  if (/mid|middle/.test(p))
    return { from: Date.UTC(year, 3, 1) / DAY_MS, to: Date.UTC(year, 8, 30) / DAY_MS };
  if (/late|end|last half|second half/.test(p)) return { from: Date.UTC(year, 6, 1) / DAY_MS, to: last };
  return { from: first, to: last };
}

/** First and last month (0-based; winter's first is December of the year before) of each season. */
const SEASONS: Record<string, [number, number]> = {
  spring: [2, 4],
  summer: [5, 7],
  autumn: [8, 10],
  fall: [8, 10],
  winter: [-1, 1],
};

/**
 * Finds the time expressions of a question, most specific first: "February 7, 2024", "7 February 2024",
 * "early December 2024", "in January 2024", "late 2024", "in 2023". Plain years count only after a
 * preposition ("in 2023", "during 2024") so that "the 2024 election" keeps its meaning as a word.
 */
export function findTimeExpressions(text: string): TimeExpression[] {
  const found: TimeExpression[] = [];
  const taken: [number, number][] = [];
  const free = (s: number, e: number): boolean => taken.every(([a, b]) => e <= a || s >= b);
  const add = (m: RegExpExecArray, window: Required<DateWindow>, year: number, month?: number): void => {
    if (!free(m.index, m.index + m[0].length)) return;
    taken.push([m.index, m.index + m[0].length]);
    found.push({
      window,
      start: m.index,
      end: m.index + m[0].length,
      year,
      ...(month === undefined ? {} : { month }),
    });
  };
  const patterns: [RegExp, (m: RegExpExecArray) => void][] = [
    [
      // A range across months: "February 28 - March 1, 2026", "December 30 to January 2, 2025".
      new RegExp(
        `\\b${MONTH}\\s+(\\d{1,2})\\s*(?:[-\u2013]|to|through|until)\\s*${MONTH}\\s+(\\d{1,2}),?\\s+(\\d{4})\\b`,
        'gi',
      ),
      (m) => {
        const year = Number(m[5]);
        const [first, last] = [monthIndex(m[1]!), monthIndex(m[3]!)];
        // Only December runs on into the next year's January; "May 5 to April 2" is no range.
        if (first > last && !(first === 11 && last === 0)) return;
        // A range that turns the year ("December 30 to January 2, 2025") starts in the year before.
        const from = Date.UTC(first > last ? year - 1 : year, first, Number(m[2])) / DAY_MS;
        const to = Date.UTC(year, last, Number(m[4])) / DAY_MS + 1;
        if (to > from) add(m, { from, to }, year, last);
      },
    ],
    [
      // A range of days: "December 8-10, 2024", "8-10 December 2024".
      new RegExp(
        `\\b(?:${MONTH}\\s+(\\d{1,2})\\s*[-\u2013]\\s*(\\d{1,2}),?|(\\d{1,2})\\s*[-\u2013]\\s*(\\d{1,2})\\s+${MONTH})\\s+(\\d{4})\\b`,
        'gi',
      ),
      (m) => {
        const month = monthIndex((m[1] ?? m[6])!);
        const year = Number(m[7]);
        const first = Number(m[2] ?? m[4]);
        const last = Number(m[3] ?? m[5]);
        if (last < first) return;
        const from = Date.UTC(year, month, first) / DAY_MS;
        add(m, { from, to: from + (last - first) + 1 }, year, month);
      },
    ],
    [
      new RegExp(`\\b${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, 'gi'),
      (m) => {
        const month = monthIndex(m[1]!);
        const day = Date.UTC(Number(m[3]), month, Number(m[2])) / DAY_MS;
        add(m, { from: day, to: day + 2 }, Number(m[3]), month);
      },
    ],
    [
      new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH}\\s+(\\d{4})\\b`, 'gi'),
      (m) => {
        const month = monthIndex(m[2]!);
        const day = Date.UTC(Number(m[3]), month, Number(m[1])) / DAY_MS;
        add(m, { from: day, to: day + 2 }, Number(m[3]), month);
      },
    ],
    [
      new RegExp(`\\b(?:${PART}(?:\\s+|-))?${MONTH}\\s+(?:of\\s+)?(\\d{4})\\b`, 'gi'),
      (m) => {
        const month = monthIndex(m[2]!);
        add(m, monthWindow(Number(m[3]), month, m[1]), Number(m[3]), month);
      },
    ],
    [
      // A season: "summer 2024", "the fall of 2023", "late spring 2025" (northern seasons; winter is the
      // one that ends in the year named).
      /\b(?:(?:early|mid|late)[- ])?(spring|summer|autumn|fall|winter)\s+(?:of\s+)?((?:19|20)\d{2})\b/gi,
      (m) => {
        const year = Number(m[2]);
        const [from, to] = SEASONS[m[1]!.toLowerCase()]!;
        add(m, { from: Date.UTC(year, from, 1) / DAY_MS, to: Date.UTC(year, to + 1, 1) / DAY_MS - 1 }, year);
      },
    ],
    [
      new RegExp(
        `\\b(?:(?:in|during|throughout|by|of)\\s+(?:${PART}(?:\\s+|-))?|${PART}(?:\\s+|-))((?:19|20)\\d{2})\\b`,
        'gi',
      ),
      (m) => add(m, yearWindow(Number(m[3]), m[1] ?? m[2]), Number(m[3])),
    ],
  ];
  for (const [re, handle] of patterns) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) handle(m);
  }
  return found.sort((a, b) => a.start - b.start);
}

const COUNT_WORDS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  twelve: 12,
  few: 3,
  'couple of': 2,
};
const UNIT_DAYS: Record<string, number> = { day: 1, week: 7, fortnight: 14, month: 30, year: 365 };

/**
 * Times a question names relative to now ("in the last month", "over the past two weeks", "this year",
 * "last year"), as windows ending on `today` (a day number: the bot's newest news, where it has none
 * newer). Spans that `taken` already covers (a date named outright) are left alone.
 */
export function relativeTimes(
  text: string,
  today: number,
  taken: readonly TimeExpression[] = [],
): TimeExpression[] {
  const found: TimeExpression[] = [];
  const free = (s: number, e: number) => [...taken, ...found].every((t) => e <= t.start || s >= t.end);
  const add = (m: RegExpExecArray, window: Required<DateWindow>) => {
    if (!free(m.index, m.index + m[0].length) || window.to < window.from) return;
    const year = new Date(window.to * DAY_MS).getUTCFullYear();
    found.push({ window, start: m.index, end: m.index + m[0].length, year, relative: true });
  };
  const unit = (word: string) => UNIT_DAYS[word.toLowerCase().replace(/s$/, '')]!;
  // "in the last month", "over the past two weeks", "during the previous 3 days"
  for (const m of text.matchAll(
    /\b(?:in|over|during|within|for|from)\s+the\s+(?:last|past|previous|preceding)\s+(?:(\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|few|couple of)\s+)?(days?|weeks?|fortnights?|months?|years?)\b/gi,
  )) {
    // "The last days of December" is no span before now: a plural unit needs its count ("the last two weeks").
    if (m[1] === undefined && /s$/i.test(m[2]!)) continue;
    const n = m[1] === undefined ? 1 : (COUNT_WORDS[m[1].toLowerCase()] ?? Number(m[1]));
    add(m, { from: today - n * unit(m[2]!), to: today });
  }
  const year = new Date(today * DAY_MS).getUTCFullYear();
  const yearStart = (y: number) => Date.UTC(y, 0, 1) / DAY_MS;
  // "this year", "this month", "this week"; "last year" is the calendar year before, "last month" and
  // "last week" the weeks just gone, as people say them.
  for (const m of text.matchAll(/\b(this|last)\s+(week|month|year)\b/gi)) {
    const which = m[1]!.toLowerCase();
    const period = m[2]!.toLowerCase();
    if (period === 'year')
      add(
        m,
        which === 'this'
          ? { from: yearStart(year), to: today }
          : { from: yearStart(year - 1), to: yearStart(year) - 1 },
      );
    else add(m, { from: today - unit(period), to: today });
  }
  return found;
}

/** The window covering every time expression of a question, or undefined when it names none. */
export function questionWindow(expressions: readonly TimeExpression[]): Required<DateWindow> | undefined {
  if (expressions.length === 0) return undefined;
  return {
    from: Math.min(...expressions.map((e) => e.window.from)),
    to: Math.max(...expressions.map((e) => e.window.to)),
  };
}
