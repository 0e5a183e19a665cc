import type { SearchIndex } from './index/build.ts';
import type { RankingOptions } from './retrieve.ts';
import type { LlmPassage, WriteOutcome } from './summarize/llm/writer.ts';

/** What an LLM writer must offer the engine (see summarize/llm/writer.ts). */
export interface AbstractiveWriter {
  /** `llm:<model>`. */
  readonly label: string;
  promptRef(kind: 'brief' | 'ask'): string;
  write(kind: 'brief' | 'ask', query: string, passages: readonly LlmPassage[]): Promise<WriteOutcome>;
  /**
   * Told when its answer was not used and the offline summary served instead: the call failed
   * (`model_failed`) or too few bullets survived verification (`unverified`). @default none
   */
  fellBack?(kind: 'brief' | 'ask', why: 'model_failed' | 'unverified'): void;
}

/** What every use case (brief, ask, search, coverage) reads: one immutable index and its settings. */
export interface EngineContext {
  readonly index: SearchIndex;
  readonly corpusVersion: string;
  /** `extractive`, or the writer's label. */
  readonly generatedBy: string;
  readonly ranking: RankingOptions;
  readonly writer: AbstractiveWriter | undefined;
  /** The clock, for relative dates and `generatedAt`. */
  readonly now: () => Date;
}
