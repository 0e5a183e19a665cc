/**
 * `ask "<question>"`: an answer only when the corpus holds one. The question's passages must pass
 * {@link judge} (one passage holding enough of the question, its most specific subject and the kind of
 * fact asked for); the answer is built from the passages that anchor it.
 */
import { judge, namesTime } from './abstain.ts';
import { expandAcronyms } from './acronyms.ts';
import { noSources } from './citations.ts';
import type { EngineContext } from './context.ts';
import { findTimeExpressions, MONTH_NAMES } from './dates.ts';
import type { SearchIndex } from './index/build.ts';
import { tokenize } from './index/tokenize.ts';
import { planQuery, type QueryPlan } from './query.ts';
import {
  type AnswerRequest,
  answerKey,
  checkRequest,
  type LimitRange,
  MAX_QUESTION_CHARS,
  type QueryOptions,
} from './request.ts';
import type { Briefing } from './result.ts';
import { inWindow, type RetrieveFilters, retrieve, type ScoredPassage } from './retrieve.ts';
import { expectedAnswers, holdsAnswer, PASSAGE_FACTS } from './summarize/answer-type.ts';
import {
  type CandidateSentence,
  candidateSentences,
  conceptWeights,
  itemDay,
  sentenceKey,
  withAnswers,
} from './summarize/evidence.ts';
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
  /**
   * For a question about the current state, days over which a sentence's weight as evidence halves.
   * @default 365 — a year-old report of a state counts half as much as today's.
   */
  currentHalfLifeDays: number;
  /**
   * Coverage factor for a sentence that holds the kind of fact asked for (a person for "who", a number
   * for "how many"). @default 1.5 — the answer before the sentences that merely share its words.
   */
  typedFactor: number;
}

export const DEFAULT_ASK: AskOptions = {
  limit: { default: 5, min: 1, max: 7 },
  passages: 40,
  perArticle: 2,
  currentCoverage: 0.6,
  currentWindowDays: 60,
  currentHalfLifeDays: 365,
  typedFactor: 1.5,
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
  const { asked: question, filters, limit } = request;
  const base = { kind: 'ask' as const, query: question };
  // A two-part question ("…, and whose funeral did he join?") is two questions, each with its own
  // evidence: it is answered when either part is, from the evidence of each part that is.
  const parts = questionParts(question).map((part) => answerPart(ctx, part, filters, settings));
  const answered = parts.filter((p) => p.refusal === undefined);
  // Nothing found even as the sources spell it: the refusal still says what was searched for.
  if (answered.length === 0)
    return noSources(ctx, { ...base, corrections: parts[0]!.plan.corrections }, parts[0]!.refusal!);
  const share = Math.max(1, Math.ceil(limit / answered.length));
  const chosen: CandidateSentence[] = [];
  for (const part of answered) {
    const taken = new Set(chosen.map((c) => sentenceKey(c)));
    const fresh = part.candidates.filter((c) => !taken.has(sentenceKey(c)));
    const picked = part.plan.wantsRecent
      ? newestFirst(fresh, share, settings)
      : selectSentences(fresh, { max: share, perArticle: settings.perArticle });
    chosen.push(...picked.slice(0, limit - chosen.length));
  }
  if (chosen.length === 0) return noSources(ctx, base, 'No passage in the corpus answers this.');
  const plan = answered[0]!.plan;
  const corrections = answered.flatMap((p) => p.plan.corrections);
  const unique = corrections.filter((c, i) => corrections.findIndex((d) => d.from === c.from) === i);
  const answerBase = { ...base, corrections: unique, current: plan.wantsRecent };
  const anchored = answered.flatMap((p) => p.anchored);
  return summarise(ctx, answerBase, question, chosen, anchored, undefined);
}

/** One part of a question: its plan, and either why the corpus cannot answer it or its evidence. */
interface PartAnswer {
  plan: QueryPlan;
  refusal: string | undefined;
  anchored: ScoredPassage[];
  candidates: CandidateSentence[];
}

function answerPart(
  ctx: EngineContext,
  text: string,
  filters: RetrieveFilters,
  settings: AskOptions,
): PartAnswer {
  const { index } = ctx;
  const plan = expandAcronyms(index, planQuery(index, text), filters, ctx.ranking);
  const passages = retrieve(index, plan, filters, settings.passages, ctx.ranking);
  const weights = conceptWeights(index, plan);
  const verdict = judge(index, plan, weights, passages, filters);
  if (verdict.refusal !== undefined) return { plan, refusal: verdict.refusal, anchored: [], candidates: [] };
  // A sentence that holds the kind of fact asked for (the person a "who" asks for, the number of a "how
  // many") answers better than one that only shares the question's words.
  const types = expectedAnswers(plan.text).filter((t) => !PASSAGE_FACTS.has(t));
  const asked = new Set(tokenize(plan.text).map((t) => t.term));
  const quote = (c: CandidateSentence) => index.articles[c.article]!.text.slice(c.start, c.end);
  const all = candidateSentences(index, plan, weights, withAnswers(index, verdict.anchored)).filter(
    (c) => c.coverage > 0,
  );
  // A question about what someone said ("did the White House admit …") is answered in their words, or
  // in a report of them: another source's account of the events is not their statement.
  const voiced = all.filter((c) => c.voiced);
  const candidates = inWindowFirst(
    index,
    plan,
    voiced.length > 0 ? voiced : all,
    ctx.ranking.windowLagDays,
  ).map((c) =>
    types.length > 0 && types.every((t) => holdsAnswer(index, t, quote(c), asked, plan.text))
      ? {
          ...c,
          coverage: Math.min(1, c.coverage * settings.typedFactor),
          ownCoverage: Math.min(1, c.ownCoverage * settings.typedFactor),
        }
      : c,
  );
  return { plan, refusal: undefined, anchored: verdict.anchored, candidates };
}

/**
 * A question bounded in time is told by what happened then: where some sentences report its window, one
 * that reports another time ("March 2023: An Iranian drone attack …" in a later fact sheet, for a question
 * about October 2023) counts half.
 */
function inWindowFirst(
  index: SearchIndex,
  plan: QueryPlan,
  candidates: CandidateSentence[],
  lagDays: number,
): CandidateSentence[] {
  const window = plan.window;
  if (window === undefined) return candidates;
  // Reported then, or naming the time itself ("the strike against Soleimani in January of 2020"); a
  // timeline item's own date ("January 10, 2024: …") says when, whatever year it shares with the window.
  const inside = (c: CandidateSentence) => {
    if (inWindow(c.day, window, lagDays)) return true;
    const text = index.articles[c.article]!.text.slice(c.start, c.end);
    return itemDay(text) === undefined && namesTime(text, plan);
  };
  const within = new Set(candidates.filter(inside).map((c) => c.article));
  if (within.size === 0) return candidates;
  // Where several articles report the window (one, for a window named relative to now: "in the last
  // month"), the answer is theirs alone: a 2022 line is no answer about March 2026, however well it matches.
  const enough = plan.times.some((t) => t.relative === true) ? 1 : IN_WINDOW_ENOUGH;
  if (within.size >= enough) return candidates.filter(inside);
  return candidates.map((c) =>
    inside(c)
      ? c
      : { ...c, coverage: c.coverage * OUT_OF_WINDOW, ownCoverage: c.ownCoverage * OUT_OF_WINDOW },
  );
}

/** Weight factor, as evidence of the current state, of a sentence that leans on the one before. */
const DEPENDENT_LEAD = 0.7;

/** Coverage factor of a sentence reporting another time than the question's window. */
const OUT_OF_WINDOW = 0.5;
/** Articles reporting a question's window that make it the answer's only time. */
const IN_WINDOW_ENOUGH = 3;

// ", and which …", "; how many …": a second question joined to the first.
const SECOND_QUESTION =
  /(?:,\s*and|;|\s+and)\s+(?=(?:which|what|who|whose|whom|how|when|where|why|did|does|do|is|are|was|were|has|have)\b)/i;

// A capitalised name, with the small words and hyphens names carry ("Deir ez-Zor", "Abu Ali al-Askari").
const NAME = /[A-Z][\w'’]*(?:[- ](?:(?:of|al|el|ez|ad|bin|ibn|de)[- ])?[A-Z][\w'’]*)*/g;
const QUESTION_WORD = /^(?:What|Which|Who|Whose|How|When|Where|Why|Did|Does|Do|Is|Are|Was|Were|Has|Have)$/;
// A second part that speaks of the first's subject: "… and does it still control Aden?", "whose funeral did
// he join?", "did the White House take it at face value?" (not "its sailors": India's, named there).
const REFERS_BACK = /\b(?:it|he|she|they|him|them)\b/i;

const ASKS_WHEN = /^(?:when|on what (?:date|day)|in what (?:year|month)|what (?:date|day|year|month))\b/i;

// "in July", "since early March": a month (capitalised, after a preposition or a part) without its year.
const MONTH_WITHOUT_YEAR = new RegExp(
  `(?<=\\b(?:in|since|until|by|during|before|after|of|early|mid|late|that)[\\s-]+)(?:${MONTH_NAMES.map((m) => m[0]!.toUpperCase() + m.slice(1)).join('|')})\\b(?!,?\\s+\\d{4})`,
  'g',
);

const isMonth = (name: string) => MONTH_NAMES.includes(name.toLowerCase());

/** The capitalised names of a question part, without the question word it opens with ("Which Indian…"). */
function namesIn(part: string): string[] {
  return [...part.matchAll(NAME)]
    .map((n, i) => {
      if (i !== 0 || n.index !== 0) return n[0];
      const [word, ...rest] = n[0].split(' ');
      return QUESTION_WORD.test(word!) ? rest.join(' ') : n[0];
    })
    .filter((n) => n !== '');
}

/**
 * The parts of a two-part question, each able to stand alone: the second part borrows the first's
 * names and times it does not repeat ("…in December 2024, and which other air force bombed IS targets?").
 */
export function questionParts(question: string): string[] {
  const m = SECOND_QUESTION.exec(question);
  if (m === null) return [question];
  const first = question.slice(0, m.index).trim();
  const second = question.slice(m.index + m[0].length).trim();
  if (first.split(/\s+/).length < 4 || second.split(/\s+/).length < 3) return [question];
  // The second part keeps the first's names and times as its context ("…, and whose funeral did he
  // join?", "…, and how has Riyadh responded?"), unless it names its own, and its own time, and speaks of
  // no one before: "…, and why had India told its sailors to avoid Hormuz in July?" is about India in
  // July, not the ship of the first part.
  const times = findTimeExpressions(first).map((t) => first.slice(t.start, t.end));
  const names = namesIn(first).filter((n) => !isMonth(n) && !times.some((t) => t.includes(n)));
  // A month named without its year ("… in July?") is the one nearest the first part's time.
  const [firstTime] = findTimeExpressions(first);
  const dated =
    firstTime === undefined || findTimeExpressions(second).length > 0
      ? second
      : second.replace(MONTH_WITHOUT_YEAR, (month) => {
          // The nearest such month: January after November 2023 is January 2024; July before August 2026
          // is July 2026.
          const m = MONTH_NAMES.indexOf(month.toLowerCase());
          const gap = firstTime.month === undefined ? 0 : m - firstTime.month;
          return `${month} ${firstTime.year + (gap < -6 ? 1 : gap > 6 ? -1 : 0)}`;
        });
  const ownTimes = findTimeExpressions(dated).length > 0;
  const context = [
    ...(ownTimes &&
    namesIn(dated).some((n) => !times.some((t) => t.includes(n)) && !isMonth(n)) &&
    !REFERS_BACK.test(second)
      ? []
      : names),
    // A part asking when is not bounded by the first part's time: that is what it asks.
    ...(ownTimes || ASKS_WHEN.test(second) ? [] : times),
  ].filter((n) => !second.includes(n));
  const borrowed = context.length === 0 ? '' : ` (${context.join(', ')})`;
  return [first, `${dated.replace(/\?$/, '')}${borrowed}?`];
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
  // The state itself must be in the sentence's own words (a digest line that only shares the title's
  // topic is not evidence of how things stand now), and newer evidence weighs more: a question about now
  // trades a little of the match for a lot of recency.
  const day = (c: CandidateSentence) => c.day;
  // The state is told of the question's subject: a line naming all its names, where one does.
  const named = candidates.filter((c) => c.allNames);
  const pool = named.length > 0 ? named : candidates;
  const latest = Math.max(...pool.map(day));
  // A sentence that leans on the one before ("However, … reject an offer and will keep theirs") reads as a
  // reply to something the reader was not shown: it leads only when nothing plainer says as much.
  const weight = (c: CandidateSentence) =>
    c.ownCoverage *
    0.5 ** ((latest - c.day) / settings.currentHalfLifeDays) *
    (c.dependent ? DEPENDENT_LEAD : 1);
  const best = Math.max(0, ...pool.map(weight));
  const strong = pool.filter((c) => weight(c) >= best * settings.currentCoverage);
  // The window of the current state is measured from the best evidence, not from the newest passing
  // mention: a fresh line that only names the subject must not push the answer out of the window.
  const top = strong.reduce((a, b) => (weight(b) > weight(a) ? b : a), strong[0]!);
  const lead = selectSentences(
    strong.filter((c) => day(c) >= day(top) - settings.currentWindowDays),
    { max: limit, perArticle: settings.perArticle },
  );
  const taken = new Set(lead.map((c) => sentenceKey(c)));
  const rest = selectSentences(
    candidates.filter((c) => !taken.has(sentenceKey(c))),
    { max: limit - lead.length, perArticle: settings.perArticle },
  );
  // The best evidence of the current state first; what else is known after it, newest first.
  return [...lead.sort((a, b) => weight(b) - weight(a)), ...rest.sort((a, b) => day(b) - day(a))];
}
