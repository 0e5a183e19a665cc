import type { Article } from '../corpus/article.ts';
import { assemble } from './append.ts';
import { IndexBuilder } from './builder.ts';
import type { NameCounter } from './discover.ts';
import { type ChunkOptions, DEFAULT_CHUNKING } from './passages.ts';
import type { Speaker } from './speakers.ts';
import type { Postings } from './stream.ts';
import { normaliseTerm } from './tokenize.ts';
import { AliasMatcher, type Topic, type TopicDefinition } from './topics.ts';

export type { Postings } from './stream.ts';

/** Options of {@link buildIndex}. */
export interface IndexOptions {
  /** Passage sizes; default {@link DEFAULT_CHUNKING}. */
  chunking?: ChunkOptions;
  /** A name must appear in this many articles to be listed as a discovered topic. Default 3. */
  discoverMinArticles?: number;
  /** At most this many discovered topics. Default 300. */
  discoverMax?: number;
  /** Groups of words that stand for one another in queries (`data/synonyms.json`). Default none. */
  synonyms?: readonly (readonly string[])[];
}

/** Passages that mention a topic, with how often, as parallel arrays sorted by passage. */
export interface TopicMentions {
  passages: Uint32Array;
  /** Mentions in the passage, saturating at 255. */
  counts: Uint8Array;
  /** Articles whose title names the topic. */
  titleArticles: Set<number>;
  /** Distinct articles that mention the topic anywhere. */
  articleCount: number;
  /** For each article that mentions the topic in its passages, in how many of them. */
  passagesPerArticle: Map<number, number>;
}

/**
 * The search index: passages of every article with BM25 postings over their words, a separate title
 * field, the term stream of each passage (for phrase checks), and topic mentions. Immutable once built;
 * a reload builds a new one (or extends a copy of this one, see {@link extendIndex}) and swaps it in.
 */
export interface SearchIndex {
  articles: Article[];
  /** Per passage: its article, and its article's date as a day number. */
  passageArticle: Uint32Array;
  passageDay: Int32Array;
  /** Per passage: character offsets into its article's text. */
  passageStart: Uint32Array;
  passageEnd: Uint32Array;
  /** Per passage: its citable sentences `[passageFirstSentence[p], passageLastSentence[p])`. */
  passageFirstSentence: Uint32Array;
  passageLastSentence: Uint32Array;
  /** Per citable sentence: character offsets into its article's text (flat arrays, not objects: 4M sentences at 100k articles). */
  sentenceStart: Uint32Array;
  sentenceEnd: Uint32Array;
  /**
   * Per citable sentence: its speaker and flags in one number, `(speaker + 1) << 2 | flags` (0 for most
   * sentences); read with {@link sentenceSpeaker} and {@link sentenceFlags}.
   */
  sentenceInfo: Uint32Array;
  /** The speakers of every transcript's turns, shared across articles (a speaker is stored once). */
  speakers: Speaker[];
  /** First passage of each article (length articles + 1). */
  articlePassageStart: Uint32Array;
  /** Words (stop words excluded) per passage and per title, for BM25 length normalisation. */
  passageLength: Uint32Array;
  titleLength: Uint32Array;
  avgPassageLength: number;
  avgTitleLength: number;
  vocabulary: Map<string, number>;
  termText: string[];
  /**
   * Term ids of each passage in order, stop words included, as variable-length bytes (see stream.ts):
   * passage p is `[tokenStart[p], tokenStart[p+1])`, read with `decodeTerms`.
   */
  tokens: Uint8Array;
  tokenStart: Uint32Array;
  body: Postings;
  title: Postings;
  matcher: AliasMatcher;
  /** Curated topics first (same order as the definitions), then discovered ones. */
  topics: Topic[];
  /** Mentions of each curated topic, indexed like {@link SearchIndex.topics}. */
  topicMentions: TopicMentions[];
  /** Newest article date as a day number (recency is measured from it, not from the wall clock). */
  newestDay: number;
  /** For a term, the other terms of its synonym groups that occur in the corpus. */
  synonyms: Map<number, number[]>;
  /** How the names of the corpus are used: kept so that an extension discovers the topics a full build would. */
  names: NameCounter;
  /** The options it was built with (an extension uses the same). */
  options: IndexOptions;
}

/** The index's per-passage and per-sentence arrays: an extension appends to each of them. */
export const PASSAGE_ARRAYS = [
  'passageArticle',
  'passageDay',
  'passageStart',
  'passageEnd',
  'passageFirstSentence',
  'passageLastSentence',
  'sentenceStart',
  'sentenceEnd',
  'sentenceInfo',
] as const;
export type PassageArray = (typeof PASSAGE_ARRAYS)[number];

export function passageCount(index: SearchIndex): number {
  return index.passageArticle.length;
}

/** Text characters of `articles`: sizes a builder's arrays once. */
function characters(articles: readonly Article[]): number {
  let n = 0;
  for (const a of articles) n += a.text.length;
  return n;
}

export function buildIndex(
  articles: Article[],
  definitions: readonly TopicDefinition[],
  options: IndexOptions = {},
): SearchIndex {
  const matcher = new AliasMatcher(definitions);
  const builder = new IndexBuilder(matcher, options.chunking ?? DEFAULT_CHUNKING, characters(articles));
  for (const article of articles) builder.add(article);
  return assemble(undefined, builder.finish(), matcher, options);
}

/**
 * The index of `base`'s articles followed by `added`: the same index, array for array, that
 * `buildIndex([...base.articles, ...added])` gives, at the cost of indexing `added` and copying `base`'s
 * arrays once (see `append.ts`), with `base`'s topic definitions and options. `base` is not changed and
 * may stay in service meanwhile.
 */
export function extendIndex(base: SearchIndex, added: readonly Article[]): SearchIndex {
  const chunking = base.options.chunking ?? DEFAULT_CHUNKING;
  const builder = new IndexBuilder(base.matcher, chunking, characters(added), base);
  for (const article of added) builder.add(article);
  return assemble(base, builder.finish(), base.matcher, base.options);
}

/** Whether `index` was built with these topic definitions and options, so that it can be extended with them. */
export function sameSettings(
  index: SearchIndex,
  definitions: readonly TopicDefinition[],
  options: IndexOptions,
): boolean {
  return (
    JSON.stringify(index.matcher.definitions) === JSON.stringify(definitions) &&
    JSON.stringify(index.options) === JSON.stringify(options)
  );
}

/** Term ids of each synonym group member, mapped to the other members' ids (stems shared within a group merge). */
export function synonymMap(
  groups: readonly (readonly string[])[],
  vocabulary: Map<string, number>,
): Map<number, number[]> {
  const map = new Map<number, number[]>();
  for (const group of groups) {
    const ids = [
      ...new Set(group.map((w) => vocabulary.get(normaliseTerm(w))).filter((id) => id !== undefined)),
    ];
    for (const id of ids) {
      const others = new Set(map.get(id) ?? []);
      for (const other of ids) if (other !== id) others.add(other);
      map.set(id, [...others]);
    }
  }
  return map;
}

/** The speaker of a citable sentence, if the document names one. */
export function sentenceSpeaker(index: SearchIndex, sentence: number): Speaker | undefined {
  const who = index.sentenceInfo[sentence]! >>> 2;
  return who === 0 ? undefined : index.speakers[who - 1];
}

/** The flags of a citable sentence (`SENTENCE_REPORTER`, `SENTENCE_TOO_LONG` of passages.ts). */
export function sentenceFlags(index: SearchIndex, sentence: number): number {
  return index.sentenceInfo[sentence]! & 3;
}
