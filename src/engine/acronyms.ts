/**
 * Acronyms the sources spell out: "IRIB", "CTF-153", "GL 25" may appear in the corpus only as "Islamic
 * Republic of Iran Broadcasting", "Combined Task Force 153", "General License 25". An acronym the corpus
 * does not hold as typed is looked up in the passages the rest of the question finds — the question's
 * own context decides which expansion is meant — and read as the capitalised words whose initials spell
 * it. The answer then says "showing results for …".
 */
import type { SearchIndex } from './index/build.ts';
import { postingCount } from './index/postings.ts';
import { tokenize } from './index/tokenize.ts';
import { planQuery, type QueryPlan } from './query.ts';
import { type RankingOptions, type RetrieveFilters, retrieve } from './retrieve.ts';
import { JOINERS } from './spelled-out.ts';

/** How acronyms are expanded. */
export interface AcronymOptions {
  /** Passages of the rest of the question searched for an expansion. @default 40 */
  passages: number;
  /** Documents holding an acronym at most for it to count as missing. @default 0 — only absent ones. */
  maxKnown: number;
}

export const DEFAULT_ACRONYMS: AcronymOptions = { passages: 40, maxKnown: 0 };

/**
 * The plan with each acronym the corpus lacks replaced by its spelled-out form found near the question's
 * other words; the same plan when there is none, or nothing is found.
 */
export function expandAcronyms(
  index: SearchIndex,
  plan: QueryPlan,
  filters: RetrieveFilters,
  ranking: RankingOptions,
  options: AcronymOptions = DEFAULT_ACRONYMS,
): QueryPlan {
  const acronyms = missingAcronyms(index, plan.text, options.maxKnown);
  if (acronyms.length === 0) return plan;
  // The question's other words find the context; an acronym's number ("CTF-153") is part of it.
  let contextText = plan.text;
  for (const a of acronyms) contextText = contextText.replace(a.typed, a.number ?? ' ');
  const contextPlan = contextText === plan.text ? plan : planQuery(index, contextText);
  const context = retrieve(index, contextPlan, filters, options.passages, ranking);
  let text = plan.text;
  const corrections = [...plan.corrections];
  for (const acronym of acronyms) {
    const expansion = findExpansion(index, context, acronym);
    if (expansion === undefined) continue;
    text = text.replace(acronym.typed, expansion);
    corrections.push({ from: acronym.typed, to: expansion });
  }
  if (text === plan.text) return plan;
  const expanded = planQuery(index, text);
  return { ...expanded, corrections: [...corrections, ...expanded.corrections] };
}

interface Acronym {
  typed: string;
  letters: string;
  /** A number the acronym carries ("CTF-153", "GL 25"), which its expansion carries too. */
  number: string | undefined;
}

/** Capitalised tokens of 2–6 letters (and an optional number) that the corpus holds in few documents. */
function missingAcronyms(index: SearchIndex, text: string, maxKnown: number): Acronym[] {
  const toks = tokenize(text);
  const out: Acronym[] = [];
  toks.forEach((t, i) => {
    if (!t.upper) return;
    const raw = text.slice(t.start, t.end);
    const m = /^([A-Z]{2,6})(?:-?(\d{1,4}))?$/.exec(raw);
    if (m === null) return;
    const next = toks[i + 1];
    const trailing =
      m[2] === undefined &&
      next !== undefined &&
      /^\d{1,4}$/.test(next.term) &&
      /^ $/.test(text.slice(t.end, next.start))
        ? next.term
        : undefined;
    const number = m[2] ?? trailing;
    const id = index.vocabulary.get(t.term);
    const df = id === undefined ? 0 : postingCount(index.body, id);
    // Letters (or a designator, "MQ-9") the corpus holds are its own reading; letters followed by a
    // separate number ("GL 25") may still be a name the corpus only spells out.
    if (df > maxKnown && trailing === undefined) return;
    out.push({ typed: trailing === undefined ? raw : `${raw} ${trailing}`, letters: m[1]!, number });
  });
  return out;
}

/** The most frequent capitalised run in the passages whose initials spell the acronym. */
function findExpansion(
  index: SearchIndex,
  passages: readonly { passage: number }[],
  acronym: Acronym,
): string | undefined {
  const letters = acronym.letters.toLowerCase();
  const texts = passages.map(({ passage }) =>
    index.articles[index.passageArticle[passage]!]!.text.slice(
      index.passageStart[passage]!,
      index.passageEnd[passage]!,
    ),
  );
  const spelled = (skips: number): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const text of texts) {
      const words = [...text.matchAll(/[\p{L}][\p{L}'’-]*|\d+/gu)];
      for (let i = 0; i < words.length; i++) {
        const found = spellsFrom(words, i, letters, acronym.number, skips);
        if (found === undefined) continue;
        const phrase = text.slice(words[i]!.index!, found);
        counts.set(phrase, (counts.get(phrase) ?? 0) + 1);
      }
    }
    return counts;
  };
  // Initials of every capitalised word first; else a name whose acronym leaves out one inner word
  // ("ITF": "International Transport Workers' Federation"), of acronyms of four letters or fewer.
  let counts = spelled(0);
  if (counts.size === 0 && letters.length >= 2 && letters.length <= 4) counts = spelled(1);
  let best: string | undefined;
  let bestCount = 0;
  for (const [phrase, n] of counts) {
    if (n > bestCount) {
      best = phrase;
      bestCount = n;
    }
  }
  return best;
}

/**
 * Where a run starting at word `i` ends if its capitalised words' initials spell `letters` (then the
 * number), leaving out at most `skips` capitalised words between the first and the last (then the run
 * has no small words: "of", "and").
 */
function spellsFrom(
  words: readonly RegExpMatchArray[],
  i: number,
  letters: string,
  number: string | undefined,
  skips = 0,
): number | undefined {
  let k = 0;
  let j = i;
  let skipped = 0;
  while (j < words.length && k < letters.length) {
    const w = words[j]![0];
    // A word or an abbreviation's letter ("U.N. Security Council Resolution"), not a list of initials:
    // "F, M" is no expansion of "FM".
    const at = words[j]!.index! + 1;
    const capital = /^\p{Lu}/u.test(w) && (w.length > 1 || words[j]!.input?.[at] === '.');
    if (capital && w[0]!.toLowerCase() === letters[k]) {
      k++;
      j++;
    } else if (k > 0 && skips === 0 && JOINERS.has(w.toLowerCase())) j++;
    // A word left out stands inside one run of capitalised words: "Forces in Sheikh Maqsood" is no "FM".
    else if (k > 0 && capital && skipped < skips) {
      skipped++;
      j++;
    } else return undefined;
  }
  if (k < letters.length) return undefined;
  const last = words[j - 1]!;
  if (number === undefined) return last.index! + last[0].length;
  const next = words[j];
  return next !== undefined && next[0] === number ? next.index! + next[0].length : undefined;
}
