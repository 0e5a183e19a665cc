import { stemmer } from 'stemmer';
import { CAPITAL, scanTokens, UPPER } from './scan.ts';

/** One token of a text: its index term, where it stands, and how it was written. */
export interface Token {
  term: string;
  start: number;
  end: number;
  /** Written in capitals ("KH", "HTS"): acronym aliases only match such tokens. */
  upper: boolean;
  /** Starts with a capital letter: used to find names. */
  capital: boolean;
  /** Written in capitals and cut by the stemmer ("IRIS" read as "iri"): not an acronym of its term. */
  stemmed?: boolean;
}

/**
 * Tokens as parallel arrays, for the index build (no object per token): term ids into a vocabulary,
 * offsets into a text, and {@link CAPITAL}/{@link UPPER} flags.
 */
export interface TokenRun {
  ids: Uint32Array;
  starts: Uint32Array;
  ends: Uint32Array;
  flags: Uint8Array;
}

// Function words and question filler: they match nearly every passage and carry no evidence.
export const STOP_WORDS = new Set(
  (
    'a about above after again against all also am an and any are as at be been before being below between ' +
    'both but by can could did do does doing down during each few for from further had has have having he her ' +
    'here hers herself him himself his how i if in into is it its itself just me more most my no nor not now of ' +
    'off on once only or other our ours out over own same she should so some such than that the their theirs ' +
    'them then there these they this those through to too under until up very was we were what when where ' +
    'which while who whom why will with would you your yours s t al el ' +
    'mr mrs ms says said say tell told happen happened apart whether'
  ) // question filler
    .split(' '),
);

const termMemo = new Map<string, string>();

/** The index term of one raw word: lower-case, ASCII-folded, apostrophes and possessives dropped, stemmed. */
export function normaliseTerm(raw: string): string {
  const cached = termMemo.get(raw);
  if (cached !== undefined) return cached;
  let t = raw.toLowerCase();
  if (/[^\p{ASCII}]/u.test(t)) t = t.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  t = t.replace(/['\u2019\u02BC]s$/, '').replace(/['\u2019\u02BC.]/g, '');
  if (/^\p{L}{1,3}-\p{N}/u.test(t)) t = t.replace('-', '');
  else if (t.length > 3 && /^[a-z]+$/.test(t)) t = stemmer(t);
  // The memo is bounded by the vocabulary; clear it if a pathological corpus makes it huge.
  if (termMemo.size > 2_000_000) termMemo.clear();
  termMemo.set(raw, t);
  return t;
}

/** Whether the stemmer cut letters off a word (not a possessive's, nor the dots of "U.S."). */
export function stemmedCapitals(raw: string, term: string): boolean {
  return term.length < raw.replace(/['\u2019\u02BC]s$/i, '').replace(/[^\p{L}\p{N}]/gu, '').length;
}

/** All tokens of `text`, stop words included (phrases need them), with offsets and capitalisation. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  scanTokens(text, 0, text.length, (start, end, flags) => {
    const raw = text.slice(start, end);
    const term = normaliseTerm(raw);
    const upper = (flags & UPPER) !== 0;
    out.push({
      term,
      start,
      end,
      capital: (flags & CAPITAL) !== 0,
      upper,
      stemmed: upper && stemmedCapitals(raw, term),
    });
  });
  return out;
}

/** Index terms of `text` in order, stop words included. */
export function terms(text: string): string[] {
  const out: string[] = [];
  scanTokens(text, 0, text.length, (start, end) => {
    out.push(normaliseTerm(text.slice(start, end)));
  });
  return out;
}

let stopTerms: Set<string> | undefined;

/** True for the index term of a stop word (compared after stemming: "happened" → "happen"). */
export function isStopWord(term: string): boolean {
  stopTerms ??= new Set([...STOP_WORDS].map(normaliseTerm));
  return term.length < 2 || stopTerms.has(term);
}
