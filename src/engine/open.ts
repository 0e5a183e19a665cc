import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.ts';
import type { Article, Rejection } from './corpus/article.ts';
import { type Corpus, CorpusPathError, loadCorpus } from './corpus/load.ts';
import { type AbstractiveWriter, CorpusEngine, type Engine } from './engine.ts';
import {
  buildIndex,
  extendIndex,
  type IndexOptions,
  needsLayout,
  type SearchIndex,
  sameSettings,
} from './index/build.ts';
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
  /**
   * Passages of the index in service past which a reload with a prebuild step leaves laying the postings
   * out whole to it (see {@link Reopen.previous}). Default {@link MAX_LAYOUT_PASSAGES}.
   */
  maxLayoutPassages?: number;
  now?: () => Date;
}

/** A ready engine with the report of the load that fed it. */
export interface OpenedEngine {
  engine: Engine;
  corpus: Corpus;
  /** Time to build the index, or to read it from the index cache. */
  buildMs: number;
  /**
   * Whether the index was built now, read from the index cache, or made by extending the index in
   * service with the articles the corpus gained (see {@link Reopen}).
   */
  indexFrom: 'built' | 'cache' | 'extended';
  /** Problems that cost speed but not correctness (an index cache that could not be written). */
  warnings: string[];
  /** The index cache write still under way after an extension, with its warnings (none: nothing pending). */
  saving?: Promise<string[]>;
}

const KEEP_CACHED_INDEXES = 5;

/** What a reload knows besides the files: the index in service, and how to build one off this thread. */
export interface Reopen {
  /**
   * The index in service. When the corpus only gained articles (none removed or changed, same topics
   * and options), the new index is this one extended with them: the cost of indexing those articles
   * and appending them to its arrays, not of a rebuild. Once in an eighth of growth an extension also
   * lays the postings out whole, a copy of them: past `maxLayoutPassages` that reload is left to
   * `prebuild` instead. Default none.
   */
  previous?: SearchIndex;
  /**
   * The {@link Corpus.hashes} of `previous`'s articles by id, from the load that fed it: comparing
   * them is how a reload sees that an article is unchanged without comparing its text. Without them
   * the articles' fields are compared. Default none.
   */
  previousHashes?: ReadonlyMap<string, string>;
  /**
   * The previous load of the corpus: its files that have not changed since are not read again, their
   * records are reused (see {@link loadCorpus}). Default none: every file is read.
   */
  previousCorpus?: Pick<Corpus, 'files'>;
  /**
   * Builds the index of the files as they are now on another thread and saves it to the index cache,
   * for a reload that cannot extend; this thread then reads it. A failure is not an error: the index is
   * then built here. Default none.
   */
  prebuild?: () => Promise<unknown>;
}

/**
 * Loads the corpus and topics, builds the index and returns the engine. A missing path, an invalid
 * topics file, or a corpus with no valid article is a {@link UserError} saying how to fix it.
 */
export async function openEngine(options: OpenOptions, reopen: Reopen = {}): Promise<OpenedEngine> {
  let corpus: Corpus;
  try {
    corpus = await loadCorpus(options.corpus, reopen.previousCorpus);
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
  const readCache = async (): Promise<SearchIndex | undefined> => {
    if (file === undefined) return undefined;
    const read = await loadIndex(file, key, corpus.articles, topics, indexOptions);
    if (read.status === 'loaded') return read.index;
    if (read.status === 'damaged') {
      // Never served, and deleted so that the next start does not trip over it again.
      await rm(file, { force: true });
      warnings.push(`the index cache ${file} was damaged (${read.reason}); deleted, and the index rebuilt`);
    }
    return undefined;
  };
  if (options.indexCache !== undefined) {
    key = indexKey(corpus.corpusVersion, topics, indexOptions);
    file = path.join(options.indexCache, `${key.slice(0, 24)}.idx`);
    for (const name of await sweepTemporaryFiles(options.indexCache))
      warnings.push(`removed ${name}, left in the index cache by a write that did not finish`);
    index = await readCache();
  }
  let indexFrom: OpenedEngine['indexFrom'] = 'cache';
  if (index === undefined && reopen.previous !== undefined) {
    const previous = reopen.previous;
    const current = extensionOf(previous, corpus, topics, indexOptions, reopen.previousHashes);
    if (current !== undefined) {
      const added = current.slice(previous.articles.length);
      // An extension runs on this thread, the one that answers. It appends, but the one that lays the
      // postings out whole copies them: past a size that copy would hold answers up for seconds, and the
      // worker's full build (which holds nothing up) serves better. Finding out costs an extension
      // without the layout, which appends only.
      const layOut =
        reopen.prebuild === undefined ||
        previous.passageArticle.length <= (options.maxLayoutPassages ?? MAX_LAYOUT_PASSAGES);
      const extended = added.length === 0 ? previous : extendIndex(previous, added, { layOut });
      if (layOut || !needsLayout(extended)) {
        // The articles of this load stand in for the previous load's (the same objects where a file was reused,
        // equal ones where it was read again, which can then be freed).
        index = { ...extended, articles: current };
        indexFrom = 'extended';
      }
    }
  }
  if (index === undefined && reopen.prebuild !== undefined) {
    await reopen.prebuild();
    index = await readCache();
  }
  if (index === undefined) {
    indexFrom = 'built';
    index = buildIndex(corpus.articles, topics, indexOptions);
  }
  const save = async (target: string, saved: SearchIndex): Promise<string[]> => {
    try {
      await saveIndex(saved, key, target);
      await pruneCache(path.dirname(target), KEEP_CACHED_INDEXES);
      return [];
    } catch (err) {
      return [`could not write the index cache ${target}: ${(err as Error).message}`];
    }
  };
  let saving: Promise<string[]> | undefined;
  // An extension is answerable before it is saved: the write (hundreds of MB at 100k articles) follows
  // the swap instead of delaying it. A build is saved first, as before (the worker's build is saved by it).
  if (indexFrom === 'built' && file !== undefined) warnings.push(...(await save(file, index)));
  if (indexFrom === 'extended' && file !== undefined) saving = save(file, index);
  const buildMs = performance.now() - started;
  const engine = new CorpusEngine({
    index,
    corpusVersion: corpus.corpusVersion,
    ...(options.now ? { now: options.now } : {}),
    ...(options.writer ? { writer: options.writer } : {}),
  });
  return { engine, corpus, buildMs, indexFrom, warnings, ...(saving ? { saving } : {}) };
}

/**
 * Passages of an index in service beyond which a reload with a worker leaves laying the postings out
 * whole (once in an eighth of growth) to the worker's full build rather than do it here. Extending
 * appends, about 0.3 s for 20 articles at 100k synthetic articles (1.2M passages) on a loaded 2-core
 * machine, whatever the size but for the names and vocabulary it copies; laying the postings out copies
 * them, 1.6 s there, in proportion to the passages.
 */
export const MAX_LAYOUT_PASSAGES = 1_500_000;

/**
 * The corpus's articles in the order of an extension of `previous` (its articles, then the new ones in
 * the corpus's order), when the corpus only adds articles to it under the same topics and options;
 * undefined when any article was removed or changed, or the settings differ (a full rebuild then).
 *
 * The extension keeps the articles where they were and appends the new ones, whereas the corpus is
 * ordered by id (a feed's new item usually sorts among the old ones). The index is the same either
 * way except for the numbering of articles, passages and terms, and no ranking depends on those numbers
 * but for exact ties; tested on the evaluation set (tests/unit/extend.test.ts), where the answers are
 * identical. The index file records the order, so a restart that reads it answers the same.
 */
export function extensionOf(
  previous: SearchIndex,
  corpus: Pick<Corpus, 'articles' | 'hashes'>,
  definitions: readonly TopicDefinition[],
  options: IndexOptions,
  previousHashes?: ReadonlyMap<string, string>,
): Article[] | undefined {
  const { articles } = corpus;
  if (articles.length < previous.articles.length || !sameSettings(previous, definitions, options))
    return undefined;
  const byId = new Map(articles.map((a, i) => [a.id, i]));
  const current: Article[] = [];
  for (const old of previous.articles) {
    const i = byId.get(old.id);
    if (i === undefined) return undefined;
    const now = articles[i]!;
    const same =
      previousHashes === undefined
        ? sameArticle(old, now)
        : previousHashes.get(old.id) === corpus.hashes[i] && previousHashes.has(old.id);
    if (!same) return undefined;
    current.push(now);
    byId.delete(old.id);
  }
  // What is left in the map is new, in the corpus's order (a Map keeps insertion order).
  for (const i of byId.values()) current.push(articles[i]!);
  return current;
}

/** Whether two loads of an article index alike (its origin, the file it came from, is not indexed). */
function sameArticle(a: Article, b: Article): boolean {
  return (
    a.title === b.title &&
    a.date === b.date &&
    a.publisher === b.publisher &&
    a.url === b.url &&
    a.tags.length === b.tags.length &&
    a.tags.every((t, i) => t === b.tags[i]) &&
    a.text === b.text
  );
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
