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
 * white space at either end or beside a line break, more than one blank line in a row, or a hyphen
 * before a dash or a line break (the artifacts {@link repairBreaks} mends). The hyphen branch starts with
 * the hyphen, not the letter before it: a test that starts at a literal character stays cheap.
 */
const NEEDS_BODY = new RegExp(
  `${NEEDS_INLINE.source}|\\r|^\\s|\\s$|[^\\S\\n]\\n|\\n[^\\S\\n]|\\n\\n\\n|-(?: ?[\\u2013\\u2014]|\\n)`,
);

/**
 * Normalises a whole body: CRLF to LF, quotes and spaces as {@link normaliseInline}, trailing spaces
 * removed, paragraphs separated by exactly one blank line, and line-break and false-start artifacts
 * mended ({@link repairBreaks}).
 */
export function normaliseBody(s: string): string {
  // Most bodies arrive clean: returning them as they are saves a copy of every article while loading.
  if (!NEEDS_BODY.test(s)) return s;
  // One test of the body spares the paragraphs of the many bodies without artifacts their own tests.
  const repair = ARTIFACT.test(s) ? repairBreaks : (p: string) => p;
  const lines = s.replace(/\r\n?/g, '\n').split('\n');
  const paragraphs: string[] = [];
  let current: string[] = [];
  for (const raw of lines) {
    const line = normaliseInline(raw).trim();
    if (line === '') {
      if (current.length > 0) paragraphs.push(repair(current.join('\n')));
      current = [];
    } else {
      current.push(line);
    }
  }
  if (current.length > 0) paragraphs.push(repair(current.join('\n')));
  return paragraphs.join('\n\n');
}

/**
 * A word cut short and abandoned before a dash, as transcripts print a speaker's false start: "ami- —
 * militias", "po- –taxpayers", "Sherwood-Ran- — Sherwood-Randall". The fragment starts after white space,
 * an opening bracket or quote, so "pre- and post-war", a list's "- " and "10-20" never match (no dash
 * follows their hyphen). When the speaker restarts with the word before the fragment ("I can- – I cannot",
 * "in 19- — in 2016"), that repeated word goes too.
 */
const FALSE_START =
  /(?<=^|[\s("'])[\p{L}\p{N}][\p{L}\p{N}'-]*- ?[\u2013\u2014](?: (?=\S)|(?=[^\s\u2013\u2014]))(?:(\p{L}+) )?/gmu;
/** The word just before a false start, to compare with the word the speaker restarts with. */
const WORD_BEFORE = /(?:^|[\s("'])(\p{L}+) $/u;
/** The same fragment where the speaker was cut off (the line ends at the dash): the dash stays. */
const CUT_OFF = /(?<=^|[\s("'])[\p{L}\p{N}][\p{L}\p{N}'-]*- ?(?=[\u2013\u2014]$)/gmu;
/**
 * A hyphen before a dash or a line break, with anything between that cleaning removes: a body that may
 * hold an artifact once its lines are cleaned.
 */
const ARTIFACT = /-[\s\u00AD\u200B]*[\u2013\u2014\n\r]/;
/** The cheap test before the patterns above: most paragraphs hold hyphens, few a hyphen before a dash. */
const DASH_AFTER_HYPHEN = /- ?[\u2013\u2014]/;
/**
 * A word hyphenated across a line break inside a paragraph, "mili-\ntias". A suspended compound
 * ("pre-\nand post-war") keeps its hyphen and its line break.
 */
const HYPHENATED = /(?<=\p{Ll})-\n(?!(?:and|or|nor|to)\b)(?=\p{Ll})/gu;

/**
 * Mends one paragraph's line-break and false-start artifacts, so that a quote reads as the sentence the
 * speaker finished: "Iran-aligned ami- — militias in Iraq" → "Iran-aligned militias in Iraq". What is
 * removed is only the abandoned fragment and its dash; the words around it stay as written.
 */
export function repairBreaks(paragraph: string): string {
  let out = paragraph;
  if (out.includes('-\n')) out = out.replace(HYPHENATED, '');
  if (!DASH_AFTER_HYPHEN.test(out)) return out;
  // Lookbehinds, not captured neighbours: a match never consumes the space the next fragment needs
  // ("the Bi- — pardon- — me"). A removal can still bring a hyphen up to a dash ("pre- ami- —"), so
  // repeat until nothing changes: normalising a normalised body must return it as it is.
  for (let before = ''; before !== out && DASH_AFTER_HYPHEN.test(out); ) {
    before = out;
    out = out.replace(FALSE_START, dropFalseStart).replace(CUT_OFF, '');
  }
  return out;
}

/**
 * The replacement of one {@link FALSE_START} match: nothing, or the word after the dash when it does not
 * repeat the word before the fragment. (A callback, not a case-insensitive back-reference inside a
 * lookbehind: that pattern cost a backward word scan at every position, twice the whole load's cleaning.)
 */
function dropFalseStart(_match: string, next: string | undefined, offset: number, text: string): string {
  if (next === undefined) return '';
  const before = WORD_BEFORE.exec(text.slice(Math.max(0, offset - 40), offset))?.[1];
  return before !== undefined && before.toLowerCase() === next.toLowerCase() ? '' : `${next} `;
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
/** `s` as a regular expression that matches it literally. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function slugify(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['\u2019`]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
