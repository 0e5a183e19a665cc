import type { ResultCache } from '../cache/types.ts';
import { UserError } from '../errors.ts';
import { type Corpus, CorpusPathError, loadCorpus } from './corpus/load.ts';
import { Engine } from './engine.ts';
import { buildIndex, type IndexOptions } from './index/build.ts';
import { loadSynonyms, loadTopics, type TopicDefinition, TopicsFileError } from './index/topics.ts';

/** Where the corpus and topics come from, and how to build the engine over them. */
export interface OpenOptions {
  /** A corpus directory or one article file. */
  corpus: string;
  /** The curated topics file. */
  topicsFile: string;
  /** Synonym groups for queries (`data/synonyms.json`); none when omitted. */
  synonymsFile?: string;
  index?: IndexOptions;
  cache?: ResultCache;
  now?: () => Date;
}

/** A ready engine with the report of the load that fed it. */
export interface OpenedEngine {
  engine: Engine;
  corpus: Corpus;
  buildMs: number;
}

/**
 * Loads the corpus and topics, builds the index and returns the engine. A missing path, an invalid
 * topics file, or a corpus with no valid article is a {@link UserError} saying how to fix it.
 */
export async function openEngine(options: OpenOptions): Promise<OpenedEngine> {
  let corpus: Corpus;
  try {
    corpus = await loadCorpus(options.corpus);
  } catch (err) {
    if (err instanceof CorpusPathError) {
      throw new UserError(
        'corpus_not_found',
        `${err.message}. Pass --corpus <dir-or-file> with your articles.`,
      );
    }
    throw err;
  }
  if (corpus.articles.length === 0) {
    const why = corpus.report.rejected
      .slice(0, 5)
      .map((r) => `  ${r.file}${r.line ? `:${r.line}` : ''}: ${r.reason}`);
    throw new UserError(
      'corpus_empty',
      `No valid article in ${options.corpus} (${corpus.report.files} files read).${why.length ? `\n${why.join('\n')}` : ''}`,
    );
  }
  let topics: TopicDefinition[];
  let synonyms: string[][] = [];
  try {
    topics = await loadTopics(options.topicsFile);
    if (options.synonymsFile !== undefined) synonyms = await loadSynonyms(options.synonymsFile);
  } catch (err) {
    if (err instanceof TopicsFileError) throw new UserError('topics_invalid', err.message);
    throw err;
  }
  const started = performance.now();
  const index = buildIndex(corpus.articles, topics, { ...options.index, synonyms });
  const buildMs = performance.now() - started;
  const engine = new Engine({
    index,
    corpusVersion: corpus.corpusVersion,
    ...(options.cache ? { cache: options.cache } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  return { engine, corpus, buildMs };
}
