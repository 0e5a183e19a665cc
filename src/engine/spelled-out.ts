/**
 * Acronyms the corpus holds and also spells out: "UNIFIL" in one report, "the United Nations Interim Force
 * in Lebanon" in the next. A question's acronym stands for both (see `query.ts`).
 */
import type { SearchIndex } from './index/build.ts';
import { postingCount, termPostings } from './index/stream.ts';
import { isStopWord, normaliseTerm, type Token, terms } from './index/tokenize.ts';
import { writtenCapitalised } from './spelling.ts';

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
  const holding = termPostings(index.body, term).ids;
  const lower = letters.toLowerCase();
  // Initials first ("UNIFIL"); else the words' first letters, some more than one ("CENTCOM": "Central Command").
  let counts = spellings(index, holding, (words, w) => initialsFrom(words, w, 0, lower));
  if (counts.size === 0) counts = spellings(index, holding, (words, w) => clippedFrom(words, w, 0, lower));
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
  // Another name spelled by the same letters, written nearly as often ("HTS": the Harmonized Tariff
  // Schedule and Hayat Tahrir al-Sham), makes the acronym ambiguous.
  if (best !== undefined) {
    const key = best.join(',');
    for (const [phrase, n] of counts) {
      const ids = terms(phrase).map((t) => index.vocabulary.get(t) ?? -1);
      if (ids.join(',') !== key && n * RIVAL_SHARE >= bestCount) ambiguous(index).add(term);
    }
  }
  return best;
}

/** A rival spelling counts from this share of the most written one's uses: a third. */
const RIVAL_SHARE = 3;

const ambiguousTerms = new WeakMap<SearchIndex, Set<number>>();

function ambiguous(index: SearchIndex): Set<number> {
  let set = ambiguousTerms.get(index);
  if (set === undefined) {
    set = new Set();
    ambiguousTerms.set(index, set);
  }
  return set;
}

/** The capitalised runs of the passages holding an acronym that `spells` reads as it, with their counts. */
function spellings(
  index: SearchIndex,
  holding: Uint32Array,
  spells: (words: readonly RegExpMatchArray[], w: number) => number | undefined,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < Math.min(holding.length, EXPANSION_PASSAGES); i++) {
    const passage = holding[i]!;
    const article = index.articles[index.passageArticle[passage]!]!;
    const text = article.text.slice(index.passageStart[passage]!, index.passageEnd[passage]!);
    const words = [...text.matchAll(/[\p{L}][\p{L}'’-]*|\d+/gu)];
    for (let w = 0; w < words.length; w++) {
      if (!/^\p{Lu}\p{Ll}/u.test(words[w]![0])) continue;
      const end = spells(words, w);
      if (end === undefined) continue;
      const phrase = text.slice(words[w]!.index!, end);
      counts.set(phrase, (counts.get(phrase) ?? 0) + 1);
    }
  }
  return counts;
}

/**
 * Where a run of capitalised words from `words[w]` ends if their first letters spell `letters` from `k`,
 * each word giving one or more ("Central Command": "CENTCOM", "Indo-Pacific Command": "INDOPACOM"), two
 * words at least. Small joining words give none.
 */
function clippedFrom(
  words: readonly RegExpMatchArray[],
  w: number,
  k: number,
  letters: string,
  used = 0,
): number | undefined {
  if (k === letters.length) {
    if (used < 2) return undefined;
    const last = words[w - 1]!;
    return last.index! + last[0].length;
  }
  const word = words[w]?.[0];
  if (word === undefined) return undefined;
  const lower = word.toLowerCase();
  if (JOINERS.has(lower)) return k > 0 ? clippedFrom(words, w + 1, k, letters, used) : undefined;
  if (!/^\p{Lu}\p{Ll}/u.test(word)) return undefined;
  // A hyphenated word gives letters from each part ("Indo-Pacific": "indopa").
  const parts = lower.split(/[-']/).filter((p) => p !== '');
  const clips = (from: number, at: number): number | undefined => {
    if (from === parts.length) return clippedFrom(words, w + 1, at, letters, used + 1);
    const part = parts[from]!;
    for (let n = Math.min(part.length, MAX_CLIP, letters.length - at); n >= 1; n--) {
      if (part.slice(0, n) !== letters.slice(at, at + n)) continue;
      const end = clips(from + 1, at + n);
      if (end !== undefined) return end;
    }
    return undefined;
  };
  return clips(0, k);
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
  const typed = words[w]?.[0];
  if (typed === undefined) return undefined;
  // A name behind an Arabic article gives its own initial ("Hayat Tahrir al-Sham": HTS).
  const word = /^(?:al|el)-\p{Lu}/u.test(typed) ? typed.slice(3) : typed;
  if (word.toLowerCase()[0] !== letters[k] && !JOINERS.has(word.toLowerCase())) return undefined;
  const joiner = JOINERS.has(word.toLowerCase());
  // A capitalised word, not a letter ("U" of "U.N.") nor another acronym ("AP").
  if (word.toLowerCase()[0] === letters[k] && (joiner || /^\p{Lu}\p{Ll}/u.test(word))) {
    const end = initialsFrom(words, w + 1, k + 1, letters);
    if (end !== undefined) return end;
  }
  return joiner && k > 0 ? initialsFrom(words, w + 1, k, letters) : undefined;
}

/** Passages read to tell whether the corpus writes a term in capitals. */
const CAPITALS_PASSAGES = 12;

const capitalsCache = new WeakMap<SearchIndex, Map<number, boolean>>();

/**
 * Whether the corpus writes a term as the acronym `letters` ("AUMF"): in capitals in nearly all the
 * uses read, not as a word that happens to share its letters.
 */
export function writtenAsAcronym(index: SearchIndex, term: number, letters: string): boolean {
  let known = capitalsCache.get(index);
  if (known === undefined) {
    known = new Map();
    capitalsCache.set(index, known);
  }
  const cached = known.get(term);
  if (cached !== undefined) return cached;
  const holding = termPostings(index.body, term).ids;
  const upper = letters.toUpperCase();
  const any = new RegExp(`(?<![\\p{L}\\p{N}])${upper}s?(?![\\p{L}\\p{N}])`, 'giu');
  let all = 0;
  let capitals = 0;
  for (let i = 0; i < Math.min(holding.length, CAPITALS_PASSAGES); i++) {
    const passage = holding[i]!;
    const article = index.articles[index.passageArticle[passage]!]!;
    const text = article.text.slice(index.passageStart[passage]!, index.passageEnd[passage]!);
    for (const m of text.matchAll(any)) {
      all++;
      if (m[0].slice(0, upper.length) === upper) capitals++;
    }
  }
  const is = capitals > 0 && capitals >= 0.9 * all;
  known.set(term, is);
  return is;
}

/** Letters a clipped acronym takes from one word at most ("CENTCOM": "Cent-ral Com-mand"). */
const MAX_CLIP = 5;
/** Words a clipped acronym is read from at most. */
const MAX_CLIPPED_WORDS = 3;

/**
 * The acronym the corpus writes for a run of words a question spells out ("authorizations for use of
 * military force": AUMF, "Central Command": CENTCOM), as its term and the words the corpus means by it.
 * The run's initials (or, where the corpus spells the acronym out, the first letters of its words, as
 * "CENTCOM" clips "Central Command") must spell a term the corpus writes in capitals; where the corpus
 * spells that acronym out as other words, it stands for those ("ISF" the Iraqi Security Forces, not an
 * International Stabilization Force), and the run is no acronym of the corpus's.
 * `words` are the run's raw words: content words with joining words ("of", "for") between them.
 */
export function acronymOf(
  index: SearchIndex,
  words: readonly string[],
): { term: number; letters: string; spelled: number[] | undefined } | undefined {
  const content = words.filter((w) => !JOINERS.has(w.toLowerCase()));
  if (content.length < 2) return undefined;
  const own = new Set(content.map((w) => normaliseTerm(w)));
  const found = (letters: string, clipped: boolean) => {
    if (letters.length < 3) return undefined;
    const term = index.vocabulary.get(normaliseTerm(letters.toUpperCase()));
    if (term === undefined || own.has(index.termText[term]!)) return undefined;
    // Capitalised in most of its passages first (a count the index keeps), before reading any: a word that
    // merely shares the letters ("sea", "ram") is dismissed without a scan of its text.
    if (postingCount(index.body, term) === 0 || !writtenCapitalised(index, term)) return undefined;
    if (!writtenAsAcronym(index, term, letters)) return undefined;
    const spelled = spelledOut(index, term, letters);
    if (ambiguous(index).has(term)) return undefined;
    // Initials the corpus does not spell out are trusted from three words on: two give two letters.
    if (spelled === undefined)
      return clipped || content.length < MIN_SPELLED_WORDS ? undefined : { term, letters, spelled };
    // The corpus's own reading of the acronym must be the run's: the same content words.
    const theirs = new Set(spelled.map((t) => index.termText[t]!).filter((t) => !JOINERS.has(t)));
    const same = theirs.size === own.size && [...own].every((t) => theirs.has(t));
    return same ? { term, letters, spelled } : undefined;
  };
  for (const letters of initials(words)) {
    const hit = found(letters, false);
    if (hit !== undefined) return hit;
  }
  // Clipped acronyms are of names written with capitals ("Central Command"), not of lower-case words.
  if (content.length > MAX_CLIPPED_WORDS || !content.every((w) => /^\p{Lu}/u.test(w))) return undefined;
  for (const letters of clippings(content)) {
    const hit = found(letters, true);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/** The letters a run's initials spell: a content word gives its first, a joining word its first or none. */
function initials(words: readonly string[]): string[] {
  let out = [''];
  for (const w of words) {
    const first = w[0]!.toLowerCase();
    out = JOINERS.has(w.toLowerCase()) ? out.flatMap((s) => [s, s + first]) : out.map((s) => s + first);
  }
  return out;
}

/** The letters clipped from each word's start ("Central Command": "centcom", "cencom", …), some longer than one. */
function clippings(words: readonly string[]): string[] {
  let out: { letters: string; clipped: boolean }[] = [{ letters: '', clipped: false }];
  for (const w of words) {
    const lower = w.toLowerCase();
    const next: { letters: string; clipped: boolean }[] = [];
    for (const s of out)
      for (let n = 1; n <= Math.min(MAX_CLIP, lower.length); n++)
        next.push({ letters: s.letters + lower.slice(0, n), clipped: s.clipped || n > 1 });
    out = next;
  }
  return out.filter((s) => s.clipped).map((s) => s.letters);
}

/** Words a spelled-out name runs to at most. */
const MAX_RUN = 8;
/** Words (not joining ones) a name the corpus does not spell out has at least to be read as its acronym. */
const MIN_SPELLED_WORDS = 3;
/** The joining words of a name written in lower case. */
const LOWER_JOINERS = new Set(['of', 'for', 'the']);
/** Words that count, which open no name. */
const QUANTIFIERS = new Set(['many', 'much', 'several', 'multiple', 'various', 'numerous']);

/**
 * Runs of a question's words that spell out an acronym the corpus writes ({@link acronymOf}), longest
 * first, as token ranges with the acronym's term and the words the corpus means by it (else the run's).
 */
export function spelledOutRuns(
  index: SearchIndex,
  tokens: readonly Token[],
  covered: Uint8Array,
  text: string,
): { term: number; from: number; to: number; spelled: number[] | undefined }[] {
  const out: { term: number; from: number; to: number; spelled: number[] | undefined }[] = [];
  const raw = (k: number) => text.slice(tokens[k]!.start, tokens[k]!.end);
  const word = (k: number) => covered[k] === 0 && /^\p{L}+$/u.test(raw(k));
  const joiner = (k: number) => JOINERS.has(raw(k).toLowerCase());
  const content = (k: number) => word(k) && !joiner(k) && !isStopWord(tokens[k]!.term);
  // A name spelled out is written all in capitals ("Foreign Terrorist Organization") or all in lower case
  // ("weapons of mass destruction"); in lower case it is a noun phrase ("killed in action" tells of an
  // event), joined by "of" or "for" ("missile and drone barrage" is two things), never "many people".
  const spellsName = (from: number, to: number): boolean => {
    const words = tokens.slice(from, to).map((_, k) => raw(from + k));
    const content = words.filter((w) => !JOINERS.has(w.toLowerCase()));
    if (content.length < 2) return false;
    if (content.every((w) => /^\p{Lu}/u.test(w))) return true;
    return (
      words.every((w) => /^\p{Ll}+$/u.test(w)) &&
      !words.some((w) => JOINERS.has(w) && !LOWER_JOINERS.has(w)) &&
      !content.some((w) => /(?:ed|ing)$/.test(w) && w.length > 4) &&
      !QUANTIFIERS.has(content[0]!)
    );
  };
  // A capitalised run is the whole name: "National Security Council" of Iran's "Supreme National Security
  // Council" is not the NSC. A country's code before it ("US Central Command") is no part of the name.
  const joined = (a: number, b: number) => /^[ -]$/.test(text.slice(tokens[a]!.end, tokens[b]!.start));
  const nameWord = (k: number) =>
    tokens[k] !== undefined &&
    tokens[k]!.capital &&
    !isStopWord(tokens[k]!.term) &&
    !(tokens[k]!.upper && tokens[k]!.term.length <= 3);
  const whole = (from: number, to: number) =>
    !/^\p{Lu}/u.test(raw(from)) ||
    ((from === 0 || !nameWord(from - 1) || !joined(from - 1, from)) &&
      (to >= tokens.length || !nameWord(to) || !joined(to - 1, to)));
  let i = 0;
  while (i < tokens.length) {
    if (!content(i)) {
      i++;
      continue;
    }
    let end = i + 1;
    while (
      end < tokens.length &&
      end - i < MAX_RUN &&
      word(end) &&
      (content(end) || joiner(end)) &&
      /^[ -]$/.test(text.slice(tokens[end - 1]!.end, tokens[end]!.start))
    )
      end++;
    let hit: { term: number; from: number; to: number; spelled: number[] | undefined } | undefined;
    for (let to = end; to > i + 1 && hit === undefined; to--) {
      if (!content(to - 1) || !spellsName(i, to) || !whole(i, to)) continue;
      const found = acronymOf(
        index,
        tokens.slice(i, to).map((_, k) => raw(i + k)),
      );
      if (found === undefined) continue;
      const typed = tokens.slice(i, to).map((t) => index.vocabulary.get(t.term));
      const spelled = found.spelled ?? (typed.some((t) => t === undefined) ? undefined : (typed as number[]));
      hit = { term: found.term, from: i, to, spelled };
    }
    if (hit === undefined) i++;
    else {
      out.push(hit);
      i = hit.to;
    }
  }
  return out;
}
