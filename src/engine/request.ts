/**
 * Request checking shared by every use case: the query's text, the `--limit`, and the date and subset
 * filters, each refused with a {@link UserError} a user can act on. Also what an answer depends on
 * ({@link AnswerKey}), which a cache in front of the engine keys by.
 */
import { UserError } from '../errors.ts';
import type { EngineContext } from './context.ts';
import { isoFromDay, parseDateOption } from './dates.ts';
import type { RetrieveFilters } from './retrieve.ts';

/** Longest question accepted; longer text is almost always a paste by mistake. */
export const MAX_QUESTION_CHARS = 500;
/** Longest topic accepted. */
export const MAX_TOPIC_CHARS = 100;

/** Options every query takes. */
export interface QueryOptions {
  /** Only sources dated on or after: `YYYY-MM-DD` or `7d`/`4w`/`6m`/`1y` back from today. */
  since?: string | undefined;
  /** Only sources dated on or before, same forms. */
  until?: string | undefined;
  /** Bullets (brief/ask) or results (search) at most; each use case has its own default and range. */
  limit?: number | undefined;
  /** Only the articles this filter keeps ("new since the last post"); such answers are not cached. */
  only?: ArticleFilter | undefined;
}

/** A subset of the corpus, e.g. what is new since a date. */
export interface ArticleFilter {
  /** How the subset reads in a message: "new since 2024-05-01". */
  describe: string;
  keep(article: { id: string; date: string }): boolean;
}

/** The `--limit` a use case takes when none is given, and the range it accepts. */
export interface LimitRange {
  default: number;
  min: number;
  max: number;
}

/** Everything a brief or ask answer depends on. Any change to one of these is a different answer. */
export interface AnswerKey {
  kind: 'brief' | 'ask';
  /** The query after normalisation: a resolved topic's slug, or the question folded to lower case. */
  query: string;
  since?: string | undefined;
  until?: string | undefined;
  limit: number;
  corpusVersion: string;
  generatedBy: string;
  promptVersion?: string | undefined;
  /** {@link ANSWER_VERSION} of the engine that built the answer. */
  answerVersion: number;
}

/**
 * The version of how answers are made from a corpus (the reader and the answer policy), raised whenever
 * the same corpus would now be answered differently: a persistent cache (SQLite, Redis) must not serve a
 * briefing the running code would no longer give. 2: speakers, Latest/Background, dated bullets,
 * timeline key dates, abstention by reading.
 */
export const ANSWER_VERSION = 2;

/** A brief or ask request as a cache in front of the engine sees it. */
export interface AnswerRequest {
  /** The request's own wording: a kept answer built for "KH" is returned under "kataib-hezbollah". */
  asked: string;
  /** What the answer depends on; undefined when it must not be kept (an `only` subset). */
  key: AnswerKey | undefined;
}

/** The query as the engine will read it; a {@link UserError} when it is empty or longer than `max`. */
export function checkQuery(input: string, max: number, what: string): string {
  const text = input.replace(/\p{Cc}+/gu, ' ').trim();
  if (text === '') throw new UserError('empty_query', `The ${what} is empty: say what you want briefed.`);
  if (text.length > max) {
    throw new UserError(
      'query_too_long',
      `The ${what} is ${text.length} characters long; the limit is ${max}. Shorten it to its key words.`,
      { length: text.length },
    );
  }
  return text;
}

/** The limit asked for, or the default; a {@link UserError} outside the range. */
export function clampLimit(value: number | undefined, range: LimitRange): number {
  if (value === undefined) return range.default;
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new UserError(
      'bad_option',
      `--limit must be a whole number from ${range.min} to ${range.max} (got ${value}).`,
    );
  }
  return value;
}

/** The `since`/`until` days and the `only` subset, checked against each other. */
export function readFilters(ctx: EngineContext, options: QueryOptions): RetrieveFilters {
  const filters: RetrieveFilters = {};
  for (const name of ['since', 'until'] as const) {
    const value = options[name];
    if (value === undefined) continue;
    const parsed = parseDateOption(value, ctx.now());
    if ('error' in parsed) throw new UserError('bad_date', `--${name}: ${parsed.error}`, { [name]: value });
    filters[name] = parsed.day;
  }
  if (options.only !== undefined) {
    const only = options.only;
    const keep = new Uint8Array(ctx.index.articles.length);
    ctx.index.articles.forEach((a, i) => {
      if (only.keep(a)) keep[i] = 1;
    });
    filters.articles = { keep, describe: only.describe };
  }
  if (filters.since !== undefined && filters.until !== undefined && filters.since > filters.until) {
    throw new UserError(
      'bad_date',
      `--since (${isoFromDay(filters.since)}) is after --until (${isoFromDay(filters.until)}); swap them`,
    );
  }
  return filters;
}

/** A brief or ask request's text, date and subset filters, and limit, checked in that order. */
export function checkRequest(
  ctx: EngineContext,
  input: string,
  options: QueryOptions,
  rules: { maxChars: number; what: string; limit: LimitRange },
): { asked: string; filters: RetrieveFilters; limit: number } {
  const asked = checkQuery(input, rules.maxChars, rules.what);
  const filters = readFilters(ctx, options);
  return { asked, filters, limit: clampLimit(options.limit, rules.limit) };
}

/** What a request's answer depends on; undefined for an `only` subset, whose answers are not kept. */
export function answerKey(
  ctx: EngineContext,
  kind: AnswerKey['kind'],
  query: string,
  filters: RetrieveFilters,
  limit: number,
): AnswerKey | undefined {
  if (filters.articles !== undefined) return undefined;
  // Relative dates ("7d") are keyed by the day they resolve to, so tomorrow's "7d" is a new entry.
  return {
    kind,
    query,
    since: filters.since === undefined ? undefined : isoFromDay(filters.since),
    until: filters.until === undefined ? undefined : isoFromDay(filters.until),
    limit,
    corpusVersion: ctx.corpusVersion,
    generatedBy: ctx.generatedBy,
    promptVersion: ctx.writer?.promptRef(kind),
    answerVersion: ANSWER_VERSION,
  };
}
