import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.ts';
import type { Rejection } from './corpus/article.ts';
import { type Corpus, CorpusPathError, loadCorpus } from './corpus/load.ts';
import { type AbstractiveWriter, CorpusEngine, type Engine } from './engine.ts';
import { buildIndex, type IndexOptions, type SearchIndex } from './index/build.ts';
import { indexKey, loadIndex, saveIndex, sweepTemporaryFiles } from './index/persist.ts';
import { DataFileError, loadSynonyms, loadTopics, type TopicDefinition } from './index/topics.ts';

/** Where the corpus and topics come from, and how to build the engine over them. */
export interface OpenOptions {
  /** A corpus directory or one article file. */
  corpus: string;
  /** The curated topics file. */
  topicsFile: string;
  /** Synonym groups for queries (`data/synonyms.json`); none when omitted. */
  synonymsFile?: string;
  index?: IndexOptions;
  /** A directory for the persisted index; the index is rebuilt (and saved there) when none matches. Default none. */
  indexCache?: string;
  /** An LLM writer for abstractive answers; none: extractive only. */
  writer?: AbstractiveWriter;
  now?: () => Date;
}

/** A ready engine with the report of the load that fed it. */
export interface OpenedEngine {
  engine: Engine;
  corpus: Corpus;
  /** Time to build the index, or to read it from the index cache. */
  buildMs: number;
  /** Whether the index was built now or read from the index cache. */
  indexFrom: 'built' | 'cache';
  /** Problems that cost speed but not correctness (an index cache that could not be written). */
  warnings: string[];
}

const KEEP_CACHED_INDEXES = 5;

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
    const why = corpus.report.rejected.slice(0, 5).map((r) => `  ${rejectionPlace(r)}: ${r.reason}`);
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
    if (err instanceof DataFileError) throw new UserError('topics_invalid', err.message);
    throw err;
  }
  const started = performance.now();
  const indexOptions: IndexOptions = { ...options.index, synonyms };
  const warnings: string[] = [];
  let index: SearchIndex | undefined;
  let file: string | undefined;
  let key = '';
  if (options.indexCache !== undefined) {
    key = indexKey(corpus.corpusVersion, topics, indexOptions);
    file = path.join(options.indexCache, `${key.slice(0, 24)}.idx`);
    for (const name of await sweepTemporaryFiles(options.indexCache))
      warnings.push(`removed ${name}, left in the index cache by a write that did not finish`);
    const read = await loadIndex(file, key, corpus.articles, topics, indexOptions);
    if (read.status === 'loaded') index = read.index;
    else if (read.status === 'damaged') {
      // Never served, and deleted so that the next start does not trip over it again.
      await rm(file, { force: true });
      warnings.push(`the index cache ${file} was damaged (${read.reason}); deleted, and the index rebuilt`);
    }
  }
  const indexFrom = index === undefined ? 'built' : 'cache';
  if (index === undefined) {
    index = buildIndex(corpus.articles, topics, indexOptions);
    if (file !== undefined) {
      try {
        await saveIndex(index, key, file);
        await pruneCache(path.dirname(file), KEEP_CACHED_INDEXES);
      } catch (err) {
        warnings.push(`could not write the index cache ${file}: ${(err as Error).message}`);
      }
    }
  }
  const buildMs = performance.now() - started;
  const engine = new CorpusEngine({
    index,
    corpusVersion: corpus.corpusVersion,
    ...(options.now ? { now: options.now } : {}),
    ...(options.writer ? { writer: options.writer } : {}),
  });
  return { engine, corpus, buildMs, indexFrom, warnings };
}

/** Where a rejected article was found: its file, and the line for a JSON Lines file. */
export function rejectionPlace(r: Rejection): string {
  return `${r.file}${r.line ? `:${r.line}` : ''}`;
}

/** Keeps the `keep` most recently written index files of a cache directory. */
async function pruneCache(dir: string, keep: number): Promise<void> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.idx'));
  const dated = await Promise.all(
    files.map(async (f) => ({ f, t: (await stat(path.join(dir, f))).mtimeMs })),
  );
  dated.sort((a, b) => b.t - a.t);
  await Promise.all(dated.slice(keep).map(({ f }) => rm(path.join(dir, f), { force: true })));
}
