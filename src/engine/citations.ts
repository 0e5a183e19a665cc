/**
 * Citation numbering: turns chosen sentences (or model-written bullets) into a {@link Briefing} whose
 * sources are numbered in order of first citation, one per article, each quoting the article verbatim.
 */
import type { EngineContext } from './context.ts';
import { isoFromDay } from './dates.ts';
import { type SearchIndex, sentenceFlags } from './index/build.ts';
import { terms } from './index/tokenize.ts';
import type { Briefing, KeyDate, Source } from './result.ts';
import type { CandidateSentence } from './summarize/evidence.ts';

/**
 * The dated events a briefing's key dates show (distinct from its bullets), or `undefined` for an answer
 * that has none (`ask`).
 */
export type Timeline = readonly CandidateSentence[] | undefined;

/** What a briefing says about its request before it has an answer. */
export type BriefingBase = Pick<Briefing, 'kind' | 'query' | 'topic' | 'corrections'> & {
  /** A question about the current state of things: its answer says "as of" its newest evidence. */
  current?: boolean;
};

/** How citations read. */
export interface CitationOptions {
  /**
   * Longest key-date line, in characters (cut at a word, with an ellipsis).
   * @default 90 — one line beside its date in a terminal or an embed field.
   */
  keyDateChars: number;
}

export const DEFAULT_CITATIONS: CitationOptions = { keyDateChars: 90 };

/** An offline answer: each chosen sentence is a bullet citing its article, and that article's quote. */
export function compose(
  ctx: EngineContext,
  base: BriefingBase,
  chosen: readonly CandidateSentence[],
  timeline: Timeline,
): Briefing {
  const sources: Source[] = [];
  const numberOf = new Map<number, number>();
  const bullets = chosen.map((c) => {
    const article = ctx.index.articles[c.article]!;
    const quote = article.text.slice(c.start, c.end);
    const speaker = c.speaker && withoutUndefined(c.speaker);
    const n = cite(ctx.index, sources, numberOf, c.article, quote, speaker);
    return {
      text: quote,
      citations: [n],
      date: article.date,
      ...(speaker ? { speaker } : {}),
      ...(c.part ? { part: c.part } : {}),
    };
  });
  return answered(ctx, base, bullets, sources, numberOf, timeline);
}

/**
 * Sources for model-written bullets: one per article, numbered in order of first citation, quoting the
 * sentence of the cited passages that shares most words with the bullets citing it. A bullet's citation
 * `c` is the `c`-th of `passageIds`, the passages the model was shown.
 */
export function composeWritten(
  ctx: EngineContext,
  base: BriefingBase,
  passageIds: readonly number[],
  kept: readonly { text: string; citations: number[]; unsupported?: string }[],
  timeline: Timeline,
): Briefing {
  const { index } = ctx;
  const sources: Source[] = [];
  const numberOf = new Map<number, number>();
  const bulletTerms = new Map<number, string[]>();
  const bullets = kept.map((b) => {
    const citations: number[] = [];
    for (const c of b.citations) {
      const passage = passageIds[c - 1]!;
      const n = cite(index, sources, numberOf, index.passageArticle[passage]!, '');
      if (!citations.includes(n)) citations.push(n);
      bulletTerms.set(passage, [...(bulletTerms.get(passage) ?? []), ...terms(b.text)]);
    }
    const text = b.unsupported ? `${b.text} (unverified: ${b.unsupported})` : b.text;
    // A model-written bullet is as of its first cited source.
    const date = sources[citations[0]! - 1]?.date;
    return { text, citations, ...(date === undefined ? {} : { date }) };
  });
  const bestScore = new Map<number, number>();
  for (const [passage, words] of bulletTerms) {
    const source = sources[numberOf.get(index.passageArticle[passage]!)! - 1]!;
    const quote = bestSentence(index, passage, new Set(words));
    if (quote.score > (bestScore.get(source.n) ?? -1)) {
      bestScore.set(source.n, quote.score);
      source.quote = quote.text;
    }
  }
  return answered(ctx, base, bullets, sources, numberOf, timeline);
}

/** An answer that found no evidence, saying why. */
export function noSources(ctx: EngineContext, base: BriefingBase, reason: string): Briefing {
  return {
    ...publicPart(base),
    status: 'no_sources',
    bullets: [],
    keyDates: [],
    sources: [],
    reason,
    corpusVersion: ctx.corpusVersion,
    generatedBy: ctx.generatedBy,
    cached: false,
    generatedAt: ctx.now().toISOString(),
  };
}

function answered(
  ctx: EngineContext,
  base: BriefingBase,
  bullets: Briefing['bullets'],
  sources: Source[],
  numberOf: Map<number, number>,
  timeline: Timeline,
): Briefing {
  // Key dates are events of their own, each cited; an article not cited by a bullet becomes a source.
  const keyDates: KeyDate[] = (timeline ?? [])
    .map((c) => {
      const quote = ctx.index.articles[c.article]!.text.slice(c.start, c.end);
      const n = cite(
        ctx.index,
        sources,
        numberOf,
        c.article,
        quote,
        c.speaker && withoutUndefined(c.speaker),
      );
      return { date: isoFromDay(c.day), text: clip(quote, DEFAULT_CITATIONS.keyDateChars), citation: n };
    })
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.citation - b.citation));
  // Evidence is as of its newest source: a briefing, or an answer about the current state, says so.
  const newest = bullets.reduce((d, b) => (b.date !== undefined && b.date > d ? b.date : d), '');
  return {
    ...publicPart(base),
    ...(newest !== '' && (timeline !== undefined || base.current === true) ? { asOf: newest } : {}),
    status: 'answered',
    bullets,
    keyDates,
    sources,
    corpusVersion: ctx.corpusVersion,
    generatedBy: ctx.generatedBy,
    cached: false,
    generatedAt: ctx.now().toISOString(),
  };
}

/** The number of an article's source, adding the source the first time the article is cited. */
function cite(
  index: SearchIndex,
  sources: Source[],
  numberOf: Map<number, number>,
  articleIndex: number,
  quote: string,
  speaker?: Source['speaker'],
): number {
  const known = numberOf.get(articleIndex);
  if (known !== undefined) return known;
  const n = sources.length + 1;
  numberOf.set(articleIndex, n);
  const article = index.articles[articleIndex]!;
  sources.push({
    n,
    articleId: article.id,
    title: article.title,
    date: article.date,
    publisher: article.publisher,
    url: article.url,
    quote,
    ...(speaker ? { speaker } : {}),
  });
  return n;
}

/** The sentence of a passage sharing most terms with `words`, as an exact quote. */
function bestSentence(
  index: SearchIndex,
  passage: number,
  words: Set<string>,
): { text: string; score: number } {
  const article = index.articles[index.passageArticle[passage]!]!;
  let best = { text: '', score: -1 };
  for (let s = index.passageFirstSentence[passage]!; s < index.passageLastSentence[passage]!; s++) {
    // A reporter's question is never a source's quote, nor is an over-long run-on.
    if (sentenceFlags(index, s) !== 0) continue;
    const text = article.text.slice(index.sentenceStart[s]!, index.sentenceEnd[s]!);
    const score = terms(text).filter((t) => words.has(t)).length;
    if (score > best.score) best = { text, score };
  }
  return best;
}

/** `s` cut to `max` characters at a word boundary (never before half of `max`), with an ellipsis. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max / 2))}…`;
}

/** A speaker as JSON carries it: no keys for what the document does not say. */
function withoutUndefined(speaker: NonNullable<Source['speaker']>): NonNullable<Source['speaker']> {
  return {
    role: speaker.role,
    ...(speaker.name !== undefined ? { name: speaker.name } : {}),
    ...(speaker.title !== undefined ? { title: speaker.title } : {}),
  };
}

/** What of a request's base goes into the answer: its own fields, and corrections only when there are any. */
function publicPart(base: BriefingBase): Pick<Briefing, 'kind' | 'query' | 'topic' | 'corrections'> {
  const { current: _current, corrections, ...rest } = base;
  return { ...rest, ...(corrections !== undefined && corrections.length > 0 ? { corrections } : {}) };
}
