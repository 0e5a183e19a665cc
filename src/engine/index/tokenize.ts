import { stemmer } from 'stemmer';

/** One token of a text: its index term, where it stands, and how it was written. */
export interface Token {
  term: string;
  start: number;
  end: number;
  /** Written in capitals ("KH", "HTS"): acronym aliases only match such tokens. */
  upper: boolean;
  /** Starts with a capital letter: used to find names. */
  capital: boolean;
}

// A designator such as K-1, Kh-101, F-15E or MQ-9 is one token; otherwise letters/digits with inner
// apostrophes (Kata'ib, Iran's). Hyphens split words, so al-Asgari is "al" + "asgari".
// Dotted acronyms (U.S., U.N.) are one token too.
const TOKEN = /(?:\p{Lu}\.){2,}|\p{L}{1,3}-\p{N}+\p{L}?|[\p{L}\p{N}]+(?:['\u2019\u02BC][\p{L}]+)*/gu;

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

/** All tokens of `text`, stop words included (phrases need them), with offsets and capitalisation. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m !== null; m = TOKEN.exec(text)) {
    const raw = m[0];
    const first = raw[0]!;
    const capital = first !== first.toLowerCase();
    out.push({
      term: normaliseTerm(raw),
      start: m.index,
      end: m.index + raw.length,
      capital,
      upper: capital && raw.length > 1 && raw === raw.toUpperCase() && /\p{L}.*\p{L}/u.test(raw),
    });
  }
  return out;
}

/** Index terms of `text` in order, stop words included. The fast path used when building the index. */
export function terms(text: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m !== null; m = TOKEN.exec(text)) out.push(normaliseTerm(m[0]));
  return out;
}

let stopTerms: Set<string> | undefined;

/** True for the index term of a stop word (compared after stemming: "happened" → "happen"). */
export function isStopWord(term: string): boolean {
  stopTerms ??= new Set([...STOP_WORDS].map(normaliseTerm));
  return term.length < 2 || stopTerms.has(term);
}
