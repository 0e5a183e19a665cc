/**
 * Puts an index together from the index it started from (none for a full build) and the {@link Segment}
 * an {@link IndexBuilder} made of the articles after it. Every id the builder gave continues the base's,
 * so the result is the index a full build over the base's articles followed by the segment's would give:
 * the per-passage, per-sentence and per-article arrays are the base's followed by the segment's; the
 * vocabulary keeps the base's term ids and numbers the new terms after them; each term's postings are its
 * base range followed by its new documents (documents are passages in order, so the lists stay sorted);
 * averages, the newest day, synonyms and discovered topics are computed again over the whole.
 *
 * This is how incremental indexing works (issue 16): a feed poll that adds 20 articles to a large corpus
 * costs indexing those 20 plus copying the arrays once, not a rebuild. There is no second index segment
 * searched beside the main one, and so nothing to merge in the background later: every reload, whether
 * it extends or rebuilds, ends with one ordinary index, and the engine's modules (which address passages
 * by one global id) work on it unchanged.
 */
import {
  type IndexOptions,
  PASSAGE_ARRAYS,
  type PassageArray,
  type SearchIndex,
  synonymMap,
  type TopicMentions,
} from './build.ts';
import type { Segment } from './builder.ts';
import { discoverNames } from './discover.ts';
import type { Postings } from './stream.ts';
import { type AliasMatcher, curatedTopic } from './topics.ts';

export function assemble(
  base: SearchIndex | undefined,
  segment: Segment,
  matcher: AliasMatcher,
  options: IndexOptions,
): SearchIndex {
  const terms = segment.termText.length;
  const passages = (base?.passageArticle.length ?? 0) + segment.passageArticle.length;
  const articles = base === undefined ? [...segment.articles] : [...base.articles, ...segment.articles];
  const body =
    base === undefined
      ? segment.body.postings
      : mergePostings(base.body, segment.body.postings, terms, base.passageArticle.length);
  const title =
    base === undefined
      ? segment.title.postings
      : mergePostings(base.title, segment.title.postings, terms, base.articles.length);
  const passageLength = concat(base?.passageLength, segment.body.lengths);
  const titleLength = concat(base?.titleLength, segment.title.lengths);
  const articlePassageStart = new Uint32Array(articles.length + 1);
  if (base !== undefined) articlePassageStart.set(base.articlePassageStart.subarray(0, base.articles.length));
  articlePassageStart.set(segment.articlePassageStart, base?.articles.length ?? 0);
  articlePassageStart[articles.length] = passages;
  const perPassage = Object.fromEntries(
    PASSAGE_ARRAYS.map((name) => [name, concat(base?.[name], segment[name])]),
  ) as Pick<SearchIndex, PassageArray>;
  const { passageArticle } = perPassage;

  const topicMentions = segment.mentions.map((m, i) =>
    mergeMentions(base?.topicMentions[i], m, passageArticle),
  );
  const curated = matcher.definitions.map((d, i) => curatedTopic(d, topicMentions[i]!.articleCount));
  const discovered = discoverNames(
    segment.names,
    matcher,
    (term) => {
      const id = segment.vocabulary.get(term);
      return id === undefined ? 0 : segment.names.lowerCaseUses(id, totalUses(body, id));
    },
    {
      minArticles: options.discoverMinArticles ?? 3,
      max: options.discoverMax ?? 300,
      taken: new Set(curated.map((t) => t.slug)),
    },
  );
  const newestDay =
    base === undefined || base.articles.length === 0
      ? segment.newestDay
      : Math.max(base.newestDay, segment.newestDay);

  return {
    articles,
    ...perPassage,
    speakers: base === undefined ? segment.speakers : [...base.speakers, ...segment.speakers],
    articlePassageStart,
    passageLength,
    titleLength,
    avgPassageLength: mean(passageLength),
    avgTitleLength: mean(titleLength),
    vocabulary: segment.vocabulary,
    termText: segment.termText,
    tokens: concat(base?.tokens, segment.body.tokens),
    tokenStart: mergeOffsets(base?.tokenStart, segment.body.tokenStart),
    body,
    title,
    matcher,
    topics: [...curated, ...discovered],
    topicMentions,
    newestDay: Number.isFinite(newestDay) ? newestDay : 0,
    synonyms: synonymMap(options.synonyms ?? [], segment.vocabulary),
    names: segment.names,
    options,
  };
}

/** `a` followed by `b` (`b` itself when there is no `a`). */
function concat<T extends Uint32Array | Int32Array | Uint8Array>(a: T | undefined, b: T): T {
  if (a === undefined || a.length === 0) return b;
  const out = new (a.constructor as new (n: number) => T)(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Offsets of a stream (length documents + 1) followed by those of a stream appended to it. */
function mergeOffsets(base: Uint32Array | undefined, added: Uint32Array): Uint32Array {
  if (base === undefined) return added;
  const documents = base.length - 1;
  const end = base[documents]!;
  const out = new Uint32Array(documents + added.length);
  out.set(base.subarray(0, documents));
  for (let i = 0; i < added.length; i++) out[documents + i] = added[i]! + end;
  return out;
}

/**
 * Postings over `terms` terms: for each term its base entries, then its new ones with their documents
 * moved past the base's `baseDocuments`. One pass; runs of terms without new entries are copied in bulk.
 */
export function mergePostings(
  base: Postings,
  added: Postings,
  terms: number,
  baseDocuments: number,
): Postings {
  const baseTerms = base.start.length - 1;
  const baseTotal = base.start[baseTerms]!;
  const total = baseTotal + added.start[terms]!;
  const start = new Uint32Array(terms + 1);
  const ids = new Uint32Array(total);
  const tfs = new Uint8Array(total);
  let copied = 0; // base entries [0, copied) are in place
  for (let t = 0; t < terms; t++) {
    const baseEnd = t < baseTerms ? base.start[t + 1]! : baseTotal;
    const from = added.start[t]!;
    const to = added.start[t + 1]!;
    // Base entries before term t's end are shifted by the new entries of the terms before t.
    start[t] = (t < baseTerms ? base.start[t]! : baseTotal) + from;
    if (to === from) continue;
    ids.set(base.ids.subarray(copied, baseEnd), copied + from);
    tfs.set(base.tfs.subarray(copied, baseEnd), copied + from);
    copied = baseEnd;
    const at = baseEnd + from;
    for (let k = from; k < to; k++) ids[at + k - from] = added.ids[k]! + baseDocuments;
    tfs.set(added.tfs.subarray(from, to), at);
  }
  const shift = added.start[terms]!;
  ids.set(base.ids.subarray(copied, baseTotal), copied + shift);
  tfs.set(base.tfs.subarray(copied, baseTotal), copied + shift);
  start[terms] = total;
  return { start, ids, tfs };
}

/** A curated topic's mentions in the base (if any) followed by those in the segment. */
function mergeMentions(
  base: TopicMentions | undefined,
  added: Segment['mentions'][number],
  passageArticle: Uint32Array,
): TopicMentions {
  // A topic the new articles do not mention keeps the base's mentions as they are (never changed after
  // a build): most topics, for a feed poll's few articles, and no copy of their maps.
  if (
    base !== undefined &&
    added.articles === 0 &&
    added.passages.length === 0 &&
    added.titleArticles.size === 0
  )
    return base;
  const passagesPerArticle = new Map(base?.passagesPerArticle);
  for (const p of added.passages) {
    const a = passageArticle[p]!;
    passagesPerArticle.set(a, (passagesPerArticle.get(a) ?? 0) + 1);
  }
  let titleArticles = added.titleArticles;
  if (base !== undefined) {
    titleArticles = new Set(base.titleArticles);
    for (const a of added.titleArticles) titleArticles.add(a);
  }
  return {
    passages: concat(base?.passages, Uint32Array.from(added.passages)),
    counts: concat(base?.counts, Uint8Array.from(added.counts)),
    titleArticles,
    articleCount: (base?.articleCount ?? 0) + added.articles,
    passagesPerArticle,
  };
}

/** How often a term occurs in all passages (0 for a term not in the vocabulary). */
function totalUses(postings: Postings, term: number): number {
  let n = 0;
  for (let i = postings.start[term]!; i < postings.start[term + 1]!; i++) n += postings.tfs[i]!;
  return n;
}

function mean(values: Uint32Array): number {
  if (values.length === 0) return 1;
  let sum = 0;
  for (const v of values) sum += v;
  return Math.max(1, sum / values.length);
}
