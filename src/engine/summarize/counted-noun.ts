import { isStopWord, normaliseTerm, type Token } from '../index/tokenize.ts';

/**
 * What a "how many" counts: "How many ISIS prisoners escaped …" counts prisoners, and "thousands of ISIS
 * detainees" counts something else. The plain words after "how many", up to the verb; none where the
 * question counts people at large, whom sources count by what they were ("40 soldiers", "12 Palestinians").
 */
export function askedCounted(question: string): Set<string> | undefined {
  const m = /\bhow\s+many\s+/i.exec(question);
  if (m === null) return undefined;
  const counted = new Set<string>();
  for (const raw of question.slice(m.index + m[0].length).split(/\s+/, 4)) {
    const word = raw.replace(/[^\p{L}'-]/gu, '');
    // The verb ends what is counted: "How many died", "How many mourners turned out".
    if (word === '' || VERB_AFTER.test(word) || /ed$/.test(word)) break;
    if (/^\p{Lu}/u.test(word) || isStopWord(normaliseTerm(word))) continue;
    counted.add(normaliseTerm(word.toLowerCase()));
  }
  if (counted.size === 0 || [...counted].some((w) => GENERIC.has(w))) return undefined;
  return counted;
}

const VERB_AFTER =
  /^(?:did|do|does|were|was|is|are|have|has|had|will|would|could|can|in|at|on|during|from)$/i;
const GENERIC = new Set(['people', 'person', 'persons', 'individuals', 'civilians'].map(normaliseTerm));

/**
 * Whether the number at token `i` counts another thing than the question does: it is followed (past "of"
 * and names) by a plural noun the question does not count ("thousands of ISIS detainees"). A number with
 * no noun after it ("killing 12", "12 were killed", "12 dead") may count what was asked.
 */
export function countsOther(
  text: string,
  tokens: readonly Token[],
  i: number,
  counted: Set<string>,
): boolean {
  for (let j = i + 1; j < Math.min(tokens.length, i + 5); j++) {
    const t = tokens[j]!;
    // A comma or a full stop ends what the number counts: "numbered 300, officials said".
    if (/[^\s'’-]/.test(text.slice(tokens[j - 1]!.end, t.start))) return false;
    const word = text.slice(t.start, t.end);
    if (counted.has(t.term)) return false;
    if (word === 'of' || t.capital || /^\d/.test(word)) continue;
    // A plural noun: not a participle ("killed", "fleeing"), nor a function word.
    return /^[a-z]{3,}s$/.test(word) && !/(?:ed|ing|ss|us)$/.test(word) && !isStopWord(t.term);
  }
  return false;
}
