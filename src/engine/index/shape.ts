/**
 * The shape of the search index, and the small readers of it that every engine module uses: kept apart
 * from the code that builds it (build.ts, builder.ts, append.ts), which all read it.
 */
import type { Article } from '../corpus/article.ts';
import type { NameCounter } from './discover.ts';
import type { ChunkOptions } from './passages.ts';
import type { Speaker } from './speakers.ts';
import type { Postings } from './stream.ts';
import { normaliseTerm } from './tokenize.ts';
import type { AliasMatcher, Topic } from './topics.ts';

export type { Postings } from './stream.ts';

/** Options of `buildIndex`. */
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
  /** Articles whose title names the topic, in ascending order (see {@link sortedHas}). */
  titleArticles: Uint32Array;
  /** Distinct articles that mention the topic anywhere. */
  articleCount: number;
}

/** The first place in ascending `sorted` whose value is `value` or more. */
export function lowerBound(sorted: Uint32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether ascending `sorted` holds `value`. */
export function sortedHas(sorted: Uint32Array, value: number): boolean {
  const at = lowerBound(sorted, value);
  return at < sorted.length && sorted[at] === value;
}

/**
 * In how many of its passages article `a` mentions a topic: found in the mentions (sorted by passage,
 * and an article's passages are consecutive) rather than kept per article, so that an extension, which
 * adds articles after all the others, only appends to them.
 */
export function passagesMentioning(index: SearchIndex, mentions: TopicMentions, a: number): number {
  return (
    lowerBound(mentions.passages, index.articlePassageStart[a + 1]!) -
    lowerBound(mentions.passages, index.articlePassageStart[a]!)
  );
}

/**
 * The search index: passages of every article with BM25 postings over their words, a separate title
 * field, the term stream of each passage (for phrase checks), and topic mentions. Never changed once
 * built: a reload builds a new one, or extends this one into a new one whose arrays go on past the end
 * of this one's, in the same buffers (see `append.ts`), and swaps it in.
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
