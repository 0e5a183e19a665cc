import { isoFromDay } from './dates.ts';
import type { SearchIndex } from './index/build.ts';
import { bm25Idf } from './index/postings.ts';
import { tokenize } from './index/tokenize.ts';
import type { QueryPlan } from './query.ts';
import type { RetrieveFilters, ScoredPassage } from './retrieve.ts';
import { expectedAnswers, holdsAnswer } from './summarize/answer-type.ts';
import { conceptsIn, share } from './summarize/evidence.ts';

/**
 * Abstention: whether the corpus can answer a question at all, decided before anything is quoted. A user
 * must never get an answer stitched from passages that merely share the question's words.
 */

/** Minimum share of a question's weight that one passage must hold before the engine answers. */
const MIN_EVIDENCE = 0.5;
/** The same for questions of three concepts or fewer ("population of Mosul" is not answered by "Mosul"). */
const MIN_EVIDENCE_SHORT = 0.75;

/**
 * Why the corpus cannot answer a query (`refusal`), or else the retrieved passages that name what it is
 * about (`anchored`): the only ones an answer may quote.
 */
export function judge(
  index: SearchIndex,
  plan: QueryPlan,
  weights: readonly number[],
  passages: readonly ScoredPassage[],
  filters: RetrieveFilters,
): { refusal: string } | { refusal: undefined; anchored: ScoredPassage[] } {
  const refuse = (refusal: string) => ({ refusal });
  if (plan.absentNames.length > 0) return refuse(`The corpus never mentions ${quoteList(plan.absentNames)}.`);
  const never =
    plan.unknownNames.length > 0 ? ` The corpus never mentions ${quoteList(plan.unknownNames)}.` : '';
  if (plan.concepts.length === 0) return refuse(`Nothing in the corpus matches "${plan.text}".${never}`);
  const { best, anchored } = evidence(index, plan, weights, passages);
  // A short question is mostly its specific ask: with three concepts or fewer, one missing is too many.
  const needed = plan.concepts.length <= 3 ? MIN_EVIDENCE_SHORT : MIN_EVIDENCE;
  if (best < needed) return refuse(`No passage in the corpus answers this${dated(filters)}.${never}`);
  return { refusal: undefined, anchored };
}

/**
 * The largest share of the question's weight that one retrieved passage (with its title) holds. Words the
 * corpus has never seen weigh as much as its rarest word and are never present: a question about
 * something absent cannot be answered by the passages that share its other words.
 */
function evidence(
  index: SearchIndex,
  plan: QueryPlan,
  weights: readonly number[],
  passages: readonly ScoredPassage[],
): { best: number; anchored: ScoredPassage[] } {
  const missing = plan.unknown.length * bm25Idf(index.passageArticle.length, 1);
  const all = [...weights, missing];
  const types = expectedAnswers(plan.text);
  // The passage must name what the question is most specifically about (its rarest topic or name):
  // "soldiers killed in a drone attack" elsewhere does not answer a question about Tower 22.
  let anchor = -1;
  plan.concepts.forEach((c, i) => {
    if (c.kind !== 'word' && (anchor < 0 || weights[i]! > weights[anchor]!)) anchor = i;
  });
  const asked = new Set(tokenize(plan.text).map((t) => t.term));
  let best = 0;
  const anchored: ScoredPassage[] = [];
  for (const scored of passages.slice(0, 20)) {
    const a = index.passageArticle[scored.passage]!;
    const article = index.articles[a]!;
    const own = article.text.slice(index.passageStart[scored.passage], index.passageEnd[scored.passage]);
    const present = conceptsIn(index, plan, `${article.title}\n${own}`);
    if (anchor >= 0 && !present[anchor]) continue;
    anchored.push(scored);
    // The fact asked for must be in the passage itself, not the title (which lists a briefing's speakers).
    if (types.some((type) => !holdsAnswer(index, type, own, asked))) continue;
    best = Math.max(best, share([...present, false], all));
  }
  return { best, anchored };
}

export function dated(filters: RetrieveFilters): string {
  return `${filters.articles === undefined ? '' : ` ${filters.articles.describe}`}${datedOnly(filters)}`;
}

function datedOnly(filters: RetrieveFilters): string {
  if (filters.since !== undefined && filters.until !== undefined) {
    return ` between ${isoFromDay(filters.since)} and ${isoFromDay(filters.until)}`;
  }
  if (filters.since !== undefined) return ` since ${isoFromDay(filters.since)}`;
  if (filters.until !== undefined) return ` up to ${isoFromDay(filters.until)}`;
  return '';
}

function quoteList(items: readonly string[]): string {
  return items.map((i) => `"${i}"`).join(', ');
}
