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

/** Optimal-string-alignment distance, giving up (returning `limit + 1`) once it must exceed `limit`. */
export function damerau(a: string, b: string, limit: number): number {
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > limit) return limit + 1;
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  for (let i = 1; i <= n; i++) {
    const cur = new Array<number>(m + 1).fill(0);
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > limit) return limit + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[m]!;
}
