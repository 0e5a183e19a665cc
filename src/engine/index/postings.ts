/**
 * Index lookups shared by query planning, retrieval and evidence weighing: the postings of a concept
 * (a word, every spelling of a topic, or a phrase verified in the term stream), BM25's idf, and phrase
 * counting. They read the index only; ranking lives in `retrieve.ts`.
 */
import type { SearchIndex } from './build.ts';
import { decodeTerms, MAX_TF, postingCount, termPostings } from './stream.ts';
import { terms } from './tokenize.ts';

export { postingCount, termPostings } from './stream.ts';

/** What a posting list can be looked up for: the index's side of a query concept (see `query.ts`). */
export type PostingsConcept =
  | { kind: 'word'; term: number }
  | { kind: 'topic'; topic: number }
  | { kind: 'phrase'; terms: readonly number[] };

/** BM25 inverse document frequency of a term found in `df` of `n` passages (never negative). */
export function bm25Idf(n: number, df: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/** Postings of one concept over passages. Phrases are verified against the passages' term streams. */
export function conceptPostings(
  index: SearchIndex,
  c: PostingsConcept,
): { ids: Uint32Array; tfs: Uint8Array } {
  if (c.kind === 'word') {
    return termPostings(index.body, c.term);
  }
  if (c.kind === 'topic') {
    const m = index.topicMentions[c.topic]!;
    return { ids: m.passages, tfs: m.counts };
  }
  return phrasePostings(index, c.terms);
}

const phraseCache = new WeakMap<SearchIndex, Map<string, { ids: Uint32Array; tfs: Uint8Array }>>();

function phrasePostings(index: SearchIndex, seq: readonly number[]): { ids: Uint32Array; tfs: Uint8Array } {
  const key = seq.join(',');
  let cache = phraseCache.get(index);
  if (cache === undefined) {
    cache = new Map();
    phraseCache.set(index, cache);
  }
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  // Start from the rarest non-stop word of the phrase, then check the sequence in each candidate passage.
  let rarest = -1;
  let rarestDf = Number.POSITIVE_INFINITY;
  for (const t of seq) {
    const df = postingCount(index.body, t);
    if (df > 0 && df < rarestDf) {
      rarest = t;
      rarestDf = df;
    }
  }
  const ids: number[] = [];
  const tfs: number[] = [];
  if (rarest >= 0) {
    for (const p of termPostings(index.body, rarest).ids) {
      const terms = passageTerms(index, p);
      const count = countSequence(terms.ids, 0, terms.length, seq);
      if (count > 0) {
        ids.push(p);
        tfs.push(Math.min(count, MAX_TF));
      }
    }
  }
  const result = { ids: Uint32Array.from(ids), tfs: Uint8Array.from(tfs) };
  if (cache.size > 1000) cache.clear();
  cache.set(key, result);
  return result;
}

let termScratch = new Uint32Array(1024);

/** The term ids of passage `p`, decoded into a shared scratch array (valid until the next call). */
export function passageTerms(index: SearchIndex, p: number): { ids: Uint32Array; length: number } {
  const from = index.tokenStart[p]!;
  const to = index.tokenStart[p + 1]!;
  if (to - from > termScratch.length) termScratch = new Uint32Array(to - from); // a term takes a byte or more
  return { ids: termScratch, length: decodeTerms(index.tokens, from, to, termScratch) };
}

/** How many times `seq` occurs in `stream[from, to)`. */
export function countSequence(stream: Uint32Array, from: number, to: number, seq: readonly number[]): number {
  let count = 0;
  outer: for (let i = from; i + seq.length <= to; i++) {
    for (let k = 0; k < seq.length; k++) if (stream[i + k] !== seq[k]) continue outer;
    count++;
  }
  return count;
}

const titlePhraseCache = new WeakMap<SearchIndex, Map<string, Uint32Array>>();

/**
 * Articles whose title holds a phrase, in order: a name some sources use only as a heading ("Middle
 * Eastern crisis › Twelve-Day War — …"). Read from the title postings of the phrase's rarest term.
 */
export function titlePhraseArticles(index: SearchIndex, seq: readonly number[]): Uint32Array {
  const key = seq.join(',');
  let cache = titlePhraseCache.get(index);
  if (cache === undefined) {
    cache = new Map();
    titlePhraseCache.set(index, cache);
  }
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let rarest = -1;
  let rarestCount = Number.POSITIVE_INFINITY;
  for (const t of seq) {
    const n = postingCount(index.title, t);
    if (n < rarestCount) {
      rarest = t;
      rarestCount = n;
    }
  }
  const out: number[] = [];
  if (rarest >= 0 && rarestCount > 0) {
    for (const a of termPostings(index.title, rarest).ids) {
      const ids = terms(index.articles[a]!.title).map((w) => index.vocabulary.get(w) ?? -1);
      if (countSequence(Uint32Array.from(ids), 0, ids.length, seq) > 0) out.push(a);
    }
  }
  const result = Uint32Array.from(out);
  if (cache.size > 1000) cache.clear();
  cache.set(key, result);
  return result;
}
