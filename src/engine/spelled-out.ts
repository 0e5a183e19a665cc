/**
 * Acronyms the corpus holds and also spells out: "UNIFIL" in one report, "the United Nations Interim Force
 * in Lebanon" in the next. A question's acronym stands for both (see `query.ts`).
 */
import type { SearchIndex } from './index/build.ts';
import { termPostings } from './index/stream.ts';
import { terms } from './index/tokenize.ts';

// Small words a spelled-out name may hold without a letter in its acronym ("Islamic Republic of Iran").
export const JOINERS = new Set(['of', 'the', 'for', 'and', 'on', 'in', 'de', 'al']);

/** Passages holding an acronym read for its spelled-out form at most. */
const EXPANSION_PASSAGES = 200;

const spelled = new WeakMap<SearchIndex, Map<number, number[] | null>>();

/**
 * The spelled-out name the corpus gives an acronym it holds, as index terms: "UNIFIL" is "United Nations
 * Interim Force in Lebanon" and "IEEPA" the "International Emergency Economic Powers Act" where sources
 * write it out. Read from the passages holding the acronym: the form most of them use.
 */
export function spelledOut(index: SearchIndex, term: number, letters: string): number[] | undefined {
  let known = spelled.get(index);
  if (known === undefined) {
    known = new Map();
    spelled.set(index, known);
  }
  const cached = known.get(term);
  if (cached !== undefined) return cached ?? undefined;
  const counts = new Map<string, number>();
  const holding = termPostings(index.body, term).ids;
  for (let i = 0; i < Math.min(holding.length, EXPANSION_PASSAGES); i++) {
    const passage = holding[i]!;
    const article = index.articles[index.passageArticle[passage]!]!;
    const text = article.text.slice(index.passageStart[passage]!, index.passageEnd[passage]!);
    const words = [...text.matchAll(/[\p{L}][\p{L}'’-]*|\d+/gu)];
    for (let w = 0; w < words.length; w++) {
      if (!/^\p{Lu}\p{Ll}/u.test(words[w]![0])) continue;
      const end = initialsFrom(words, w, 0, letters.toLowerCase());
      if (end === undefined) continue;
      const phrase = text.slice(words[w]!.index!, end);
      counts.set(phrase, (counts.get(phrase) ?? 0) + 1);
    }
  }
  let best: number[] | undefined;
  let bestCount = 0;
  for (const [phrase, n] of counts) {
    const ids = terms(phrase).map((t) => index.vocabulary.get(t) ?? -1);
    if (n > bestCount && !ids.includes(-1)) {
      best = ids;
      bestCount = n;
    }
  }
  known.set(term, best ?? null);
  return best;
}

/**
 * Where a run of words from `words[w]` ends if their initials spell `letters` from `k`: capitalised words
 * give a letter each, small joining words ("of", "in") may give one ("Interim Force in Lebanon") or none.
 */
function initialsFrom(
  words: readonly RegExpMatchArray[],
  w: number,
  k: number,
  letters: string,
): number | undefined {
  if (k === letters.length) {
    const last = words[w - 1]!;
    return last.index! + last[0].length;
  }
  const word = words[w]?.[0];
  if (word === undefined || (word.toLowerCase()[0] !== letters[k] && !JOINERS.has(word.toLowerCase())))
    return undefined;
  const joiner = JOINERS.has(word.toLowerCase());
  // A capitalised word, not a letter ("U" of "U.N.") nor another acronym ("AP").
  if (word.toLowerCase()[0] === letters[k] && (joiner || /^\p{Lu}\p{Ll}/u.test(word))) {
    const end = initialsFrom(words, w + 1, k + 1, letters);
    if (end !== undefined) return end;
  }
  return joiner && k > 0 ? initialsFrom(words, w + 1, k, letters) : undefined;
}
