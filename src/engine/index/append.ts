/**
 * Puts an index together from the index it started from (none for a full build) and the {@link Segment}
 * an {@link IndexBuilder} made of the articles after it. Every id the builder gave continues the base's,
 * so the result is the index a full build over the base's articles followed by the segment's would give:
 * the per-passage, per-sentence and per-article arrays are the base's followed by the segment's; the
 * vocabulary keeps the base's term ids and numbers the new terms after them; each term's postings are its
 * base entries followed by its new documents (documents are passages in order, so the lists stay sorted);
 * averages, the newest day, synonyms and discovered topics are computed again over the whole.
 *
 * This is how incremental indexing works (issue 16): a feed poll that adds 20 articles to a large corpus
 * costs indexing those 20, not a rebuild, nor a copy of the index. The arrays grow like vectors (see
 * `appended` in typed.ts): the new values are written past the end of the base's arrays, into spare
 * capacity that the base, still in service until the swap, never reads, and the extension's arrays are
 * longer views of the same buffers. Postings cannot grow that way (a term's new entries belong in the
 * middle of the lists), so an extension keeps the base's lists as they are and lays out the entries of
 * the documents added since they were last laid out whole as a second, small set of lists beside them
 * ({@link Postings.recent}), read together with them (`termPostings` of stream.ts); once those pass an
 * eighth of the whole, the next extension lays the two out as one again. BM25 statistics are over the
 * whole either way. Every reload, whether it extends or rebuilds, still ends with one index whose modules
 * address passages by one global id; its file keeps the recent lists as they are (persist.ts).
 *
 * At 100k synthetic articles (1.2M passages) copying the index took 3–4 s of a poll; see the bench's
 * ingest row for what it takes now.
 */

import type { Segment } from './builder.ts';
import { discoverNames } from './discover.ts';
import {
  type IndexOptions,
  PASSAGE_ARRAYS,
  type PassageArray,
  type SearchIndex,
  synonymMap,
  type TopicMentions,
} from './shape.ts';
import type { Postings } from './stream.ts';
import { type AliasMatcher, curatedTopic } from './topics.ts';
import { appended } from './typed.ts';

export function assemble(
  base: SearchIndex | undefined,
  segment: Segment,
  matcher: AliasMatcher,
  options: IndexOptions,
  /** Whether postings whose recent entries pass an eighth of them are laid out whole now (see {@link needsLayout}). */
  layOut = true,
): SearchIndex {
  const terms = segment.termText.length;
  const passages = (base?.passageArticle.length ?? 0) + segment.passageArticle.length;
  const articles = base === undefined ? [...segment.articles] : [...base.articles, ...segment.articles];
  const body =
    base === undefined
      ? segment.body.postings
      : extendPostings(base.body, segment.body.postings, terms, base.passageArticle.length, layOut);
  const title =
    base === undefined
      ? segment.title.postings
      : extendPostings(base.title, segment.title.postings, terms, base.articles.length, layOut);
  const passageLength = concat(base?.passageLength, segment.body.lengths);
  const titleLength = concat(base?.titleLength, segment.title.lengths);
  // Offsets (one more than their documents): the base's closing one is the added's first, shifted.
  const articlePassageStart =
    base === undefined
      ? appended(segment.articlePassageStart, [passages])
      : segment.articles.length === 0
        ? base.articlePassageStart
        : appended(base.articlePassageStart, [...segment.articlePassageStart.subarray(1), passages]);
  const perPassage = Object.fromEntries(
    PASSAGE_ARRAYS.map((name) => [name, concat(base?.[name], segment[name])]),
  ) as Pick<SearchIndex, PassageArray>;
  const topicMentions = segment.mentions.map((m, i) => mergeMentions(base?.topicMentions[i], m));
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
    tokenStart:
      base === undefined
        ? segment.body.tokenStart
        : appended(base.tokenStart, segment.body.tokenStart.subarray(1), base.tokens.length),
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

/** `a` followed by `b` (`b` itself when there is no `a`), in `a`'s spare capacity when it has some. */
function concat<T extends Uint32Array | Int32Array | Uint8Array>(a: T | undefined, b: T): T {
  return a === undefined || a.length === 0 ? b : appended(a, b);
}

const NO_POSTINGS: Postings = { start: new Uint32Array(1), ids: new Uint32Array(0), tfs: new Uint8Array(0) };

/**
 * `base`'s postings over `terms` terms with `added`'s entries (documents counted from `baseDocuments`)
 * after them: `base`'s lists as they are (their `start` grown for the new terms, which have none there)
 * and its recent entries followed by the added ones; or, once the recent entries pass an eighth of the
 * whole, all of them laid out as one.
 */
function extendPostings(
  base: Postings,
  added: Postings,
  terms: number,
  baseDocuments: number,
  layOut: boolean,
): Postings {
  const recent = mergePostings(base.recent ?? NO_POSTINGS, added, terms, baseDocuments);
  const whole = { start: base.start, ids: base.ids, tfs: base.tfs };
  if (layOut && tooMany(recent, whole)) return mergePostings(whole, recent, terms, 0);
  const closing = base.start[base.start.length - 1]!;
  const start = appended(base.start, new Uint32Array(terms + 1 - base.start.length).fill(closing));
  return { ...whole, start, recent };
}

/** Whether recent entries are too many to keep beside the lists: past an eighth of them. */
function tooMany(recent: Postings, lists: Postings): boolean {
  return recent.ids.length * 8 > lists.ids.length;
}

/**
 * Whether an index extended without laying its postings out ({@link assemble}'s `layOut`) holds too
 * many recent entries: laying them out whole copies the postings, which the caller may leave to a full
 * build elsewhere.
 */
export function needsLayout(index: SearchIndex): boolean {
  return [index.body, index.title].some((p) => p.recent !== undefined && tooMany(p.recent, p));
}

/** The postings laid out whole, as a full build lays them out (their recent entries merged in). */
export function folded(p: Postings): Postings {
  if (p.recent === undefined) return p;
  return mergePostings({ start: p.start, ids: p.ids, tfs: p.tfs }, p.recent, p.start.length - 1, 0);
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
function mergeMentions(base: TopicMentions | undefined, added: Segment['mentions'][number]): TopicMentions {
  // A topic the new articles do not mention keeps the base's mentions as they are (never changed after
  // a build): most topics, for a feed poll's few articles.
  if (
    base !== undefined &&
    added.articles === 0 &&
    added.passages.length === 0 &&
    added.titleArticles.size === 0
  )
    return base;
  // The segment's articles come after the base's: each list goes on in order, appended in place.
  return {
    passages: concat(base?.passages, Uint32Array.from(added.passages)),
    counts: concat(base?.counts, Uint8Array.from(added.counts)),
    titleArticles: concat(base?.titleArticles, Uint32Array.from(added.titleArticles).sort()),
    articleCount: (base?.articleCount ?? 0) + added.articles,
  };
}

/**
 * Per postings' lists (kept by every extension until they are laid out whole again), the uses of the
 * terms discovery asked about: a common name's list is long, and is asked about at every extension.
 */
const usesInLists = new WeakMap<Uint8Array, Map<number, number>>();

/** How often a term occurs in all passages (0 for a term not in the vocabulary). */
function totalUses(postings: Postings, term: number): number {
  let known = usesInLists.get(postings.tfs);
  if (known === undefined) {
    known = new Map();
    usesInLists.set(postings.tfs, known);
  }
  let n = known.get(term);
  if (n === undefined) {
    n = sumUses(postings, term);
    known.set(term, n);
  }
  // The recent entries summed where they are: joining them (termPostings) would keep a copy of each name's.
  return postings.recent === undefined ? n : n + sumUses(postings.recent, term);
}

function sumUses(p: Postings, term: number): number {
  let n = 0;
  for (let i = p.start[term]!; i < p.start[term + 1]!; i++) n += p.tfs[i]!;
  return n;
}

function mean(values: Uint32Array): number {
  if (values.length === 0) return 1;
  let sum = 0;
  for (const v of values) sum += v;
  return Math.max(1, sum / values.length);
}
