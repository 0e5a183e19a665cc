/** `search "<query>"`: the best-matching articles, one row per article, each with its best sentence. */
import { clip } from './citations.ts';
import type { EngineContext } from './context.ts';
import { planQuery } from './query.ts';
import {
  checkQuery,
  clampLimit,
  type LimitRange,
  MAX_QUESTION_CHARS,
  type QueryOptions,
  readFilters,
} from './request.ts';
import type { SearchResult } from './result.ts';
import { retrieve } from './retrieve.ts';
import { candidateSentences, conceptWeights } from './summarize/evidence.ts';
import { sentenceScore } from './summarize/extractive.ts';

/** How search results are found and shown. */
export interface SearchOptions {
  /** Results at most. @default { default: 10, min: 1, max: 50 } */
  limit: LimitRange;
  /**
   * Passages retrieved per result asked for.
   * @default 8 — results are articles, and an article's passages often rank together.
   */
  passagesPerResult: number;
  /** Longest snippet, in characters (cut at a word). @default 240 — two lines in a terminal or an embed. */
  snippetChars: number;
}

export const DEFAULT_SEARCH: SearchOptions = {
  limit: { default: 10, min: 1, max: 50 },
  passagesPerResult: 8,
  snippetChars: 240,
};

export function search(
  ctx: EngineContext,
  input: string,
  options: QueryOptions,
  settings: SearchOptions = DEFAULT_SEARCH,
): SearchResult {
  const { index } = ctx;
  const query = checkQuery(input, MAX_QUESTION_CHARS, 'query');
  const limit = clampLimit(options.limit, settings.limit);
  const plan = planQuery(index, query);
  const passages = retrieve(
    index,
    plan,
    readFilters(ctx, options),
    limit * settings.passagesPerResult,
    ctx.ranking,
  );
  const weights = conceptWeights(index, plan);
  const best = new Map<number, { score: number; passage: number }>();
  for (const p of passages) {
    const a = index.passageArticle[p.passage]!;
    if (!best.has(a)) best.set(a, p);
  }
  const results = [...best.entries()].slice(0, limit).map(([a, p]) => {
    const article = index.articles[a]!;
    const sentences = candidateSentences(index, plan, weights, [p]);
    const top = sentences.sort((x, y) => sentenceScore(y) - sentenceScore(x))[0];
    const snippet =
      top === undefined ? '' : clip(article.text.slice(top.start, top.end), settings.snippetChars);
    return {
      articleId: article.id,
      title: article.title,
      date: article.date,
      score: round(p.score),
      snippet,
    };
  });
  return { query, results };
}

/** Scores to three decimals: enough to order by, short in JSON. */
function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
