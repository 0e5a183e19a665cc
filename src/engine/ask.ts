/**
 * `ask "<question>"`: an answer only when the corpus holds one. The question's passages must pass
 * {@link judge} (one passage holding enough of the question, its most specific subject and the kind of
 * fact asked for); the answer is built from the passages that anchor it.
 */
import { judge } from './abstain.ts';
import { expandAcronyms } from './acronyms.ts';
import { noSources } from './citations.ts';
import type { EngineContext } from './context.ts';
import { planQuery } from './query.ts';
import {
  type AnswerRequest,
  answerKey,
  checkRequest,
  type LimitRange,
  MAX_QUESTION_CHARS,
  type QueryOptions,
} from './request.ts';
import type { Briefing } from './result.ts';
import { type RetrieveFilters, retrieve } from './retrieve.ts';
import { type CandidateSentence, candidateSentences, conceptWeights } from './summarize/evidence.ts';
import { selectSentences } from './summarize/extractive.ts';
import { summarise } from './summary.ts';

/** How an answer is made. */
export interface AskOptions {
  /** Bullets at most. @default { default: 5, min: 1, max: 7 } — one sentence can answer a question. */
  limit: LimitRange;
  /**
   * Passages retrieved for the answer and its refusal check.
   * @default 40 — a question is narrower than a topic; fewer candidates keep the answer on it.
   */
  passages: number;
  /** Bullets from one article. @default 2 — an answer may need a fact and its context from one report. */
  perArticle: number;
  /**
   * For a question about the current state: share of the best sentence's coverage a sentence needs to
   * count as evidence of that state. @default 0.6 — it must be about the same subject, not a passing word.
   */
  currentCoverage: number;
  /** Days before the newest such evidence that still count as the current state. @default 60 */
  currentWindowDays: number;
}

export const DEFAULT_ASK: AskOptions = {
  limit: { default: 5, min: 1, max: 7 },
  passages: 40,
  perArticle: 2,
  currentCoverage: 0.6,
  currentWindowDays: 60,
};

/** A checked `ask` request. */
export interface AskRequest extends AnswerRequest {
  filters: RetrieveFilters;
  limit: number;
}

/** Checks an `ask` request (a {@link UserError} when it cannot be answered as asked). */
export function askRequest(
  ctx: EngineContext,
  input: string,
  options: QueryOptions,
  settings: AskOptions = DEFAULT_ASK,
): AskRequest {
  const checked = { maxChars: MAX_QUESTION_CHARS, what: 'question', limit: settings.limit };
  const { asked, filters, limit } = checkRequest(ctx, input, options, checked);
  const query = asked.toLowerCase().replace(/\s+/g, ' ');
  return { asked, filters, limit, key: answerKey(ctx, 'ask', query, filters, limit) };
}

export async function ask(
  ctx: EngineContext,
  request: AskRequest,
  settings: AskOptions = DEFAULT_ASK,
): Promise<Briefing> {
  const { index } = ctx;
  const { asked: question, filters, limit } = request;
  const base = { kind: 'ask' as const, query: question };
  const plan = expandAcronyms(index, planQuery(index, question), filters, ctx.ranking);
  const passages = retrieve(index, plan, filters, settings.passages, ctx.ranking);
  const weights = conceptWeights(index, plan);
  const verdict = judge(index, plan, weights, passages, filters);
  if (verdict.refusal !== undefined) return noSources(ctx, base, verdict.refusal);
  const candidates = candidateSentences(index, plan, weights, verdict.anchored).filter((c) => c.coverage > 0);
  const chosen = plan.wantsRecent
    ? newestFirst(candidates, limit, settings)
    : selectSentences(candidates, { max: limit, perArticle: settings.perArticle });
  if (chosen.length === 0) return noSources(ctx, base, 'No passage in the corpus answers this.');
  const answerBase = { ...base, corrections: plan.corrections, current: plan.wantsRecent };
  return summarise(ctx, answerBase, question, chosen, verdict.anchored, undefined);
}

/**
 * A question about the current state is answered from the newest evidence: the newest passages that
 * hold as much of the question as the best one does lead, newest first; an older state may follow only
 * as background, never ahead of a newer one.
 */
function newestFirst(
  candidates: readonly CandidateSentence[],
  limit: number,
  settings: AskOptions,
): CandidateSentence[] {
  // The state itself must be in the sentence's own words: a digest line that only shares the title's topic
  // is not evidence of how things stand now.
  const best = Math.max(0, ...candidates.map((c) => c.ownCoverage));
  const day = (c: CandidateSentence) => c.day;
  const strong = candidates.filter((c) => c.ownCoverage >= best * settings.currentCoverage);
  const newest = Math.max(...strong.map(day));
  const lead = selectSentences(
    strong.filter((c) => day(c) >= newest - settings.currentWindowDays),
    { max: limit, perArticle: settings.perArticle },
  );
  const taken = new Set(lead.map((c) => `${c.article}:${c.start}`));
  const rest = selectSentences(
    candidates.filter((c) => !taken.has(`${c.article}:${c.start}`)),
    { max: limit - lead.length, perArticle: settings.perArticle },
  );
  return [...lead.sort((a, b) => day(b) - day(a)), ...rest.sort((a, b) => day(b) - day(a))];
}
