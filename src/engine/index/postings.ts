/**
 * Index lookups shared by query planning, retrieval and evidence weighing: the postings of a concept
 * (a word, every spelling of a topic, or a phrase verified in the term stream), BM25's idf, and phrase
 * counting. They read the index only; ranking lives in `retrieve.ts`.
 */
import type { SearchIndex } from './build.ts';
import { decodeTerms, MAX_TF, type Postings, postingCount, termPostings } from './stream.ts';
import { terms } from './tokenize.ts';

export { postingCount, termPostings } from './stream.ts';

/** What a posting list can be looked up for: the index's side of a query concept (see `query.ts`). */
export type PostingsConcept =
  | { kind: 'word'; term: number; expansion?: readonly number[] }
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
    const own = termPostings(index.body, c.term);
    if (c.expansion === undefined) return own;
    // A word written out ("AUMF" spelled, "oilfield" as "oil field") is found where either form is.
    const spelled = c.expansion;
    return cached(unionCache, index, `${c.term}:${spelled.join(',')}`, () =>
      unite(own, phrasePostings(index, spelled)),
    );
  }
  if (c.kind === 'topic') {
    const m = index.topicMentions[c.topic]!;
    return { ids: m.passages, tfs: m.counts };
  }
  return phrasePostings(index, c.terms);
}

const phraseCache = new WeakMap<SearchIndex, Map<string, { ids: Uint32Array; tfs: Uint8Array }>>();
const unionCache = new WeakMap<SearchIndex, Map<string, { ids: Uint32Array; tfs: Uint8Array }>>();

/** Two posting lists as one, in passage order: a passage in both counts the uses of both. */
function unite(
  a: { ids: Uint32Array; tfs: Uint8Array },
  b: { ids: Uint32Array; tfs: Uint8Array },
): { ids: Uint32Array; tfs: Uint8Array } {
  const ids: number[] = [];
  const tfs: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.ids.length || j < b.ids.length) {
    const x = i < a.ids.length ? a.ids[i]! : Number.POSITIVE_INFINITY;
    const y = j < b.ids.length ? b.ids[j]! : Number.POSITIVE_INFINITY;
    ids.push(Math.min(x, y));
    tfs.push(Math.min(MAX_TF, (x <= y ? a.tfs[i++]! : 0) + (y <= x ? b.tfs[j++]! : 0)));
  }
  return { ids: Uint32Array.from(ids), tfs: Uint8Array.from(tfs) };
}

/** The value a per-index cache holds for `key`, computed once (a cache past 1,000 entries starts over). */
function cached<T>(
  caches: WeakMap<SearchIndex, Map<string, T>>,
  index: SearchIndex,
  key: string,
  compute: () => T,
): T {
  let cache = caches.get(index);
  if (cache === undefined) {
    cache = new Map();
    caches.set(index, cache);
  }
  let value = cache.get(key);
  if (value === undefined) {
    value = compute();
    if (cache.size > 1000) cache.clear();
    cache.set(key, value);
  }
  return value;
}

/** The term of `seq` with the fewest entries in `postings`, of those with any (-1 when none has). */
function rarestTerm(postings: Postings, seq: readonly number[]): number {
  let rarest = -1;
  let fewest = Number.POSITIVE_INFINITY;
  for (const t of seq) {
    const n = postingCount(postings, t);
    if (n > 0 && n < fewest) {
      rarest = t;
      fewest = n;
    }
  }
  return rarest;
}

function phrasePostings(index: SearchIndex, seq: readonly number[]): { ids: Uint32Array; tfs: Uint8Array } {
  return cached(phraseCache, index, seq.join(','), () => findPhrase(index, seq));
}

function findPhrase(index: SearchIndex, seq: readonly number[]): { ids: Uint32Array; tfs: Uint8Array } {
  // Start from the rarest non-stop word of the phrase, then check the sequence in each candidate passage.
  const rarest = rarestTerm(index.body, seq);
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
  return { ids: Uint32Array.from(ids), tfs: Uint8Array.from(tfs) };
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
  return cached(titlePhraseCache, index, seq.join(','), () => {
    const rarest = rarestTerm(index.title, seq);
    const out: number[] = [];
    if (rarest >= 0)
      for (const a of termPostings(index.title, rarest).ids) {
        const ids = terms(index.articles[a]!.title).map((w) => index.vocabulary.get(w) ?? -1);
        if (countSequence(Uint32Array.from(ids), 0, ids.length, seq) > 0) out.push(a);
      }
    return Uint32Array.from(out);
  });
}
