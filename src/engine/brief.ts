/**
 * `brief <topic>`: a briefing on a curated topic, a discovered name or free text. Passages are ranked
 * with more weight on recency (a briefing is about the state of things), re-weighted by how central the
 * topic is to each article, and summarised one bullet per article where the corpus allows.
 */
import { UserError } from '../errors.ts';
import { dated, judge } from './abstain.ts';
import { noSources } from './citations.ts';
import type { EngineContext } from './context.ts';
import { dayNumber, isoFromDay } from './dates.ts';
import { passagesMentioning, type SearchIndex, sortedHas } from './index/build.ts';
import { conceptPostings, countSequence, passageTerms } from './index/postings.ts';
import { isStopWord, normaliseTerm, terms } from './index/tokenize.ts';
import type { Topic } from './index/topics.ts';
import { type Concept, planQuery, type QueryPlan } from './query.ts';
import {
  type AnswerRequest,
  answerKey,
  checkRequest,
  type LimitRange,
  MAX_TOPIC_CHARS,
  type QueryOptions,
} from './request.ts';
import type { Briefing } from './result.ts';
import {
  forEachTitlePosting,
  passesFilters,
  type RankingOptions,
  type RetrieveFilters,
  retrieve,
  type ScoredPassage,
} from './retrieve.ts';
import {
  type CandidateSentence,
  candidateSentences,
  conceptWeights,
  sentenceKey,
  similarity,
} from './summarize/evidence.ts';
import { selectSentences, sentenceScore } from './summarize/extractive.ts';
import { summarise } from './summary.ts';
import { escapeRegExp } from './text.ts';

/** How a briefing is made. */
export interface BriefOptions {
  /** Bullets at most. @default { default: 6, min: 3, max: 7 } — a screenful; fewer than 3 is not a briefing. */
  limit: LimitRange;
  /**
   * Passages retrieved before sentences are chosen.
   * @default 60 — several per article for the bullets' articles, after centrality re-ranks them.
   */
  passages: number;
  /** Bullets from one article on the first pass. @default 1 — one per article keeps a briefing broad. */
  perArticle: number;
  /**
   * Fewer bullets than this on the first pass, and a second pass allows {@link widenedPerArticle}.
   * @default 3 — a small corpus may have few articles on a topic.
   */
  widenBelow: number;
  /** Bullets from one article on the second pass. @default 3 */
  widenedPerArticle: number;
  /**
   * Score factor for a passage whose article names the topic in its title (before the share of its
   * passages that mention it is added). @default 1.5 — a title names what an article is about.
   */
  titleFactor: number;
  /**
   * Days before the topic's newest passage that count as its latest coverage.
   * @default 60 — the topic's own recent window: a quiet topic's "latest" may be a year old, a busy one's
   * is the last two months, measured from its newest relevant article rather than from today.
   */
  latestWindowDays: number;
  /**
   * Within the latest window, days over which a line's weight halves. @default 14 — a fortnight-old
   * report of the topic leads only where it matches twice as well as the newest.
   */
  latestHalfLifeDays: number;
  /**
   * For free text of several words: days the newest passage holding all of them may trail the newest one
   * naming its anchor and still set the latest coverage. @default 365 — words a year out of use ("civil
   * war" for coverage that now reports the fighting itself) no longer name the story.
   */
  qualifiedStaleDays: number;
  /** Share of the bullets given to the latest coverage, when it has enough. @default 0.5 */
  latestShare: number;
  /** Key dates at most: events the bullets do not already say. @default 5 — a timeline, not a list. */
  keyDates: number;
  /**
   * Score factor for a sentence that leans on the one before ("However, …", "They …").
   * @default 0.7 — a bullet is read alone; kept only when nothing plainer says as much.
   */
  dependentPenalty: number;
  /**
   * Score factor for a sentence that reports no development (a view, praise, a promise, an explanation).
   * @default 0.7 — a briefing is what happened; a view is kept when no event says as much.
   */
  viewPenalty: number;
  /**
   * Ranking settings a briefing changes. @default { recency: 0.3, recencyHalfLifeDays: 365 } — a briefing
   * is about the state of things, so newer counts more, over a year rather than half of one.
   */
  ranking: Partial<RankingOptions>;
}

export const DEFAULT_BRIEF: BriefOptions = {
  limit: { default: 6, min: 3, max: 7 },
  passages: 60,
  perArticle: 1,
  widenBelow: 3,
  widenedPerArticle: 3,
  titleFactor: 1.5,
  latestWindowDays: 60,
  latestHalfLifeDays: 14,
  qualifiedStaleDays: 365,
  keyDates: 5,
  dependentPenalty: 0.7,
  viewPenalty: 0.7,
  latestShare: 0.5,
  ranking: { recency: 0.3, recencyHalfLifeDays: 365 },
};

/** How a `brief` argument was understood. */
export type ResolvedTopic =
  | { kind: 'curated' | 'discovered'; topic: Topic; index: number }
  | { kind: 'free-text'; text: string };

/** Which topic a `brief` argument names: a curated slug or alias, a discovered name, or free text. */
export function resolveTopic(index: SearchIndex, input: string): ResolvedTopic {
  const curated = index.matcher.resolveSlug(input);
  if (curated !== undefined) return { kind: 'curated', topic: index.topics[curated]!, index: curated };
  const key = input.trim().toLowerCase();
  // A discovered topic answers to its variants too ("Biden" is Joe Biden).
  const found = index.topics.findIndex(
    (t) =>
      !t.curated &&
      (t.slug === key || t.name.toLowerCase() === key || t.aliases.some((a) => a.toLowerCase() === key)),
  );
  if (found >= 0) return { kind: 'discovered', topic: index.topics[found]!, index: found };
  return { kind: 'free-text', text: input.replace(/[-_]+/g, ' ').trim() };
}

/** A checked `brief` request. */
export interface BriefRequest extends AnswerRequest {
  resolved: ResolvedTopic;
  filters: RetrieveFilters;
  limit: number;
}

/** A year standing among other words of free text (not a name's number: "Tower 22", "UNSCR 2735"). */
const YEAR_WORD = /(?<=^|[\s(])((?:19|20)\d{2})(?=$|[\s).,;:!?])/;

/**
 * The year free text is bounded to, and its other words: a year the corpus reaches, not one a name the
 * corpus writes carries ("saudi vision 2030", "euro 2024").
 */
function timeYear(
  index: SearchIndex,
  text: string,
): { year: string; since: number; until: number; rest: string } | undefined {
  const m = YEAR_WORD.exec(text);
  if (m === null) return undefined;
  const year = m[1]!;
  const rest = text.replace(YEAR_WORD, ' ').replace(/[()]/g, ' ').replace(/\s+/g, ' ').trim();
  if (rest === '' || Number(year) > Number(isoFromDay(index.newestDay).slice(0, 4))) return undefined;
  const id = (w: string | undefined) =>
    w === undefined ? undefined : index.vocabulary.get(normaliseTerm(w));
  const own = id(year);
  const before = id(text.slice(0, m.index).match(/(\p{L}+)\W*$/u)?.[1]);
  const after = id(text.slice(m.index + year.length).match(/^\W*(\p{L}+)/u)?.[1]);
  const written = (terms: (number | undefined)[]) =>
    terms.every((t) => t !== undefined) &&
    conceptPostings(index, { kind: 'phrase', terms: terms as number[] }).ids.length > 0;
  if (own !== undefined && (written([before, own]) || written([own, after]))) return undefined;
  return {
    year,
    since: dayNumber(`${year}-01-01`),
    until: dayNumber(`${year}-12-31`),
    rest,
  };
}

/** Checks a `brief` request (a {@link UserError} when it cannot be answered as asked). */
export function briefRequest(
  ctx: EngineContext,
  input: string,
  options: QueryOptions,
  settings: BriefOptions = DEFAULT_BRIEF,
): BriefRequest {
  const checked = { maxChars: MAX_TOPIC_CHARS, what: 'topic', limit: settings.limit };
  const checkedRequest = checkRequest(ctx, input, options, checked);
  const { asked, limit } = checkedRequest;
  let { filters } = checkedRequest;
  let resolved = resolveTopic(ctx.index, asked);
  // A year among free text's words ("iran protests 2026") says when, not what: the briefing keeps to
  // that year (within any --since/--until), and reads the other words as its topic.
  const year = resolved.kind === 'free-text' ? timeYear(ctx.index, resolved.text) : undefined;
  if (year !== undefined) {
    const since = Math.max(filters.since ?? year.since, year.since);
    const until = Math.min(filters.until ?? year.until, year.until);
    if (since > until) {
      const asked = [
        filters.since === undefined ? '' : `--since ${isoFromDay(filters.since)}`,
        filters.until === undefined ? '' : `--until ${isoFromDay(filters.until)}`,
      ].filter((x) => x !== '');
      throw new UserError(
        'bad_date',
        `${year.year} is outside ${asked.join(' ')}: drop the year from the topic or change the dates`,
      );
    }
    filters = { ...filters, since, until };
    resolved = resolveTopic(ctx.index, year.rest);
  }
  // Every spelling of a topic ("KH", "kataib-hezbollah") shares one key: the key holds the slug.
  const query = resolved.kind === 'free-text' ? resolved.text.toLowerCase() : resolved.topic.slug;
  return { asked, resolved, filters, limit, key: answerKey(ctx, 'brief', query, filters, limit) };
}

export async function brief(
  ctx: EngineContext,
  request: BriefRequest,
  settings: BriefOptions = DEFAULT_BRIEF,
): Promise<Briefing> {
  const { index } = ctx;
  const { asked, resolved, filters, limit } = request;
  const plan =
    resolved.kind === 'curated'
      ? topicPlan(resolved.index, resolved.topic.name)
      : planQuery(index, 'text' in resolved ? resolved.text : resolved.topic.name);
  const topic =
    resolved.kind === 'free-text'
      ? undefined
      : { slug: resolved.topic.slug, name: resolved.topic.name, aliases: resolved.topic.aliases };
  const label = topic?.name ?? asked;
  const base = { kind: 'brief' as const, query: asked, ...(topic ? { topic } : {}) };
  const ranking = { ...ctx.ranking, ...settings.ranking };
  const retrieved = retrieve(index, plan, filters, settings.passages, ranking);
  // Free text that the corpus writes as a name ("galaxy leader" is the ship Galaxy Leader) keeps to the
  // passages naming it. Words that qualify a known topic ("yemen civil war", "syria sanctions") are not
  // such a name: coverage of the topic that never uses them ("Houthi attacks in Marib") still counts.
  // Either may name a thing of its own ("gaza pier", "al-ahli hospital"): see thingFilter.
  const named =
    resolved.kind !== 'free-text'
      ? undefined
      : !plan.concepts.some((c) => c.kind === 'topic')
        ? (nameFilter(index, resolved.text, retrieved) ?? thingFilter(index, plan, retrieved))
        : thingFilter(index, plan, retrieved);
  const passages = centrality(
    index,
    plan,
    named === undefined ? retrieved : retrieved.filter((p) => named(p.passage)),
    settings.titleFactor,
  );
  const weights = conceptWeights(index, plan);
  // A curated or discovered topic is known to exist; free text must show evidence like a question.
  const refusal =
    resolved.kind === 'free-text'
      ? judge(index, plan, weights, passages, filters).refusal
      : plan.concepts.length === 0
        ? `Nothing in the corpus matches "${label}".`
        : undefined;
  if (refusal !== undefined) return noSources(ctx, base, refusal);
  const candidates = candidateSentences(index, plan, weights, passages).filter((c) => c.coverage > 0);
  if (candidates.length === 0)
    return noSources(ctx, base, `Nothing in the corpus about "${label}"${dated(filters)}.`);
  const chosen = latestAndBackground(
    ctx,
    plan,
    weights,
    filters,
    { passages, candidates },
    limit,
    settings,
    ranking,
    named,
  );
  const timeline = keyEvents(candidates, chosen, settings.keyDates);
  return summarise(ctx, { ...base, corrections: plan.corrections }, label, chosen, passages, timeline);
}

/**
 * The bullets of a briefing in two parts. **Latest**: what the topic's newest coverage says — passages
 * naming the topic within {@link BriefOptions.latestWindowDays} of its newest one, newest first. Then
 * **Background**: the best earlier developments, oldest first, one per article. An older passage is
 * never presented as the latest state when newer coverage of the same topic exists.
 */
function latestAndBackground(
  ctx: EngineContext,
  plan: QueryPlan,
  weights: readonly number[],
  filters: RetrieveFilters,
  read: { passages: readonly ScoredPassage[]; candidates: readonly CandidateSentence[] },
  limit: number,
  settings: BriefOptions,
  ranking: RankingOptions,
  named?: (passage: number) => boolean,
): CandidateSentence[] {
  const { index } = ctx;
  const { candidates } = read;
  const anchor = anchorConcept(plan, weights);
  // The passages naming the topic, sorted by passage id (as postings are): looked up by binary search,
  // never copied into a Set — a big topic has tens of thousands.
  const filtered =
    filters.since !== undefined || filters.until !== undefined || filters.articles !== undefined;
  const newestOf = (ids: Uint32Array | undefined): number => {
    let newest = Number.NEGATIVE_INFINITY;
    for (let i = 0; ids !== undefined && i < ids.length; i++) {
      const p = ids[i]!;
      const day = index.passageDay[p]!;
      if (day > newest && (!filtered || passesFilters(index, p, filters))) newest = day;
    }
    return newest;
  };
  let naming = anchor === undefined ? undefined : conceptPostings(index, anchor).ids;
  let newest = newestOf(naming);
  // Free text of several words ("us embassy baghdad") names its topic where a passage holds them all: the
  // latest on the embassy is not the latest on the United States. Unless its words fell out of use long
  // before the anchor's coverage ended ("yemen civil war" is now reported as Houthi attacks): then that
  // coverage is the latest, not a years-old mention. (A year is a judgement: "syria sanctions", last
  // named together 14 months before Syria's newest report, falls back to Syria's latest.)
  if (plan.concepts.length > 1 && anchor !== undefined) {
    const all = holdingAll(index, plan);
    const newestAll = newestOf(all);
    if (
      Number.isFinite(newestAll) &&
      (newestAll >= newest - settings.qualifiedStaleDays || distinctive(index, plan, all))
    ) {
      naming = all;
      newest = newestAll;
    }
  }
  const names = (p: number) => naming !== undefined && sortedHas(naming, p);
  if (naming === undefined || !Number.isFinite(newest)) return order(pick(candidates, limit, settings));
  let since = newest - settings.latestWindowDays;
  const recentFilters = { ...filters, since: Math.max(filters.since ?? since, since) };
  const recentPassages = retrieve(index, plan, recentFilters, settings.passages, ranking).filter(
    (p) => names(p.passage) && (named === undefined || named(p.passage)),
  );
  // A recent document's timeline item about an old event is background, not the latest.
  let recent = candidatesAgain(index, plan, weights, read, recentPassages).filter(
    (c) => c.coverage > 0 && c.day >= since,
  );
  if (recent.length === 0 && candidates.length > 0) {
    // The newest documents only retell old events (a fact sheet's timeline): the latest is then what the
    // newest reported event says, and the window is measured from it.
    since = Math.max(...candidates.map((c) => c.day)) - settings.latestWindowDays;
    recent = candidates.filter((c) => c.day >= since);
  }
  // The latest is the newest news first: within the window, a line weighs less the older it is, so a
  // one-line story in today's long digest leads before last month's article on the topic.
  const newestDay = Math.max(...recent.map((c) => c.day));
  const fresh = recent.map((c) => ({
    ...c,
    passageScore: c.passageScore * 0.5 ** ((newestDay - c.day) / settings.latestHalfLifeDays),
  }));
  const latest = selectSentences(fresh, {
    max: Math.max(1, Math.round(limit * settings.latestShare)),
    perArticle: 1,
    dependentPenalty: settings.dependentPenalty,
    viewPenalty: settings.viewPenalty,
  });
  const used = new Set(latest.map((c) => c.article));
  const earlier = candidates.filter((c) => !used.has(c.article) && c.day < since);
  const background = pick(earlier, limit - latest.length, settings);
  // A topic whose coverage all falls in its window: the rest of the latest fills the briefing.
  const more =
    latest.length + background.length < limit
      ? selectSentences(
          recent.filter((c) => !used.has(c.article)),
          { max: limit - latest.length - background.length, perArticle: 1 },
        )
      : [];
  const parts = [
    ...[...latest, ...more].map((c) => ({ ...c, part: 'latest' as const })),
    ...background.map((c) => ({ ...c, part: 'background' as const })),
  ];
  // A small corpus may hold few articles on the topic: then more than one sentence of each.
  if (parts.length < Math.min(limit, settings.widenBelow)) {
    const taken = new Set(parts.map((c) => sentenceKey(c)));
    const extra = selectSentences(
      [...recent, ...earlier].filter((c) => !taken.has(sentenceKey(c))),
      { max: limit - parts.length, perArticle: settings.widenedPerArticle },
    );
    for (const c of extra) parts.push({ ...c, part: c.day >= since ? 'latest' : 'background' });
  }
  return order(parts);

  function order(chosen: CandidateSentence[]): CandidateSentence[] {
    const day = (c: CandidateSentence) => c.day;
    const latestFirst = chosen.filter((c) => c.part !== 'background').sort((a, b) => day(b) - day(a));
    const oldestFirst = chosen.filter((c) => c.part === 'background').sort((a, b) => day(a) - day(b));
    return [...latestFirst, ...oldestFirst];
  }
}

/**
 * {@link candidateSentences} of `passages`, reusing those already read for the briefing (the recent
 * passages are mostly among them): the same sentences, scored as `passages` score them.
 */
function candidatesAgain(
  index: SearchIndex,
  plan: QueryPlan,
  weights: readonly number[],
  read: { passages: readonly ScoredPassage[]; candidates: readonly CandidateSentence[] },
  passages: readonly ScoredPassage[],
): CandidateSentence[] {
  const known = new Map<number, CandidateSentence[]>(read.passages.map((p) => [p.passage, []]));
  for (const c of read.candidates) known.get(c.passage)?.push(c);
  const fresh = new Map<number, CandidateSentence[]>();
  for (const c of candidateSentences(
    index,
    plan,
    weights,
    passages.filter((p) => !known.has(p.passage)),
  )) {
    const list = fresh.get(c.passage);
    if (list === undefined) fresh.set(c.passage, [c]);
    else list.push(c);
  }
  return passages.flatMap(({ passage, score }) => {
    const reused = known.get(passage);
    if (reused === undefined) return fresh.get(passage) ?? [];
    return reused.map((c) => (c.passageScore === score ? c : { ...c, passageScore: score }));
  });
}

/**
 * Key dates: distinct dated events of the topic, oldest to newest, that the bullets do not already say —
 * one per day, each a reported development (not a view, a question, a fragment or rhetoric) naming the topic.
 */
function keyEvents(
  candidates: readonly CandidateSentence[],
  chosen: readonly CandidateSentence[],
  max: number,
): CandidateSentence[] {
  const said = [...chosen];
  const days = new Set(chosen.map((c) => c.day));
  const events: CandidateSentence[] = [];
  const plain = candidates
    // Said in a transcript's turn is talk about events: a timeline takes reports of them.
    .filter(
      (c) =>
        c.event &&
        c.speaker === undefined &&
        c.ownCoverage > 0 &&
        !c.fragment &&
        !c.spoken &&
        c.terms.size >= 5,
    )
    .sort((a, b) => sentenceScore(b) - sentenceScore(a));
  for (const c of plain) {
    if (events.length >= max) break;
    if (days.has(c.day) || said.some((s) => similarity(s.terms, c.terms) > 0.4)) continue;
    events.push(c);
    said.push(c);
    days.add(c.day);
  }
  return events.sort((a, b) => a.day - b.day);
}

/** One bullet per article, or more from each when the corpus has few articles on the topic. */
function pick(
  candidates: readonly CandidateSentence[],
  max: number,
  settings: BriefOptions,
): CandidateSentence[] {
  if (max <= 0) return [];
  const { dependentPenalty, viewPenalty } = settings;
  const chosen = selectSentences(candidates, {
    max,
    perArticle: settings.perArticle,
    dependentPenalty,
    viewPenalty,
  });
  return chosen.length < Math.min(max, settings.widenBelow)
    ? selectSentences(candidates, {
        max,
        perArticle: settings.widenedPerArticle,
        dependentPenalty,
        viewPenalty,
      })
    : chosen;
}

/** The concept a query is most specifically about: its topic, else its rarest name, else its rarest word. */
export function anchorConcept(plan: QueryPlan, weights: readonly number[]): Concept | undefined {
  let best = -1;
  const rank = (k: number) => (plan.concepts[k]!.kind === 'word' ? 0 : 1);
  for (let i = 0; i < plan.concepts.length; i++) {
    if (best < 0 || rank(i) > rank(best) || (rank(i) === rank(best) && weights[i]! > weights[best]!))
      best = i;
  }
  return best < 0 ? undefined : plan.concepts[best];
}

/**
 * Whether one of several words names a thing of its own rather than qualifying the others: most passages
 * holding it hold the rest too ("pier" of "gaza pier": the pier was Gaza's; "civil war" is written of
 * many countries, and "sanctions" of many states), and a few of them at least (one line is no thing).
 * Such a thing's latest is its own, however old.
 */
function distinctive(index: SearchIndex, plan: QueryPlan, all: Uint32Array): boolean {
  if (all.length < MIN_THING_ARTICLES) return false;
  return plan.concepts.some((c) => {
    const own = conceptPostings(index, c).ids;
    // At most every passage holding all the words is one of this word's: a common word is no thing.
    if (own.length === 0 || all.length < own.length * DISTINCTIVE_SHARE) return false;
    let shared = 0;
    for (let i = 0; i < own.length; i++) if (sortedHas(all, own[i]!)) shared++;
    return shared >= MIN_THING_ARTICLES && shared / own.length >= DISTINCTIVE_SHARE;
  });
}

/**
 * Free text naming a thing of a known topic ("gaza pier") keeps to the passages holding all its words,
 * where enough articles do: the Gaza bakeries are not news of the pier.
 */
function thingFilter(
  index: SearchIndex,
  plan: QueryPlan,
  retrieved: readonly ScoredPassage[],
): ((passage: number) => boolean) | undefined {
  if (plan.concepts.length < 2) return undefined;
  const all = holdingAll(index, plan);
  if (!distinctive(index, plan, all)) return undefined;
  const holds = (p: number) => sortedHas(all, p);
  const articles = new Set(
    retrieved.filter((p) => holds(p.passage)).map((p) => index.passageArticle[p.passage]),
  );
  return articles.size >= MIN_THING_ARTICLES ? holds : undefined;
}

/** Articles that must hold all of free text's words before a briefing keeps to them. */
const MIN_THING_ARTICLES = 3;

/** Share of a word's passages that must hold the other words for it to name a thing of its own. */
const DISTINCTIVE_SHARE = 0.25;

/**
 * The passages that hold every concept of the plan, in the passage or its article's title ("2026 Iran
 * war" heads the digests of Iraq's part in it), sorted by passage id. Read from the rarest concept's
 * postings, never the anchor's whole list: a big topic has tens of thousands of passages.
 */
function holdingAll(index: SearchIndex, plan: QueryPlan): Uint32Array {
  let held = holdingAllOf.get(plan);
  if (held === undefined) {
    held = passagesHoldingAll(index, plan);
    holdingAllOf.set(plan, held);
  }
  return held;
}

/** A briefing reads its plan's all-words passages twice (its filter, its latest): found once per plan. */
const holdingAllOf = new WeakMap<QueryPlan, Uint32Array>();

function passagesHoldingAll(index: SearchIndex, plan: QueryPlan): Uint32Array {
  const parts = plan.concepts.map((c) => {
    const titled = new Set<number>();
    forEachTitlePosting(index, c, (article) => titled.add(article));
    const ids = conceptPostings(index, c).ids;
    let size = ids.length;
    for (const a of titled) size += index.articlePassageStart[a + 1]! - index.articlePassageStart[a]!;
    return { ids, titled, size };
  });
  const rarest = parts.reduce((a, b) => (b.size < a.size ? b : a));
  // The rarest concept's passages and those under its titles, in order (typed: a big topic's are many).
  const candidates = new Uint32Array(rarest.size);
  candidates.set(rarest.ids);
  let filled = rarest.ids.length;
  for (const a of rarest.titled)
    for (let p = index.articlePassageStart[a]!; p < index.articlePassageStart[a + 1]!; p++)
      candidates[filled++] = p;
  candidates.sort();
  const others = parts.filter((part) => part !== rarest);
  const held: number[] = [];
  for (let i = 0; i < candidates.length; i++) {
    const p = candidates[i]!;
    if (i > 0 && p === candidates[i - 1]) continue;
    const article = index.passageArticle[p]!;
    if (others.every((part) => sortedHas(part.ids, p) || part.titled.has(article))) held.push(p);
  }
  return Uint32Array.from(held);
}

/**
 * Re-weights a topic briefing's passages by how central the topic is to their article: named in the
 * title, or mentioned in several passages, rather than once in a long digest of other news.
 */
function centrality(
  index: SearchIndex,
  plan: QueryPlan,
  passages: ScoredPassage[],
  titleFactor: number,
): ScoredPassage[] {
  const topic = plan.concepts.find((c) => c.kind === 'topic');
  if (topic === undefined || topic.kind !== 'topic') return passages;
  const mentions = index.topicMentions[topic.topic]!;
  return passages
    .map(({ passage, score }) => {
      const a = index.passageArticle[passage]!;
      const share =
        passagesMentioning(index, mentions, a) /
        (index.articlePassageStart[a + 1]! - index.articlePassageStart[a]!);
      const factor = (sortedHas(mentions.titleArticles, a) ? titleFactor : 1) * (1 + share);
      return { passage, score: score * factor };
    })
    .sort((x, y) => y.score - x.score);
}

/**
 * Whether free text names something the corpus writes as one name — its words in this order, in a
 * passage or its article's title ("Galaxy Leader"; "Twelve-Day War" heading a digest) — in at least half of
 * the retrieved passages holding all its words close together. Then a passage is about the topic only
 * where it names it or holds its words so ("sanctions on Syria" for "syria sanctions"): "galaxy leader" is
 * the ship, not a galaxy and a leader. Undefined when the words are not such a name ("us embassy baghdad"
 * is mostly "the U.S. Embassy in Baghdad").
 */
function nameFilter(
  index: SearchIndex,
  text: string,
  retrieved: readonly ScoredPassage[],
): ((passage: number) => boolean) | undefined {
  const seq = terms(text).map((t) => index.vocabulary.get(t));
  if (seq.length < 2 || seq.some((id) => id === undefined)) return undefined;
  const ids = seq as number[];
  const content = ids.filter((id) => !isStopWord(index.termText[id]!));
  if (content.length < 2) return undefined;
  const span = ids.length + NAME_GAP;
  // 2: names it; 1: holds its words within a few words of each other; 0: neither.
  const read = (stream: Uint32Array, length: number): number =>
    countSequence(stream, 0, length, ids) > 0 ? 2 : within(stream, length, content, span) ? 1 : 0;
  const titles = new Map<number, number>();
  const title = (article: number): number => {
    let known = titles.get(article);
    if (known === undefined) {
      const words = Uint32Array.from(
        terms(index.articles[article]!.title),
        (w) => index.vocabulary.get(w) ?? -1,
      );
      known = read(words, words.length);
      titles.set(article, known);
    }
    return known;
  };
  const memo = new Map<number, number>();
  const reading = (passage: number): number => {
    let known = memo.get(passage);
    if (known === undefined) {
      const stream = passageTerms(index, passage);
      known = Math.max(read(stream.ids, stream.length), title(index.passageArticle[passage]!));
      memo.set(passage, known);
    }
    return known;
  };
  let naming = 0;
  let holding = 0;
  let capitalised = 0;
  const written = namePattern(text);
  for (const { passage } of retrieved) {
    const r = reading(passage);
    if (r === 2) {
      naming++;
      const article = index.articles[index.passageArticle[passage]!]!;
      const own = article.text.slice(index.passageStart[passage]!, index.passageEnd[passage]!);
      if (written.test(own) || written.test(article.title)) capitalised++;
    }
    if (r >= 1) holding++;
  }
  // A name is written with capitals ("Galaxy Leader"); words the corpus writes in lower case ("nuclear
  // talks", "oil prices") are a subject its sources put in many ways, not a name to keep to.
  return naming >= 1 && naming >= holding / 2 && capitalised >= naming / 2
    ? (passage) => reading(passage) >= 1
    : undefined;
}

/**
 * The words of free text as a name is written: each capitalised (small joining words either way), apart
 * by spaces, hyphens or commas, an apostrophe allowed inside ("Asa'ib Ahl al-Haq"), a plural ending
 * allowed.
 */
function namePattern(text: string): RegExp {
  const words = text.split(/[\s_-]+/).filter((w) => w !== '');
  const pattern = words.map((w) => {
    const letters = [...w.toLowerCase()].map(escapeRegExp);
    const inside = letters.slice(1).join("['\u2019]?");
    const first = letters[0]!;
    return JOINING.has(w.toLowerCase())
      ? `(?:${first}|${first.toUpperCase()})${inside}`
      : `${first.toUpperCase()}${inside}(?:s|es)?`;
  });
  return new RegExp(`\\b${pattern.join("[\\s,\u2013\u2014'-]+")}\\b`, 'u');
}

/** Small words a name may hold in lower case ("Asa'ib Ahl al-Haq", "Strait of Hormuz"). */
const JOINING = new Set([
  'al',
  'el',
  'ad',
  'as',
  'ash',
  'ar',
  'an',
  'of',
  'the',
  'in',
  'on',
  'and',
  'de',
  'bin',
  'ibn',
  'abu',
]);

/** Words a name's words may stand apart by and still read as it ("U.S. Embassy in Baghdad"). */
const NAME_GAP = 3;

/** Whether every one of `wanted` occurs in `stream[0, length)` inside some run of `span` terms. */
function within(stream: Uint32Array, length: number, wanted: readonly number[], span: number): boolean {
  const last = wanted.map(() => Number.NEGATIVE_INFINITY);
  for (let i = 0; i < length; i++) {
    const k = wanted.indexOf(stream[i]!);
    if (k < 0) continue;
    last[k] = i;
    if (i - Math.min(...last) < span) return true;
  }
  return false;
}

/** A curated topic read as one concept: every spelling of it, nothing else. */
function topicPlan(topic: number, name: string): QueryPlan {
  return {
    text: name,
    concepts: [{ kind: 'topic', topic, text: name }],
    unknown: [],
    unknownNames: [],
    absentNames: [],
    window: undefined,
    times: [],
    wantsRecent: false,
    corrections: [],
  };
}
