/**
 * The briefing engine's façade: one immutable index, and one module per use case — `brief.ts`,
 * `ask.ts`, `search.ts`, `coverage.ts` — over shared request checking (`request.ts`), citation
 * numbering (`citations.ts`) and summaries (`summary.ts`). It knows nothing of Discord, the terminal or
 * the answer cache: a cache wraps an {@link Engine} from outside (see `src/cache/engine.ts`).
 */
import { type AskOptions, ask, askRequest, DEFAULT_ASK } from './ask.ts';
import {
  type BriefOptions,
  brief,
  briefRequest,
  DEFAULT_BRIEF,
  type ResolvedTopic,
  resolveTopic,
} from './brief.ts';
import type { AbstractiveWriter, EngineContext } from './context.ts';
import {
  type CorpusStats,
  type CoverageOptions,
  corpusStats,
  coverage,
  DEFAULT_COVERAGE,
  type TopicCoverage,
  topicList,
} from './coverage.ts';
import type { SearchIndex } from './index/build.ts';
import { type AnswerRequest, type ArticleFilter, MAX_TOPIC_CHARS, type QueryOptions } from './request.ts';
import type { Briefing, SearchResult, TopicList } from './result.ts';
import { DEFAULT_RANKING, type RankingOptions } from './retrieve.ts';
import { DEFAULT_SEARCH, type SearchOptions, search } from './search.ts';
import { suggestTopics, type TopicSuggestion } from './suggest.ts';

export type { ResolvedTopic } from './brief.ts';
export type { AbstractiveWriter } from './context.ts';
export type { CorpusStats } from './coverage.ts';
export {
  type AnswerKey,
  type AnswerRequest,
  type ArticleFilter,
  checkQuery,
  MAX_QUESTION_CHARS,
  MAX_TOPIC_CHARS,
  type QueryOptions,
} from './request.ts';

/** What the front ends (Discord, the command line, the daily digest) ask of the engine. */
export interface Engine {
  readonly index: SearchIndex;
  readonly corpusVersion: string;
  /** `extractive`, or the LLM writer's label. */
  readonly generatedBy: string;
  /** Which topic a `brief` argument names: a curated slug or alias, a discovered name, or free text. */
  resolveTopic(input: string): ResolvedTopic;
  brief(input: string, options?: QueryOptions): Promise<Briefing>;
  ask(input: string, options?: QueryOptions): Promise<Briefing>;
  search(input: string, options?: QueryOptions): SearchResult;
  /** Topics matching what someone has typed so far, best first (for autocomplete). */
  suggestTopics(typed: string, limit?: number): TopicSuggestion[];
  /** Topics by how many of the articles `only` keeps mention them, most first. */
  coverage(only: ArticleFilter, limit?: number): TopicCoverage[];
  /** Size and date range of the corpus behind this engine. */
  stats(): CorpusStats;
  topics(): TopicList;
  /**
   * A brief or ask request as a cache sees it: its wording, and what its answer depends on. Throws
   * the same {@link UserError} the request itself would.
   */
  answerRequest(kind: 'brief' | 'ask', input: string, options?: QueryOptions): AnswerRequest;
}

/** What the engine is built from; every setting but the index has a default. */
export interface EngineOptions {
  index: SearchIndex;
  corpusVersion: string;
  /** Ranking settings. @default {@link DEFAULT_RANKING} */
  ranking?: RankingOptions;
  /** The clock, for relative dates. @default () => new Date() */
  now?: () => Date;
  /** An LLM that rewrites answers abstractively (verified). @default none: extractive only */
  writer?: AbstractiveWriter;
  /** Briefing settings over {@link DEFAULT_BRIEF}. */
  brief?: Partial<BriefOptions>;
  /** Answer settings over {@link DEFAULT_ASK}. */
  ask?: Partial<AskOptions>;
  /** Search settings over {@link DEFAULT_SEARCH}. */
  search?: Partial<SearchOptions>;
  /** Coverage settings over {@link DEFAULT_COVERAGE}. */
  coverage?: Partial<CoverageOptions>;
}

/** Autocomplete choices at most. @default 25 — Discord's limit for autocomplete choices. */
const SUGGESTIONS = 25;

/** The engine over one corpus: each call checks its request and hands it to its use case's module. */
export class CorpusEngine implements Engine {
  readonly index: SearchIndex;
  readonly corpusVersion: string;
  readonly generatedBy: string;
  private readonly context: EngineContext;
  private readonly settings: {
    brief: BriefOptions;
    ask: AskOptions;
    search: SearchOptions;
    coverage: CoverageOptions;
  };
  private corpusStats: CorpusStats | undefined;

  constructor(options: EngineOptions) {
    this.index = options.index;
    this.corpusVersion = options.corpusVersion;
    this.generatedBy = options.writer?.label ?? 'extractive';
    this.context = {
      index: options.index,
      corpusVersion: options.corpusVersion,
      generatedBy: this.generatedBy,
      ranking: options.ranking ?? DEFAULT_RANKING,
      writer: options.writer,
      now: options.now ?? (() => new Date()),
    };
    this.settings = {
      brief: { ...DEFAULT_BRIEF, ...options.brief },
      ask: { ...DEFAULT_ASK, ...options.ask },
      search: { ...DEFAULT_SEARCH, ...options.search },
      coverage: { ...DEFAULT_COVERAGE, ...options.coverage },
    };
  }

  resolveTopic(input: string): ResolvedTopic {
    return resolveTopic(this.index, input);
  }

  async brief(input: string, options: QueryOptions = {}): Promise<Briefing> {
    const request = briefRequest(this.context, input, options, this.settings.brief);
    return brief(this.context, request, this.settings.brief);
  }

  async ask(input: string, options: QueryOptions = {}): Promise<Briefing> {
    const request = askRequest(this.context, input, options, this.settings.ask);
    return ask(this.context, request, this.settings.ask);
  }

  answerRequest(kind: 'brief' | 'ask', input: string, options: QueryOptions = {}): AnswerRequest {
    const { asked, key } =
      kind === 'brief'
        ? briefRequest(this.context, input, options, this.settings.brief)
        : askRequest(this.context, input, options, this.settings.ask);
    return { asked, key };
  }

  search(input: string, options: QueryOptions = {}): SearchResult {
    return search(this.context, input, options, this.settings.search);
  }

  suggestTopics(typed: string, limit = SUGGESTIONS): TopicSuggestion[] {
    return suggestTopics(this.index.topics, typed.slice(0, MAX_TOPIC_CHARS), limit);
  }

  coverage(only: ArticleFilter, limit = this.settings.coverage.limit): TopicCoverage[] {
    return coverage(this.index, only, limit, this.settings.coverage);
  }

  stats(): CorpusStats {
    this.corpusStats ??= corpusStats(this.index, this.corpusVersion);
    return this.corpusStats;
  }

  topics(): TopicList {
    return topicList(this.index);
  }
}
