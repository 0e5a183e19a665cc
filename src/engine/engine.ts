import { SingleFlight } from '../cache/single-flight.ts';
import { type CacheKeyParts, cacheKey, type ResultCache } from '../cache/types.ts';
import { UserError } from '../errors.ts';
import { dated, judge } from './abstain.ts';
import { isoFromDay, parseDateOption } from './dates.ts';
import type { SearchIndex } from './index/build.ts';
import { terms } from './index/tokenize.ts';
import type { Topic } from './index/topics.ts';
import { planQuery, type QueryPlan } from './query.ts';
import type { Briefing, KeyDate, SearchResult, Source, TopicList } from './result.ts';
import {
  DEFAULT_RANKING,
  type RankingOptions,
  type RetrieveFilters,
  retrieve,
  type ScoredPassage,
} from './retrieve.ts';
import { suggestTopics, type TopicSuggestion } from './suggest.ts';
import { type CandidateSentence, candidateSentences, conceptWeights } from './summarize/evidence.ts';
import { selectSentences, sentenceScore } from './summarize/extractive.ts';
import type { LlmPassage, WriteOutcome } from './summarize/llm/writer.ts';

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
  /** Bullets (brief/ask) or results (search) at most. Defaults: brief 6, ask 5, search 10. */
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

/** What the engine is built from. */
export interface EngineOptions {
  index: SearchIndex;
  corpusVersion: string;
  /** Ranking settings; default {@link DEFAULT_RANKING}. */
  ranking?: RankingOptions;
  /** Answer cache; none by default. */
  cache?: ResultCache;
  /** The clock, for relative dates; default `() => new Date()`. */
  now?: () => Date;
  /** An LLM that rewrites answers abstractively (verified); none by default: extractive only. */
  writer?: AbstractiveWriter;
}

/** What the engine needs of an LLM writer (see summarize/llm/writer.ts). */
export interface AbstractiveWriter {
  /** `llm:<model>`. */
  readonly label: string;
  promptRef(kind: 'brief' | 'ask'): string;
  write(kind: 'brief' | 'ask', query: string, passages: readonly LlmPassage[]): Promise<WriteOutcome>;
}

/** Passages handed to the model at most. */
const LLM_PASSAGES = { brief: 8, ask: 6 } as const;
/** Bullets that must survive verification, else the offline summary is used. */
const LLM_MIN_KEPT = { brief: 2, ask: 1 } as const;

/** Largest subset whose articles are searched for discovered topic names by {@link Engine.coverage}. */
const DISCOVERED_COVERAGE_MAX = 500;

/** What a corpus holds, for help and status pages. */
export interface CorpusStats {
  articles: number;
  passages: number;
  /** Dates of the oldest and newest article, YYYY-MM-DD. */
  oldest: string;
  newest: string;
  corpusVersion: string;
}

function corpusStats(index: SearchIndex, corpusVersion: string): CorpusStats {
  let oldest = '';
  let newest = '';
  for (const a of index.articles) {
    if (oldest === '' || a.date < oldest) oldest = a.date;
    if (a.date > newest) newest = a.date;
  }
  return {
    articles: index.articles.length,
    passages: index.passageArticle.length,
    oldest,
    newest,
    corpusVersion,
  };
}

/** How a `brief` argument was understood. */
export type ResolvedTopic =
  | { kind: 'curated' | 'discovered'; topic: Topic; index: number }
  | { kind: 'free-text'; text: string };

/** Weight of recency in briefings: a briefing is about the state of things, so newer counts more. */
const BRIEF_RANKING: Partial<RankingOptions> = { recency: 0.3, recencyHalfLifeDays: 365 };

/**
 * The briefing engine: retrieval over one immutable index, offline summaries that quote their sources,
 * and an optional cache. It knows nothing of Discord or the terminal.
 */
export class Engine {
  readonly index: SearchIndex;
  readonly corpusVersion: string;
  readonly generatedBy: string;
  private readonly writer: AbstractiveWriter | undefined;
  private readonly ranking: RankingOptions;
  private readonly cache: ResultCache | undefined;
  private readonly flights = new SingleFlight<Briefing>();
  private readonly now: () => Date;
  private corpusStats: CorpusStats | undefined;

  constructor(options: EngineOptions) {
    this.index = options.index;
    this.corpusVersion = options.corpusVersion;
    this.ranking = options.ranking ?? DEFAULT_RANKING;
    this.cache = options.cache;
    this.now = options.now ?? (() => new Date());
    this.writer = options.writer;
    this.generatedBy = options.writer?.label ?? 'extractive';
  }

  /** Which topic a `brief` argument names: a curated slug or alias, a discovered name, or free text. */
  resolveTopic(input: string): ResolvedTopic {
    const curated = this.index.matcher.resolveSlug(input);
    if (curated !== undefined) return { kind: 'curated', topic: this.index.topics[curated]!, index: curated };
    const key = input.trim().toLowerCase();
    const found = this.index.topics.findIndex(
      (t) => !t.curated && (t.slug === key || t.name.toLowerCase() === key),
    );
    if (found >= 0) return { kind: 'discovered', topic: this.index.topics[found]!, index: found };
    return { kind: 'free-text', text: input.replace(/[-_]+/g, ' ').trim() };
  }

  async brief(input: string, options: QueryOptions = {}): Promise<Briefing> {
    const topicText = checkQuery(input, MAX_TOPIC_CHARS, 'topic');
    const resolved = this.resolveTopic(topicText);
    const filters = this.filters(options);
    const limit = clampLimit(options.limit, 6, 3, 7);
    // Every spelling of a topic ("KH", "kataib-hezbollah") shares one cache entry: the key holds the slug.
    const query = resolved.kind === 'free-text' ? resolved.text.toLowerCase() : resolved.topic.slug;
    return this.cached(
      this.keyParts('brief', query, filters, limit),
      topicText,
      () => {
        const plan =
          resolved.kind === 'curated'
            ? topicPlan(resolved.index, resolved.topic.name)
            : planQuery(this.index, 'text' in resolved ? resolved.text : resolved.topic.name);
        const topic =
          resolved.kind === 'free-text'
            ? undefined
            : { slug: resolved.topic.slug, name: resolved.topic.name, aliases: resolved.topic.aliases };
        const label = topic?.name ?? topicText;
        const base = { kind: 'brief' as const, query: topicText, ...(topic ? { topic } : {}) };
        const ranking = { ...this.ranking, ...BRIEF_RANKING };
        const passages = centrality(this.index, plan, retrieve(this.index, plan, filters, 60, ranking));
        const weights = conceptWeights(this.index, plan);
        // A curated or discovered topic is known to exist; free text must show evidence like a question.
        const refusal =
          resolved.kind === 'free-text'
            ? judge(this.index, plan, weights, passages, filters).refusal
            : plan.concepts.length === 0
              ? `Nothing in the corpus matches "${label}".`
              : undefined;
        if (refusal !== undefined) return this.noSources(base, refusal);
        const candidates = candidateSentences(this.index, plan, weights, passages).filter(
          (c) => c.coverage > 0,
        );
        if (candidates.length === 0)
          return this.noSources(base, `Nothing in the corpus about "${label}"${dated(filters)}.`);
        // One bullet per article keeps a briefing broad; a small corpus may need more from each.
        let chosen = selectSentences(candidates, { max: limit, perArticle: 1 });
        if (chosen.length < 3) chosen = selectSentences(candidates, { max: limit, perArticle: 3 });
        return this.answer(base, label, chosen, passages, true);
      },
      filters.articles !== undefined,
    );
  }

  async ask(input: string, options: QueryOptions = {}): Promise<Briefing> {
    const question = checkQuery(input, MAX_QUESTION_CHARS, 'question');
    const filters = this.filters(options);
    const limit = clampLimit(options.limit, 5, 1, 7);
    const query = question.toLowerCase().replace(/\s+/g, ' ');
    return this.cached(
      this.keyParts('ask', query, filters, limit),
      question,
      () => {
        const base = { kind: 'ask' as const, query: question };
        const plan = planQuery(this.index, question);
        const passages = retrieve(this.index, plan, filters, 40, this.ranking);
        const weights = conceptWeights(this.index, plan);
        const verdict = judge(this.index, plan, weights, passages, filters);
        if (verdict.refusal !== undefined) return this.noSources(base, verdict.refusal);
        const candidates = candidateSentences(this.index, plan, weights, verdict.anchored).filter(
          (c) => c.coverage > 0,
        );
        const chosen = selectSentences(candidates, { max: limit, perArticle: 2 });
        if (chosen.length === 0) return this.noSources(base, 'No passage in the corpus answers this.');
        return this.answer(base, question, chosen, verdict.anchored, false);
      },
      filters.articles !== undefined,
    );
  }

  search(input: string, options: QueryOptions = {}): SearchResult {
    const query = checkQuery(input, MAX_QUESTION_CHARS, 'query');
    const limit = clampLimit(options.limit, 10, 1, 50);
    const plan = planQuery(this.index, query);
    const passages = retrieve(this.index, plan, this.filters(options), limit * 8, this.ranking);
    const weights = conceptWeights(this.index, plan);
    const best = new Map<number, { score: number; passage: number }>();
    for (const p of passages) {
      const a = this.index.passageArticle[p.passage]!;
      if (!best.has(a)) best.set(a, p);
    }
    const results = [...best.entries()].slice(0, limit).map(([a, p]) => {
      const article = this.index.articles[a]!;
      const sentences = candidateSentences(this.index, plan, weights, [p]);
      const top = sentences.sort((x, y) => sentenceScore(y) - sentenceScore(x))[0];
      const snippet = top === undefined ? '' : clip(article.text.slice(top.start, top.end), 240);
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

  /** Topics matching what someone has typed so far, best first (for autocomplete). */
  suggestTopics(typed: string, limit = 25): TopicSuggestion[] {
    return suggestTopics(this.index.topics, typed.slice(0, MAX_TOPIC_CHARS), limit);
  }

  /**
   * Topics by how many of the articles `only` keeps mention them, most first: curated topics by their
   * every spelling, discovered ones by name (checked only while the subset is small, as a digest's is).
   */
  coverage(only: ArticleFilter, limit = 10): { slug: string; name: string; articles: number }[] {
    const kept: number[] = [];
    this.index.articles.forEach((a, i) => {
      if (only.keep(a)) kept.push(i);
    });
    const keep = new Set(kept);
    const counts = this.index.topics.map((topic, t) => {
      const mentions = this.index.topicMentions[t];
      let n = 0;
      if (mentions !== undefined) {
        for (const a of mentions.passagesPerArticle.keys()) if (keep.has(a)) n++;
      } else if (kept.length <= DISCOVERED_COVERAGE_MAX) {
        for (const a of kept) {
          const article = this.index.articles[a]!;
          if (article.title.includes(topic.name) || article.text.includes(topic.name)) n++;
        }
      }
      return { slug: topic.slug, name: topic.name, articles: n };
    });
    return counts
      .filter((c) => c.articles > 0)
      .sort((a, b) => b.articles - a.articles)
      .slice(0, limit);
  }

  /** Size and date range of the corpus behind this engine. */
  stats(): CorpusStats {
    this.corpusStats ??= corpusStats(this.index, this.corpusVersion);
    return this.corpusStats;
  }

  topics(): TopicList {
    return {
      topics: this.index.topics
        .filter((t) => t.articles > 0)
        .map((t) => ({
          slug: t.slug,
          name: t.name,
          aliases: t.aliases,
          articles: t.articles,
          curated: t.curated,
        })),
    };
  }

  /**
   * The offline summary, or with an LLM writer an abstractive one over the same evidence: the passages of
   * the chosen sentences first, then the next best retrieved. Too little verified → the offline summary,
   * saying so in `generatedBy`.
   */
  private async answer(
    base: Pick<Briefing, 'kind' | 'query' | 'topic'>,
    query: string,
    chosen: readonly CandidateSentence[],
    retrieved: readonly ScoredPassage[],
    withKeyDates: boolean,
  ): Promise<Briefing> {
    if (this.writer === undefined) return this.compose(base, chosen, withKeyDates);
    const kind = base.kind;
    const ids = [...new Set([...chosen.map((c) => c.passage), ...retrieved.map((p) => p.passage)])].slice(
      0,
      LLM_PASSAGES[kind],
    );
    const passages = ids.map((p) => {
      const article = this.index.articles[this.index.passageArticle[p]!]!;
      return {
        title: article.title,
        date: article.date,
        publisher: article.publisher,
        text: article.text.slice(this.index.passageStart[p]!, this.index.passageEnd[p]!),
      };
    });
    const outcome = await this.writer.write(kind, query, passages);
    const minimum = Math.min(LLM_MIN_KEPT[kind], chosen.length);
    if (!outcome.ok || outcome.verdict.kept.length < minimum) {
      const why = outcome.ok
        ? `${outcome.verdict.kept.length} bullets survived verification`
        : outcome.reason;
      return {
        ...this.compose(base, chosen, withKeyDates),
        generatedBy: `extractive (fallback from ${this.writer.label}: ${why})`,
      };
    }
    return this.composeWritten(base, ids, outcome.verdict.kept, withKeyDates);
  }

  /** Sources for model-written bullets: one per article, numbered in order of first citation, quoting the
   * sentence of the cited passages that shares most words with the bullets citing it. */
  private composeWritten(
    base: Pick<Briefing, 'kind' | 'query' | 'topic'>,
    passageIds: readonly number[],
    kept: readonly { text: string; citations: number[]; unsupported?: string }[],
    withKeyDates: boolean,
  ): Briefing {
    const sources: Source[] = [];
    const numberOf = new Map<number, number>();
    const bulletTerms = new Map<number, string[]>();
    const bullets = kept.map((b) => {
      const citations: number[] = [];
      for (const c of b.citations) {
        const passage = passageIds[c - 1]!;
        const n = this.cite(sources, numberOf, this.index.passageArticle[passage]!, '');
        if (!citations.includes(n)) citations.push(n);
        bulletTerms.set(passage, [...(bulletTerms.get(passage) ?? []), ...terms(b.text)]);
      }
      const text = b.unsupported ? `${b.text} (unverified: ${b.unsupported})` : b.text;
      return { text, citations };
    });
    const bestScore = new Map<number, number>();
    for (const [passage, words] of bulletTerms) {
      const source = sources[numberOf.get(this.index.passageArticle[passage]!)! - 1]!;
      const quote = bestSentence(this.index, passage, new Set(words));
      if (quote.score > (bestScore.get(source.n) ?? -1)) {
        bestScore.set(source.n, quote.score);
        source.quote = quote.text;
      }
    }
    return this.answered(base, bullets, sources, withKeyDates);
  }

  private answered(
    base: Pick<Briefing, 'kind' | 'query' | 'topic'>,
    bullets: Briefing['bullets'],
    sources: Source[],
    withKeyDates: boolean,
  ): Briefing {
    const keyDates: KeyDate[] = withKeyDates
      ? sources
          // What happened, in the source's own cited words: titles of briefings name speakers, not events.
          .map((s) => ({ date: s.date, text: clip(s.quote, 90), citation: s.n }))
          .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.citation - b.citation))
      : [];
    return {
      ...base,
      status: 'answered',
      bullets,
      keyDates,
      sources,
      corpusVersion: this.corpusVersion,
      generatedBy: this.generatedBy,
      cached: false,
      generatedAt: this.now().toISOString(),
    };
  }

  /** The number of an article's source, adding the source the first time the article is cited. */
  private cite(
    sources: Source[],
    numberOf: Map<number, number>,
    articleIndex: number,
    quote: string,
  ): number {
    const known = numberOf.get(articleIndex);
    if (known !== undefined) return known;
    const n = sources.length + 1;
    numberOf.set(articleIndex, n);
    const article = this.index.articles[articleIndex]!;
    sources.push({
      n,
      articleId: article.id,
      title: article.title,
      date: article.date,
      publisher: article.publisher,
      url: article.url,
      quote,
    });
    return n;
  }

  private compose(
    base: Pick<Briefing, 'kind' | 'query' | 'topic'>,
    chosen: readonly CandidateSentence[],
    withKeyDates: boolean,
  ): Briefing {
    const sources: Source[] = [];
    const numberOf = new Map<number, number>();
    const bullets = chosen.map((c) => {
      const article = this.index.articles[c.article]!;
      const quote = article.text.slice(c.start, c.end);
      const n = this.cite(sources, numberOf, c.article, quote);
      return { text: quote, citations: [n] };
    });
    return this.answered(base, bullets, sources, withKeyDates);
  }

  private noSources(base: Pick<Briefing, 'kind' | 'query' | 'topic'>, reason: string): Briefing {
    return {
      ...base,
      status: 'no_sources',
      bullets: [],
      keyDates: [],
      sources: [],
      reason,
      corpusVersion: this.corpusVersion,
      generatedBy: this.generatedBy,
      cached: false,
      generatedAt: this.now().toISOString(),
    };
  }

  private keyParts(
    kind: CacheKeyParts['kind'],
    query: string,
    filters: RetrieveFilters,
    limit: number,
  ): CacheKeyParts {
    // Relative dates ("7d") are keyed by the day they resolve to, so tomorrow's "7d" is a new entry.
    return {
      kind,
      query,
      since: filters.since === undefined ? undefined : isoFromDay(filters.since),
      until: filters.until === undefined ? undefined : isoFromDay(filters.until),
      limit,
      corpusVersion: this.corpusVersion,
      generatedBy: this.generatedBy,
      promptVersion: this.writer?.promptRef(kind),
    };
  }

  /**
   * Answers from the cache when it can, else builds the answer once however many identical requests
   * arrive meanwhile (single-flight), and stores it. `asked` is this request's own wording: a hit
   * built for "KH" answers "kataib-hezbollah" under the wording of whoever asked now.
   */
  private cached(
    parts: CacheKeyParts,
    asked: string,
    build: () => Briefing | Promise<Briefing>,
    uncached = false,
  ): Promise<Briefing> {
    if (uncached)
      return Promise.resolve(build()).then((b) => (b.query === asked ? b : { ...b, query: asked }));
    const key = cacheKey(parts);
    const answer = this.flights.run(key, async () => {
      const hit = await this.cache?.get(key);
      if (hit !== undefined) return { ...hit, cached: true };
      const fresh = await build();
      // A fallback from a failing model is not kept: the next asker should get the model's answer.
      if (fresh.generatedBy === this.generatedBy) await this.cache?.set(key, fresh);
      return fresh;
    });
    return answer.then((b) => (b.query === asked ? b : { ...b, query: asked }));
  }

  private filters(options: QueryOptions): RetrieveFilters {
    const filters: RetrieveFilters = {};
    for (const name of ['since', 'until'] as const) {
      const value = options[name];
      if (value === undefined) continue;
      const parsed = parseDateOption(value, this.now());
      if ('error' in parsed) throw new UserError('bad_date', `--${name}: ${parsed.error}`, { [name]: value });
      filters[name] = parsed.day;
    }
    if (options.only !== undefined) {
      const only = options.only;
      const keep = new Uint8Array(this.index.articles.length);
      this.index.articles.forEach((a, i) => {
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
}

/**
 * Re-weights a topic briefing's passages by how central the topic is to their article: named in the
 * title, or mentioned in several passages, rather than once in a long digest of other news.
 */
function centrality(index: SearchIndex, plan: QueryPlan, passages: ScoredPassage[]): ScoredPassage[] {
  const topic = plan.concepts.find((c) => c.kind === 'topic');
  if (topic === undefined || topic.kind !== 'topic') return passages;
  const mentions = index.topicMentions[topic.topic]!;
  const perArticle = mentions.passagesPerArticle;
  return passages
    .map(({ passage, score }) => {
      const a = index.passageArticle[passage]!;
      const share =
        (perArticle.get(a) ?? 0) / (index.articlePassageStart[a + 1]! - index.articlePassageStart[a]!);
      const factor = (mentions.titleArticles.has(a) ? 1.5 : 1) * (1 + share);
      return { passage, score: score * factor };
    })
    .sort((x, y) => y.score - x.score);
}

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

function clampLimit(value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UserError('bad_option', `--limit must be a whole number from ${min} to ${max} (got ${value}).`);
  }
  return value;
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
    const text = article.text.slice(index.sentenceStart[s]!, index.sentenceEnd[s]!);
    const score = terms(text).filter((t) => words.has(t)).length;
    if (score > best.score) best = { text, score };
  }
  return best;
}

function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max / 2))}…`;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
