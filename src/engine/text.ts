/**
 * Text normalisation and sentence splitting. Every offset handed out here indexes the normalised
 * article text, which is what the engine stores: a quote is then `text.slice(start, end)`, so it is
 * verbatim by construction.
 */

/** A character or run that {@link normaliseInline} changes. */
const NEEDS_INLINE =
  /[\u2018\u2019\u201A\u201B\u2032\u02BC\u201C\u201D\u201E\u201F\u2033\u00A0\u2000-\u200B\u202F\u205F\u3000\t\f\v\u00AD\uFEFF]| {2}/;

/** Straightens typographic quotes and folds all whitespace runs inside a line to one space. */
export function normaliseInline(s: string): string {
  // Most lines need none of it: one test is much cheaper than five replacements.
  if (!NEEDS_INLINE.test(s)) return s;
  return s
    .replace(/[\u2018\u2019\u201A\u201B\u2032\u02BC]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033]/g, '"')
    .replace(/[\u00A0\u2000-\u200B\u202F\u205F\u3000\t\f\v]/g, ' ')
    .replace(/[\u00AD\uFEFF]/g, '')
    .replace(/ {2,}/g, ' ');
}

/**
 * Anything {@link normaliseBody} would change: what {@link normaliseInline} changes, a carriage return,
 * white space at either end or beside a line break, or more than one blank line in a row.
 */
const NEEDS_BODY = new RegExp(`${NEEDS_INLINE.source}|\\r|^\\s|\\s$|[^\\S\\n]\\n|\\n[^\\S\\n]|\\n\\n\\n`);

/**
 * Normalises a whole body: CRLF to LF, quotes and spaces as {@link normaliseInline}, trailing spaces
 * removed, and paragraphs separated by exactly one blank line.
 */
export function normaliseBody(s: string): string {
  // Most bodies arrive clean: returning them as they are saves a copy of every article while loading.
  if (!NEEDS_BODY.test(s)) return s;
  const lines = s.replace(/\r\n?/g, '\n').split('\n');
  const paragraphs: string[] = [];
  let current: string[] = [];
  for (const raw of lines) {
    const line = normaliseInline(raw).trim();
    if (line === '') {
      if (current.length > 0) paragraphs.push(current.join('\n'));
      current = [];
    } else {
      current.push(line);
    }
  }
  if (current.length > 0) paragraphs.push(current.join('\n'));
  return paragraphs.join('\n\n');
}

/** A sentence as a span of the normalised text. */
export interface Span {
  start: number;
  end: number;
}

// Words after which a full stop does not end a sentence (titles, initials, month and unit abbreviations).
const ABBREVIATIONS = new Set(
  (
    'mr mrs ms dr prof sr jr st mt gen lt col maj capt cpt sgt cmdr adm gov sen rep rev hon pres sec amb ' +
    'jan feb mar apr jun jul aug sep sept oct nov dec no nos vol fig approx est inc ltd co corp vs etc ' +
    'u.s u.k u.n e.g i.e a.m p.m d.c u.s.a u.s.c maj.-gen brig.-gen lt.-gen'
  ).split(' '),
);

const BOUNDARY = /[.!?]+["')\]]*(?=\s+["'([]?[A-Z0-9])|\n/g;

/**
 * Splits `text[from, to)` into sentences. Newlines always end a sentence (paragraph and list-item
 * boundaries in the corpus); a full stop ends one unless it follows a known abbreviation or an initial.
 */
export function splitSentences(text: string, from = 0, to = text.length): Span[] {
  const spans: Span[] = [];
  const segment = text.slice(from, to);
  let start = 0;
  BOUNDARY.lastIndex = 0;
  for (let m = BOUNDARY.exec(segment); m !== null; m = BOUNDARY.exec(segment)) {
    const end = m.index + m[0].length;
    if (m[0] !== '\n' && !endsSentence(segment, m.index)) continue;
    pushTrimmed(spans, segment, start, m[0] === '\n' ? m.index : end, from);
    start = end;
  }
  pushTrimmed(spans, segment, start, segment.length, from);
  return spans;
}

function endsSentence(segment: string, dotIndex: number): boolean {
  if (segment[dotIndex] !== '.') return true;
  const before = segment.slice(Math.max(0, dotIndex - 12), dotIndex);
  const word = /([A-Za-z][A-Za-z.-]*)$/.exec(before)?.[1];
  if (word === undefined) return true;
  if (word.length === 1) return false; // an initial: "John F. Kennedy"
  return !ABBREVIATIONS.has(word.toLowerCase());
}

function pushTrimmed(spans: Span[], segment: string, start: number, end: number, offset: number): void {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(segment[s]!)) s++;
  while (e > s && /\s/.test(segment[e - 1]!)) e--;
  if (e > s) spans.push({ start: s + offset, end: e + offset });
}

/** 1 for the characters {@link wordCount} treats as spaces: space, newline, tab, carriage return. */
const SPACE = new Uint8Array(128);
for (const c of [32, 10, 9, 13]) SPACE[c] = 1;

/** Counts whitespace-separated words. */
export function wordCount(s: string, from = 0, to = s.length): number {
  // A branch-free character loop over offsets, no substring: this runs for every sentence of every
  // article while indexing (a word starts where a non-space follows a space or the start).
  let count = 0;
  let previousSpace = 1;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    const space = c < 128 ? SPACE[c]! : 0;
    count += previousSpace & (space ^ 1);
    previousSpace = space;
  }
  return count;
}

/** Lower-case ASCII slug: "Kata'ib Hezbollah" → "kataib-hezbollah". */
export function slugify(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['\u2019`]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
