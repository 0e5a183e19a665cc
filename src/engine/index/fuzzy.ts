import type { SearchIndex } from './build.ts';
import { postingCount } from './stream.ts';
import { isStopWord } from './tokenize.ts';

/**
 * The corpus term closest to a word the corpus does not contain ("Kittelson" → "kittleson",
 * "Nasralla" → "nasrallah"). Only unknown words are corrected: fuzzy matching of every word lowered
 * recall in measurements, while typos of words the corpus lacks are exactly what this catches.
 * Allows one edit (transpositions count as one) up to 6 letters and two beyond; ties go to the more
 * frequent term.
 */
export function nearestTerm(index: SearchIndex, word: string): number | undefined {
  const maxDistance = word.length <= 6 ? 1 : 2;
  let best: number | undefined;
  let bestDistance = maxDistance + 1;
  let bestFrequency = -1;
  for (let id = 0; id < index.termText.length; id++) {
    const term = index.termText[id]!;
    if (Math.abs(term.length - word.length) > maxDistance || (term[0] !== word[0] && maxDistance < 2))
      continue;
    const frequency = postingCount(index.body, id);
    if (frequency === 0 || isStopWord(term)) continue;
    const d = damerau(word, term, maxDistance);
    if (d > maxDistance) continue;
    if (d < bestDistance || (d === bestDistance && frequency > bestFrequency)) {
      best = id;
      bestDistance = d;
      bestFrequency = frequency;
    }
  }
  return best;
}

// Three rows of the distance table, reused: the vocabulary scan calls damerau for thousands of terms a
// question, and a fresh array per row made allocation its main cost.
let rows = new Int32Array(3 * 64);

/** Optimal-string-alignment distance, giving up (returning `limit + 1`) once it must exceed `limit`. */
export function damerau(a: string, b: string, limit: number): number {
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > limit) return limit + 1;
  const width = m + 1;
  if (rows.length < 3 * width) rows = new Int32Array(3 * width);
  const t = rows;
  // Offsets of the row before the previous one, the previous one and the current one.
  let before = 0;
  let prev = width;
  let cur = 2 * width;
  for (let j = 0; j <= m; j++) t[prev + j] = j;
  for (let i = 1; i <= n; i++) {
    const ai = a.charCodeAt(i - 1);
    t[cur] = i;
    let rowMin = i;
    for (let j = 1; j <= m; j++) {
      const bj = b.charCodeAt(j - 1);
      let v = Math.min(t[prev + j]! + 1, t[cur + j - 1]! + 1, t[prev + j - 1]! + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj)
        v = Math.min(v, t[before + j - 2]! + 1);
      t[cur + j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    const spare = before;
    before = prev;
    prev = cur;
    cur = spare;
  }
  return t[prev + m]!;
}
