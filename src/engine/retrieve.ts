import { type DateWindow, MONTH_NAMES } from './dates.ts';
import { passageCount, type SearchIndex } from './index/build.ts';
import {
  bm25Idf,
  conceptPostings,
  passageTerms,
  postingCount,
  termPostings,
  titlePhraseArticles,
} from './index/postings.ts';
import { normaliseTerm } from './index/tokenize.ts';
import type { Concept, QueryPlan } from './query.ts';

/** Ranking settings. Defaults were chosen on principle (standard BM25) and checked on the dev set as a whole. */
export interface RankingOptions {
  /** BM25 term saturation. @default 1.2 */
  k1: number;
  /** BM25 length normalisation for passages. @default 0.75 */
  b: number;
  /** Weight of the title field against the passage body. @default 0.5 — digest titles repeat a lot. */
  titleWeight: number;
  /** Weight of a curated topic mention (all its spellings at once) against a plain word. @default 1.5 */
  topicWeight: number;
  /** Extra weight of a multi-word name found as written. @default 1 */
  phraseWeight: number;
  /** Weight of a synonym of a question's word (`data/synonyms.json`) against the word itself. @default 0.5 */
  synonymWeight: number;
  /** Score multiplier for passages dated inside a question's time window (or naming it). @default 2 */
  windowBoost: number;
  /** Days after a window's end that still count as inside it (reports trail events). @default 10 */
  windowLagDays: number;
  /** Largest recency bonus (a fraction of the score) for the newest article. @default 0.1 */
  recency: number;
  /** Recency bonus when the query asks for the current state. @default 0.6 */
  recencyWhenAsked: number;
  /** Days for the recency bonus to fall by half. @default 180 */
  recencyHalfLifeDays: number;
}

export const DEFAULT_RANKING: RankingOptions = {
  k1: 1.2,
  b: 0.75,
  titleWeight: 0.5,
  topicWeight: 1.5,
  phraseWeight: 1,
  synonymWeight: 0.5,
  windowBoost: 2,
  windowLagDays: 10,
  recency: 0.1,
  recencyWhenAsked: 0.6,
  recencyHalfLifeDays: 180,
};

/** A passage and its score, best first. */
export interface ScoredPassage {
  passage: number;
  score: number;
}

/** Hard filters: passages of articles dated outside `[since, until]` are never returned. */
export interface RetrieveFilters {
  since?: number;
  until?: number;
  /** Only these articles (1 = keep), indexed like `index.articles`; with a description for messages. */
  articles?: { keep: Uint8Array; describe: string };
}

/** Whether a passage's article passes the date and subset filters (the hot loop below inlines this). */
export function passesFilters(index: SearchIndex, p: number, filters: RetrieveFilters): boolean {
  const day = index.passageDay[p]!;
  if (filters.since !== undefined && day < filters.since) return false;
  if (filters.until !== undefined && day > filters.until) return false;
  return filters.articles === undefined || filters.articles.keep[index.passageArticle[p]!] === 1;
}

/**
 * Ranks passages for a query plan: BM25 over body words, topics (every spelling of a curated topic is one
 * term) and verified phrases, plus the title field; then date-window and recency factors.
 */
export function retrieve(
  index: SearchIndex,
  plan: QueryPlan,
  filters: RetrieveFilters,
  limit: number,
  options: RankingOptions = DEFAULT_RANKING,
): ScoredPassage[] {
  const n = passageCount(index);
  const { scores, touched, titleScores, titled } = scratch(index);
  const norms = lengthNorms(index, options.k1, options.b);
  let count = 0;
  let titledCount = 0;
  const add = (p: number, s: number): void => {
    if (scores[p] === 0) touched[count++] = p;
    scores[p]! += s;
  };

  for (const c of plan.concepts) {
    const postings = conceptPostings(index, c);
    const weight = c.kind === 'topic' ? options.topicWeight : c.kind === 'phrase' ? options.phraseWeight : 1;
    const lift = weight * bm25Idf(n, postings.ids.length) * (options.k1 + 1);
    count = accumulate(postings.ids, postings.tfs, lift, norms, scores, touched, count);
    // An acronym's spelled-out name is in its postings (see `conceptPostings`): it scores as the acronym.
    if (c.kind === 'word' && c.alternates.length > 0) scoreAlternates(index, c, postings.ids, options, add);
    // A name only headings use ("Middle Eastern crisis › Twelve-Day War — …") names every passage under
    // them: each scores as a passage holding it once would.
    if (c.kind === 'phrase' && postings.ids.length === 0)
      for (const a of titlePhraseArticles(index, c.terms))
        for (let p = index.articlePassageStart[a]!; p < index.articlePassageStart[a + 1]!; p++)
          add(p, lift / (1 + options.k1));
    const titleLift =
      options.titleWeight *
      weight *
      bm25Idf(index.articles.length, conceptTitleFrequency(index, c)) *
      (options.k1 + 1);
    forEachTitlePosting(index, c, (article, tf) => {
      const norm = 0.5 + (0.5 * index.titleLength[article]!) / index.avgTitleLength;
      if (titleScores[article] === 0) titled[titledCount++] = article;
      titleScores[article]! += (titleLift * tf) / (tf + options.k1 * norm);
    });
  }
  // A title match counts for its article's first passage, and for every other passage that matches the
  // query itself: a digest's title names its first story, not the dozen lines under it.
  for (let i = 0; i < titledCount; i++) {
    const article = titled[i]!;
    const s = titleScores[article]!;
    titleScores[article] = 0;
    const first = index.articlePassageStart[article]!;
    const to = index.articlePassageStart[article + 1]!;
    for (let p = first; p < to; p++) {
      const before = scores[p]!;
      if (before === 0) {
        if (p !== first) continue;
        touched[count++] = p;
      }
      scores[p] = before + s;
    }
  }

  const window = plan.window;
  const recencyWeight = plan.wantsRecent ? options.recencyWhenAsked : options.recency;
  const namesWindow =
    window === undefined ? undefined : passagesNamingWindow(index, windowTerms(index, plan));
  const checkNames = namesWindow !== undefined && namesWindow.size > 0;
  const decay = recencyDecay(index, options.recencyHalfLifeDays);
  const heap = new TopK(limit);
  // The most the date factors can multiply a score by: a passage whose score times this cannot beat the
  // k-th best so far is skipped before its (costlier) date checks. Exact: the top k do not change.
  const lift = (1 + recencyWeight) * (window === undefined ? 1 : Math.max(1, options.windowBoost));
  const { since, until, articles } = filters;
  let threshold = heap.threshold;
  for (let i = 0; i < count; i++) {
    const p = touched[i]!;
    const raw = scores[p]!;
    scores[p] = 0;
    if (raw * lift <= threshold) continue;
    const day = index.passageDay[p]!;
    if (
      (since !== undefined && day < since) ||
      (until !== undefined && day > until) ||
      (articles !== undefined && articles.keep[index.passageArticle[p]!] !== 1)
    ) {
      continue;
    }
    let s = raw;
    if (
      window !== undefined &&
      (inWindow(day, window, options.windowLagDays) || (checkNames && namesWindow.has(p)))
    ) {
      s *= options.windowBoost;
    }
    s *= 1 + recencyWeight * decay[p]!;
    heap.push(p, s);
    threshold = heap.threshold;
  }
  return heap.sorted();
}

/**
 * Adds one posting list's BM25 contributions: the hot loop, kept small so the JIT optimises it alone.
 * Returns the new count of touched passages.
 */
function accumulate(
  ids: Uint32Array,
  tfs: Uint8Array,
  lift: number,
  norms: Float32Array,
  scores: Float64Array,
  touched: Uint32Array,
  count: number,
): number {
  let c = count;
  for (let i = 0; i < ids.length; i++) {
    const p = ids[i]!;
    const tf = tfs[i]!;
    const before = scores[p]!;
    if (before === 0) touched[c++] = p;
    scores[p] = before + (lift * tf) / (tf + norms[p]!);
  }
  return c;
}

const decays = new WeakMap<SearchIndex, Map<number, Float32Array>>();

/** Per passage, 0.5^(age / half-life) with age counted back from the newest article; computed once per index. */
function recencyDecay(index: SearchIndex, halfLifeDays: number): Float32Array {
  let byHalfLife = decays.get(index);
  if (byHalfLife === undefined) {
    byHalfLife = new Map();
    decays.set(index, byHalfLife);
  }
  let decay = byHalfLife.get(halfLifeDays);
  if (decay === undefined) {
    decay = new Float32Array(passageCount(index));
    for (let p = 0; p < decay.length; p++) {
      decay[p] = 0.5 ** (Math.max(0, index.newestDay - index.passageDay[p]!) / halfLifeDays);
    }
    byHalfLife.set(halfLifeDays, decay);
  }
  return decay;
}

const normCache = new WeakMap<SearchIndex, { key: string; norms: Float32Array }>();

/** Per passage, BM25's `k1 · (1 − b + b · length / average length)`; computed once per index and setting. */
function lengthNorms(index: SearchIndex, k1: number, b: number): Float32Array {
  const key = `${k1}:${b}`;
  const hit = normCache.get(index);
  if (hit?.key === key) return hit.norms;
  const norms = new Float32Array(passageCount(index));
  for (let p = 0; p < norms.length; p++) {
    norms[p] = k1 * (1 - b + (b * index.passageLength[p]!) / index.avgPassageLength);
  }
  normCache.set(index, { key, norms });
  return norms;
}

interface Scratch {
  /** Per passage, the score so far (0 = untouched); per article, its title score so far. */
  scores: Float64Array;
  titleScores: Float64Array;
  /** The passages and articles given a score, in order, so only they are read and reset. */
  touched: Uint32Array;
  titled: Uint32Array;
}

const scratches = new WeakMap<SearchIndex, Scratch>();

/**
 * Zeroed work arrays per index, reused by every query (queries run one at a time: JS is single-threaded,
 * and each query leaves them zeroed).
 */
function scratch(index: SearchIndex): Scratch {
  let s = scratches.get(index);
  if (s === undefined) {
    const n = passageCount(index);
    s = {
      scores: new Float64Array(n),
      titleScores: new Float64Array(index.articles.length),
      touched: new Uint32Array(n),
      titled: new Uint32Array(index.articles.length),
    };
    scratches.set(index, s);
  }
  return s;
}

/**
 * Scores the synonyms of a word (`withdraw` for `pull out`) at {@link RankingOptions.synonymWeight}, once per
 * passage, and only where the word itself is absent: a synonym is weaker evidence than the word.
 */
const credits = new WeakMap<SearchIndex, { marks: Uint32Array; stamp: number }>();

/** A per-index array of passage marks and a fresh stamp (the array is cleared only when stamps wrap). */
function creditMarks(index: SearchIndex): { marks: Uint32Array; stamp: number } {
  let entry = credits.get(index);
  if (entry === undefined) {
    entry = { marks: new Uint32Array(passageCount(index)), stamp: 0 };
    credits.set(index, entry);
  }
  entry.stamp++;
  if (entry.stamp === 0xffffffff) {
    entry.marks.fill(0);
    entry.stamp = 1;
  }
  return entry;
}

function scoreAlternates(
  index: SearchIndex,
  c: Extract<Concept, { kind: 'word' }>,
  own: Uint32Array,
  options: RankingOptions,
  add: (p: number, s: number) => void,
): void {
  // Passages already credited, marked with this call's stamp in a per-index array: no Set of the word's
  // own postings (thousands of entries for a common word) per query.
  const { marks, stamp } = creditMarks(index);
  for (let i = 0; i < own.length; i++) marks[own[i]!] = stamp;
  const n = passageCount(index);
  for (const term of c.alternates) {
    const { ids, tfs } = termPostings(index.body, term);
    const idf = bm25Idf(n, ids.length);
    for (let i = 0; i < ids.length; i++) {
      const p = ids[i]!;
      if (marks[p] === stamp) continue;
      marks[p] = stamp;
      const tf = tfs[i]!;
      const norm = 1 - options.b + (options.b * index.passageLength[p]!) / index.avgPassageLength;
      add(p, (options.synonymWeight * idf * tf * (options.k1 + 1)) / (tf + options.k1 * norm));
    }
  }
}

/** Calls `visit(article, tf)` for each article whose title holds the concept. */
export function forEachTitlePosting(
  index: SearchIndex,
  c: Concept,
  visit: (article: number, tf: number) => void,
): void {
  if (c.kind === 'word') {
    const { ids, tfs } = termPostings(index.title, c.term);
    for (let i = 0; i < ids.length; i++) visit(ids[i]!, tfs[i]!);
  } else if (c.kind === 'topic') {
    for (const a of index.topicMentions[c.topic]!.titleArticles) visit(a, 1);
  } else {
    for (const a of titlePhraseArticles(index, c.terms)) visit(a, 1);
  }
}

function conceptTitleFrequency(index: SearchIndex, c: Concept): number {
  if (c.kind === 'word') return postingCount(index.title, c.term);
  if (c.kind === 'topic') return index.topicMentions[c.topic]!.titleArticles.length;
  return titlePhraseArticles(index, c.terms).length;
}

/** Whether a day falls in a window or the `lag` days after it that reports trail by. */
export function inWindow(day: number, w: Required<DateWindow>, lag: number): boolean {
  return day >= w.from && day <= w.to + lag;
}

/** Term ids of the months and years a question names, grouped per expression. */
function windowTerms(index: SearchIndex, plan: QueryPlan): number[][] {
  const months = MONTH_NAMES.map(normaliseTerm);
  const groups: number[][] = [];
  for (const t of plan.times) {
    if (t.month === undefined) continue; // a bare year in a passage says little
    const year = index.vocabulary.get(String(t.year));
    const month = index.vocabulary.get(months[t.month]!);
    if (year !== undefined && month !== undefined) groups.push([month, year]);
  }
  return groups;
}

/**
 * Passages that name one of the question's month-and-year pairs ("December 2019"), found from the
 * postings of the rarer word of each pair and checked in the term stream: once per query, not per passage.
 */
function passagesNamingWindow(index: SearchIndex, groups: readonly number[][]): Set<number> {
  const found = new Set<number>();
  for (const [month, year] of groups) {
    const df = (t: number): number => postingCount(index.body, t);
    const rarer = df(month!) <= df(year!) ? month! : year!;
    for (const p of termPostings(index.body, rarer).ids) {
      const { ids, length } = passageTerms(index, p);
      for (let k = 0; k < length; k++) {
        if (ids[k] !== month) continue;
        let near = false;
        for (let j = k + 1; j < Math.min(length, k + 4); j++) if (ids[j] === year) near = true;
        if (near) {
          found.add(p);
          break;
        }
      }
    }
  }
  return found;
}

/** Keeps the `k` best (id, score) pairs in a binary min-heap. */
export class TopK {
  private readonly ids: number[] = [];
  private readonly scores: number[] = [];
  constructor(private readonly k: number) {}

  /** The score a new entry must beat to get in: the k-th best so far, or -∞ until there are k. */
  get threshold(): number {
    return this.ids.length < this.k ? Number.NEGATIVE_INFINITY : this.scores[0]!;
  }

  push(id: number, score: number): void {
    if (this.k <= 0) return;
    if (this.ids.length < this.k) {
      this.ids.push(id);
      this.scores.push(score);
      this.up(this.ids.length - 1);
    } else if (score > this.scores[0]!) {
      this.ids[0] = id;
      this.scores[0] = score;
      this.down(0);
    }
  }

  sorted(): ScoredPassage[] {
    return this.ids
      .map((passage, i) => ({ passage, score: this.scores[i]! }))
      .sort((a, b) => b.score - a.score);
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.scores[parent]! <= this.scores[i]!) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.ids.length && this.scores[l]! < this.scores[m]!) m = l;
      if (r < this.ids.length && this.scores[r]! < this.scores[m]!) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }

  private swap(a: number, b: number): void {
    [this.ids[a], this.ids[b]] = [this.ids[b]!, this.ids[a]!];
    [this.scores[a], this.scores[b]] = [this.scores[b]!, this.scores[a]!];
  }
}
