/**
 * Compound words written apart or together: a question's "oilfield" is the sources' "oil field", its
 * "cease fire" their "ceasefire". Learned from the corpus: a form counts where the corpus writes it more
 * often than the form typed.
 */
import type { SearchIndex } from './index/build.ts';
import { conceptPostings, postingCount } from './index/postings.ts';
import { isStopWord, normaliseTerm } from './index/tokenize.ts';

/** Letters each part of a compound has at least: "oil", "war", "air". */
const MIN_PART = 3;

/** Passages of its rarer word a phrase is read over at most, to tell how often the corpus writes it. */
const MAX_PHRASE_READ = 2000;

/** Passages holding two terms next to each other. */
function phraseCount(index: SearchIndex, terms: readonly number[]): number {
  return conceptPostings(index, { kind: 'phrase', terms }).ids.length;
}

/** The index term of a word the corpus holds (in a passage), else undefined. */
function heldTerm(index: SearchIndex, word: string): number | undefined {
  const term = normaliseTerm(word);
  if (isStopWord(term)) return undefined;
  const id = index.vocabulary.get(term);
  return id !== undefined && postingCount(index.body, id) > 0 ? id : undefined;
}

/**
 * The two words a lower-case compound splits into ("oilfield": "oil field") where the corpus writes them
 * as a phrase in more passages than it writes the compound: their terms, or undefined.
 */
export function splitCompound(index: SearchIndex, raw: string): number[] | undefined {
  if (!/^[a-z]+$/.test(raw) || raw.length < 2 * MIN_PART) return undefined;
  const own = index.vocabulary.get(normaliseTerm(raw));
  let most = own === undefined ? 0 : postingCount(index.body, own);
  let best: number[] | undefined;
  for (let k = MIN_PART; k <= raw.length - MIN_PART; k++) {
    const first = heldTerm(index, raw.slice(0, k));
    const second = first === undefined ? undefined : heldTerm(index, raw.slice(k));
    if (first === undefined || second === undefined) continue;
    // The phrase is in no more passages than its rarer word, and reading where two words stand costs as
    // many passages as that word has: skipped where it cannot beat the best, or would read too many.
    const rarer = Math.min(postingCount(index.body, first), postingCount(index.body, second));
    if (rarer <= most || rarer > MAX_PHRASE_READ) continue;
    const n = phraseCount(index, [first, second]);
    if (n > most) {
      most = n;
      best = [first, second];
    }
  }
  return best;
}

/**
 * The compound two lower-case words make ("cease fire", "cease-fire": "ceasefire") where the corpus
 * writes it in more passages than it writes the two words as a phrase: its term, with the two words'
 * terms where the corpus writes them apart too; undefined where it does not.
 */
export function joinedCompound(
  index: SearchIndex,
  first: string,
  second: string,
): { term: number; apart: number[] | undefined } | undefined {
  if (!/^[a-z]+$/.test(first) || !/^[a-z]+$/.test(second)) return undefined;
  if (first.length < MIN_PART || second.length < MIN_PART) return undefined;
  if (isStopWord(normaliseTerm(first)) || isStopWord(normaliseTerm(second))) return undefined;
  const joined = heldTerm(index, first + second);
  if (joined === undefined) return undefined;
  const a = heldTerm(index, first);
  const b = heldTerm(index, second);
  const apart =
    a === undefined ||
    b === undefined ||
    Math.min(postingCount(index.body, a), postingCount(index.body, b)) > MAX_PHRASE_READ
      ? 0
      : phraseCount(index, [a, b]);
  if (postingCount(index.body, joined) <= apart) return undefined;
  return { term: joined, apart: apart > 0 ? [a!, b!] : undefined };
}
