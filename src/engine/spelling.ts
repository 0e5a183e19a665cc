import { findTimeExpressions, MONTH_NAMES } from './dates.ts';
import type { SearchIndex } from './index/build.ts';
import { damerau, nearestTerm } from './index/fuzzy.ts';
import { postingCount, termPostings } from './index/postings.ts';
import { isStopWord, normaliseTerm, type Token, tokenize } from './index/tokenize.ts';

/**
 * Names that survive spelling: a word or name the corpus does not hold as typed is matched against the
 * corpus's own words by how it sounds when transliterated (Haniya → Haniyeh, Araqchi → Araghchi,
 * Youssef Hashem → Yusuf Hashim), then by edit distance. Abstention is for missing evidence, not for a
 * spelling the sources did not use.
 */

/** A word of the query read as another the corpus holds. */
export interface Correction {
  /** As typed. */
  from: string;
  /** As the corpus spells it. */
  to: string;
}

/**
 * A transliteration key: the letters that survive the usual variation in romanised Arabic and Persian
 * names. q/gh/k are one sound, as are j/dj/g, ph/f, th/dh/t; vowels (and y, w, h after the first letter)
 * vary freely; doubled letters are one.
 */
export function skeleton(word: string): string {
  const w = word
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z]/g, '')
    .replace(/gh|q|ck|c(?=[aou])/g, 'k')
    .replace(/dj|j/g, 'g')
    .replace(/ph/g, 'f')
    .replace(/[td]h/g, 't')
    .replace(/z/g, 's');
  if (w === '') return '';
  const rest = w
    .slice(1)
    .replace(/[aeiouyhw]/g, '')
    .replace(/(.)\1+/g, '$1');
  // A leading vowel is kept as "a": Abu/Abou, Ismail/Esmail.
  return (/[aeiou]/.test(w[0]!) ? 'a' : w[0]!) + rest;
}

const MONTH_TERMS = new Set(MONTH_NAMES.map((m) => normaliseTerm(m)));

const keys = new WeakMap<SearchIndex, Map<string, number[]>>();

/** Terms by skeleton, built on first use (not at index build: most queries never need it). */
function skeletonTable(index: SearchIndex): Map<string, number[]> {
  let table = keys.get(index);
  if (table === undefined) {
    table = new Map();
    for (let id = 0; id < index.termText.length; id++) {
      const term = index.termText[id]!;
      if (term.length < 3 || !/^[a-z]+$/.test(term) || isStopWord(term)) continue;
      if (postingCount(index.body, id) === 0) continue;
      const key = skeleton(term);
      if (key.length < 2) continue;
      const list = table.get(key);
      if (list === undefined) table.set(key, [id]);
      else list.push(id);
    }
    keys.set(index, table);
  }
  return table;
}

/**
 * Corpus terms that sound like `term` (a normalised index term), closest spelling first, then most used.
 * `verified`: the caller checks each against the corpus (a name must then occur as respelled), so a
 * short word's two-letter key is tried too ("Hol" of "al-Hol" is "Hawl").
 */
export function soundAlikes(
  index: SearchIndex,
  term: string,
  maxLengthDifference = 3,
  verified = false,
): number[] {
  const key = skeleton(term);
  // A two-letter key ("hn") is too common to trust for a short word read alone.
  if (key.length < (term.length >= 5 || verified ? 2 : 3)) return [];
  const frequency = (id: number) => postingCount(index.body, id);
  const limit = Math.max(2, Math.ceil(term.length / 2));
  // The length test first: a common key's bucket can hold thousands of terms, the edit distance is dear.
  return (skeletonTable(index).get(key) ?? [])
    .filter((id) => {
      const other = index.termText[id]!;
      return other !== term && Math.abs(other.length - term.length) <= Math.min(maxLengthDifference, limit);
    })
    .map((id) => ({ id, d: damerau(term, index.termText[id]!, limit), f: frequency(id) }))
    .filter((c) => c.d <= limit)
    .sort((a, b) => a.d - b.d || b.f - a.f)
    .map((c) => c.id);
}

/**
 * Whether a word the corpus lacks is an English word rather than a misspelt name: typed in lower case in a
 * text that capitalises its names, with a regular inflection ("strayed", "muzzling"). Respelled, such a
 * word turns into another the corpus holds ("straw", "Mosul"), which the question never asked about. An
 * all-lower-case text (a brief's slug) says nothing about names by case, and is read as before.
 */
export function englishForm(raw: string, text: string): boolean {
  return INFLECTED.test(raw) && /\p{Lu}/u.test(text);
}

/** Whether a term is a common word: written in lower case, in many passages. */
function commonWord(index: SearchIndex, term: number): boolean {
  return postingCount(index.body, term) >= COMMON_WORD_PASSAGES && !writtenCapitalised(index, term);
}

/** Passages a word must be used in to count as common. */
const COMMON_WORD_PASSAGES = 20;

// A stem of two letters or more that holds a vowel ("sued", "strayed"), and a regular inflection.
const INFLECTED = /^(?=[a-z]*[aeiouy][a-z]*(?:ed|ing)$)[a-z]{2,}(?:ed|ing)$/;

/**
 * Whether the corpus writes a term as a name: capitalised inside a sentence in at least half the passages
 * that hold it ("Mosul", "Qatar"; not "web", "track", "born").
 */
export function writtenCapitalised(index: SearchIndex, term: number): boolean {
  return 2 * index.names.capitalUses(term) >= postingCount(index.body, term);
}

/** Whether the corpus body holds a term. */
export function known(index: SearchIndex, term: string): boolean {
  const id = index.vocabulary.get(term);
  return id !== undefined && postingCount(index.body, id) > 0;
}

/**
 * The query with each word the corpus lacks replaced by the corpus's spelling (sound-alike first, then
 * one or two typing errors), and the replacements made.
 */
export function correctUnknownWords(
  index: SearchIndex,
  text: string,
): { text: string; corrections: Correction[] } {
  // Dates are read as dates (dates.ts), never respelled: "January 2024" is not a misspelt word.
  const times = findTimeExpressions(text);
  const inTime = (at: number) => times.some((t) => at >= t.start && at < t.end);
  const reads: { tok: Token; raw: string; to?: string; choices?: number[] }[] = [];
  for (const tok of tokenize(text)) {
    if (inTime(tok.start) || MONTH_TERMS.has(tok.term)) continue;
    // An acronym ("IRIB") is not a misspelt word: it is spelled out from the sources instead (acronyms.ts).
    if (
      tok.upper ||
      isStopWord(tok.term) ||
      /\d/.test(tok.term) ||
      tok.term.length < 3 ||
      known(index, tok.term)
    )
      continue;
    const raw = text.slice(tok.start, tok.end);
    const english = englishForm(raw, text);
    // A mistyped asking word ("Wat happend to …") is that word, not a missing name: read silently. A
    // capitalised word is a name ("Hasm", "al-Hol"), unless grammar capitalised it at the start.
    const opening = /^[\s"'(]*$/.test(text.slice(0, tok.start));
    const asking = tok.capital && !opening ? undefined : misspeltStopWord(tok.term);
    if (asking !== undefined) {
      reads.push({ tok, raw, to: spell(asking, raw) });
      continue;
    }
    // Alone, a word is only read as a close spelling (no more than one letter longer or shorter): a name
    // the corpus lacks ("Marawi") must not turn into a shorter one it has ("Mari"). Whole names are
    // respelled more freely by respellName, where the corpus must then hold the respelled name.
    const alikes = closest(index, tok.term, soundAlikes(index, tok.term, 1));
    const near = alikes.length === 0 && tok.term.length >= 4 ? nearestTerm(index, tok.term) : undefined;
    let choices = alikes.length > 0 ? alikes : near === undefined ? [] : [near];
    // An inflected English word ("assasinated", "kiled") is a misspelt common word, if anything: never a
    // name ("muzzling" is not Mosul) nor a rare word ("strayed" is not "straw").
    if (english) choices = choices.filter((id) => commonWord(index, id));
    if (choices.length > 0) reads.push({ tok, raw, choices });
  }
  // Sound-alikes equally close ("Efrin": "Efrain" of a guest list, "Afrin" of the Syrian town) are told
  // apart by the question's other words: the one written in the same articles as they are.
  const context = (own: Token) => [
    ...tokenize(text)
      .filter((t) => t !== own && !isStopWord(t.term) && t.term.length >= 3)
      .map((t) => index.vocabulary.get(t.term))
      .filter((id): id is number => id !== undefined),
    ...reads.filter((r) => r.tok !== own && r.choices !== undefined).map((r) => r.choices![0]!),
  ];
  const corrections: Correction[] = [];
  let out = '';
  let at = 0;
  for (const r of reads) {
    let to = r.to;
    if (r.choices !== undefined) {
      const id = r.choices.length === 1 ? r.choices[0]! : inContext(index, r.choices, context(r.tok));
      to = spell(index.termText[id]!, r.raw);
      corrections.push({ from: r.raw, to });
    }
    out += text.slice(at, r.tok.start) + to;
    at = r.tok.end;
  }
  return { text: out + text.slice(at), corrections };
}

/** The sound-alikes (closest first) as close to `term` as the first of them. */
function closest(index: SearchIndex, term: string, alikes: readonly number[]): number[] {
  if (alikes.length === 0) return [];
  const limit = term.length;
  const d = (id: number) => damerau(term, index.termText[id]!, limit);
  const best = d(alikes[0]!);
  return alikes.filter((id) => d(id) === best);
}

/**
 * Of terms equally close to a typed word, the one whose articles hold most of the question's other words
 * (each weighed by its rarity); the first (the most used) on a tie.
 */
function inContext(index: SearchIndex, choices: readonly number[], others: readonly number[]): number {
  const n = index.articles.length;
  let best = choices[0]!;
  let bestScore = 0;
  for (const id of choices) {
    const articles = new Set<number>();
    for (const p of termPostings(index.body, id).ids) articles.add(index.passageArticle[p]!);
    let score = 0;
    for (const other of new Set(others)) {
      const { ids } = termPostings(index.body, other);
      for (let i = 0; i < ids.length; i++) {
        if (!articles.has(index.passageArticle[ids[i]!]!)) continue;
        score += Math.log(1 + n / ids.length);
        break;
      }
    }
    if (score > bestScore) {
      best = id;
      bestScore = score;
    }
  }
  return best;
}

/**
 * The asking word (what, where, happened …) a word is one typing error away from, if any. Only these:
 * an unknown word a typo away from another function word ("raid" from "said", "fell" from "tell") is as
 * likely a real word the corpus lacks.
 */
function misspeltStopWord(word: string): string | undefined {
  if (word.length < 3 || !/^[a-z]+$/.test(word)) return undefined;
  for (const asking of ASKING_WORDS) {
    if (Math.abs(asking.length - word.length) > 1) continue;
    if (damerau(word, asking, 1) <= 1) return asking;
  }
  return undefined;
}

const ASKING_WORDS = [
  'what',
  'where',
  'when',
  'which',
  'who',
  'whom',
  'whose',
  'why',
  'how',
  'does',
  'happened',
  'happen',
];

/** A corpus term written the way the user wrote the word it replaces (capitalised, or in capitals). */
export function spell(term: string, asTyped: string): string {
  if (asTyped.length > 1 && asTyped === asTyped.toUpperCase()) return term.toUpperCase();
  return /^\p{Lu}/u.test(asTyped) ? term[0]!.toUpperCase() + term.slice(1) : term;
}

/**
 * A multi-word name the corpus never holds as typed ("Ismail Haniya"), respelled word by word with
 * sound-alikes until the corpus holds it ("Ismail Haniyeh"); undefined when no respelling is found.
 */
export function respellName(
  index: SearchIndex,
  name: string,
  found: (termIds: number[]) => boolean,
  typed: ReadonlyMap<string, string> = new Map(),
): { from: string; to: string; corrections: Correction[] } | undefined {
  const toks = tokenize(name);
  if (toks.length < 2 || toks.length > 5) return undefined;
  const options = toks.map((t) => {
    const own = index.vocabulary.get(t.term);
    if (isStopWord(t.term)) return own === undefined ? [] : [own];
    // The word as the user typed it, when an earlier correction replaced it ("Luana", not "Luna").
    const asTyped = typed.get(name.slice(t.start, t.end));
    const words = [t.term, ...(asTyped === undefined ? [] : [normaliseTerm(asTyped)])];
    const alikes = words.flatMap((w) => [...soundAlikes(index, w).slice(0, 3), ...closeTerms(index, w)]);
    return [...new Set([...(own === undefined ? [] : [own]), ...alikes])].slice(0, 8);
  });
  let budget = 2000; // phrase lookups at most: a long name of common words must not stall a query
  if (options.some((o) => o.length === 0)) return respellAsCorpusName(index, name, toks, found, typed);
  // Fewest changes first; at most 3^5 tries, and names are short.
  let best: number[] | undefined;
  let bestChanges = Number.POSITIVE_INFINITY;
  const walk = (i: number, ids: number[], changes: number): void => {
    if (changes >= bestChanges || budget <= 0) return;
    if (i === options.length) {
      budget--;
      if (changes > 0 && found(ids)) {
        best = [...ids];
        bestChanges = changes;
      }
      return;
    }
    for (const id of options[i]!) {
      ids.push(id);
      walk(i + 1, ids, changes + (index.termText[id] === toks[i]!.term ? 0 : 1));
      ids.pop();
    }
  };
  walk(0, [], 0);
  if (best === undefined) return respellAsCorpusName(index, name, toks, found, typed);
  const corrections: Correction[] = [];
  let to = '';
  let at = 0;
  toks.forEach((t, i) => {
    const term = index.termText[best![i]!]!;
    if (term === t.term) return;
    const raw = name.slice(t.start, t.end);
    const spelled = spell(term, raw);
    to += name.slice(at, t.start) + spelled;
    at = t.end;
    corrections.push({ from: raw, to: spelled });
  });
  return { from: name, to: to + name.slice(at), corrections };
}

/**
 * A multi-word name respelled as a whole name the corpus writes, word for word alike in sound ("Ahmad
 * Wehbe" → "Ahmed Wahbi"): the corpus's own spellings, compared as written, where the stemmer has cut one
 * of them ("Ahmed" is indexed as "ahm", no sound-alike of "ahmad").
 */
function respellAsCorpusName(
  index: SearchIndex,
  name: string,
  toks: readonly Token[],
  found: (termIds: number[]) => boolean,
  typed: ReadonlyMap<string, string>,
): { from: string; to: string; corrections: Correction[] } | undefined {
  const raws = toks.map((t) => name.slice(t.start, t.end));
  const words = raws.map((raw) => (typed.get(raw) ?? raw).toLowerCase());
  let best: { display: string; words: Token[]; ids: number[]; articles: number } | undefined;
  for (const entry of namesBySound(index).get(words.map(skeleton).join(' ')) ?? []) {
    if (best !== undefined && entry.articles <= best.articles) continue;
    const alike = entry.words.every((w, i) => {
      const written = entry.display.slice(w.start, w.end).toLowerCase();
      const limit = Math.max(2, Math.ceil(words[i]!.length / 2));
      return damerau(words[i]!, written, limit) <= limit;
    });
    if (alike && entry.ids.length === toks.length && found(entry.ids)) best = entry;
  }
  if (best === undefined) return undefined;
  const corrections: Correction[] = [];
  let to = '';
  let at = 0;
  toks.forEach((t, i) => {
    const w = best!.words[i]!;
    const written = best!.display.slice(w.start, w.end);
    if (written.toLowerCase() === raws[i]!.toLowerCase()) return;
    const spelled = spell(written.toLowerCase(), raws[i]!);
    to += name.slice(at, t.start) + spelled;
    at = t.end;
    corrections.push({ from: raws[i]!, to: spelled });
  });
  return { from: name, to: to + name.slice(at), corrections };
}

const nameTables = new WeakMap<
  SearchIndex,
  Map<string, { display: string; words: Token[]; ids: number[]; articles: number }[]>
>();

/** The corpus's multi-word names by the sound keys of their words as written, built on first use. */
function namesBySound(
  index: SearchIndex,
): Map<string, { display: string; words: Token[]; ids: number[]; articles: number }[]> {
  let table = nameTables.get(index);
  if (table !== undefined) return table;
  table = new Map();
  for (const [key, stats] of index.names.names) {
    if (!key.includes(' ')) continue;
    const words = tokenize(stats.display);
    const ids = words.map((w) => index.vocabulary.get(w.term));
    if (words.length < 2 || ids.some((id) => id === undefined)) continue;
    const sound = words.map((w) => skeleton(stats.display.slice(w.start, w.end))).join(' ');
    const entry = { display: stats.display, words, ids: ids as number[], articles: stats.articles };
    const list = table.get(sound);
    if (list === undefined) table.set(sound, [entry]);
    else list.push(entry);
  }
  nameTables.set(index, table);
  return table;
}

/** Corpus terms within one typing error (two beyond six letters) of `term`, most used first; at most 3. */
function closeTerms(index: SearchIndex, term: string): number[] {
  if (term.length < 4 || /\d/.test(term)) return [];
  const max = term.length <= 6 ? 1 : 2;
  const out: { id: number; f: number }[] = [];
  for (let id = 0; id < index.termText.length; id++) {
    const t = index.termText[id]!;
    if (Math.abs(t.length - term.length) > max || t === term) continue;
    const f = postingCount(index.body, id);
    if (f > 0 && damerau(term, t, max) <= max) out.push({ id, f });
  }
  return out
    .sort((a, b) => b.f - a.f)
    .slice(0, 3)
    .map((c) => c.id);
}
