/**
 * A character-code tokenizer: the hot loop of indexing. It finds the same tokens as the reference
 * pattern below (kept in the tests as the specification) without a regular expression or a substring
 * per token, which took ~40 % of index build time.
 *
 *   (?:\p{Lu}\.){2,}                            dotted acronyms: U.S., U.N.
 *   | \p{L}{1,3}-\p{N}+\p{L}?                   designators: K-1, Kh-101, F-15E
 *   | [\p{L}\p{N}]+(?:['\u2019\u02BC]\p{L}+)*   words, with inner apostrophes: Kata'ib, Iran's
 */

/** Bit flags of a token: starts with a capital; written in capitals (two letters or more, none lower-case). */
export const CAPITAL = 1;
export const UPPER = 2;

const LETTER = 1;
const DIGIT = 2;
const UPPERCASE = 4;
const LOWERCASE = 8;
// Classes of all UTF-16 code units, filled lazily beyond ASCII (0 = not yet known, 16 = known "other").
const classes = new Uint8Array(65536);
const KNOWN = 16;
for (let c = 0; c < 128; c++) {
  let k = KNOWN;
  if (c >= 65 && c <= 90) k |= LETTER | UPPERCASE;
  else if (c >= 97 && c <= 122) k |= LETTER | LOWERCASE;
  else if (c >= 48 && c <= 57) k |= DIGIT;
  classes[c] = k;
}

function classOf(code: number): number {
  const k = classes[code]!;
  if (k !== 0) return k;
  const ch = String.fromCharCode(code);
  let v = KNOWN;
  if (/\p{L}/u.test(ch)) v |= LETTER;
  if (/\p{N}/u.test(ch)) v |= DIGIT;
  if (/\p{Lu}/u.test(ch)) v |= UPPERCASE;
  if (/\p{Ll}/u.test(ch)) v |= LOWERCASE;
  classes[code] = v;
  return v;
}

const isApostrophe = (c: number): boolean => c === 39 || c === 0x2019 || c === 0x02bc;

/**
 * Calls `visit(start, end, flags)` for each token of `text[from, to)`, left to right. Characters outside
 * the Basic Multilingual Plane are treated as separators (the corpus has none that matter).
 */
export function scanTokens(
  text: string,
  from: number,
  to: number,
  visit: (start: number, end: number, flags: number, hash: number) => void,
): void {
  let i = from;
  while (i < to) {
    const k = classOf(text.charCodeAt(i));
    if ((k & (LETTER | DIGIT)) === 0) {
      i++;
      continue;
    }
    const start = i;
    let end = dottedAcronym(text, i, to);
    let hash: number;
    if (end < 0) {
      // The run of letters and digits; a designator ("Kh-101") is only possible when it is 1-3 letters and a hyphen follows.
      const run = letterRun(text, i, to);
      if (run - i <= 3 && run < to && text.charCodeAt(run) === 45) end = designator(text, i, to);
      if (end < 0) {
        end = apostrophes(text, run, to);
        // The run's hash was taken while scanning it: most tokens are read once.
        hash = end === run ? runHash : spanHash(text, run, end, runHash);
      } else hash = spanHash(text, start, end);
    } else hash = spanHash(text, start, end);
    visit(start, end, flags(text, start, end), hash);
    i = end;
  }
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** FNV-1a over the UTF-16 code units of `text[start, end)`, continuing from `h`. */
export function spanHash(text: string, start: number, end: number, h = FNV_OFFSET): number {
  let hash = h;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  return hash;
}

/** The hash of the last run {@link letterRun} read (module state: the scanner is synchronous). */
let runHash = FNV_OFFSET;

/** `(?:\p{Lu}\.){2,}` at `i`, or -1. */
function dottedAcronym(text: string, i: number, to: number): number {
  let j = i;
  let pairs = 0;
  while (j + 1 < to && (classOf(text.charCodeAt(j)) & UPPERCASE) !== 0 && text.charCodeAt(j + 1) === 46) {
    j += 2;
    pairs++;
  }
  return pairs >= 2 ? j : -1;
}

/** `\p{L}{1,3}-\p{N}+\p{L}?` at `i`, or -1. */
function designator(text: string, i: number, to: number): number {
  let j = i;
  while (j < to && j - i < 3 && (classOf(text.charCodeAt(j)) & LETTER) !== 0) j++;
  if (j === i || j >= to || text.charCodeAt(j) !== 45) return -1;
  let k = j + 1;
  while (k < to && (classOf(text.charCodeAt(k)) & DIGIT) !== 0) k++;
  if (k === j + 1) return -1;
  if (k < to && (classOf(text.charCodeAt(k)) & LETTER) !== 0) k++;
  return k;
}

/** End of `[\p{L}\p{N}]+` at `i` (a letter or digit is known to stand there); its hash goes to `runHash`. */
function letterRun(text: string, i: number, to: number): number {
  let c = text.charCodeAt(i);
  let hash = Math.imul(FNV_OFFSET ^ c, FNV_PRIME);
  let j = i + 1;
  while (j < to) {
    c = text.charCodeAt(j);
    if ((classOf(c) & (LETTER | DIGIT)) === 0) break;
    hash = Math.imul(hash ^ c, FNV_PRIME);
    j++;
  }
  runHash = hash;
  return j;
}

/** `(?:['’ʼ]\p{L}+)*` at `j`, the end of a word's letter run: its end. */
function apostrophes(text: string, j: number, to: number): number {
  let k = j;
  while (k + 1 < to && isApostrophe(text.charCodeAt(k)) && (classOf(text.charCodeAt(k + 1)) & LETTER) !== 0) {
    k += 2;
    while (k < to && (classOf(text.charCodeAt(k)) & LETTER) !== 0) k++;
  }
  return k;
}

function flags(text: string, start: number, end: number): number {
  if ((classOf(text.charCodeAt(start)) & UPPERCASE) === 0) return 0;
  if (end - start < 2) return CAPITAL;
  let letters = 0;
  for (let i = start; i < end; i++) {
    const k = classOf(text.charCodeAt(i));
    if ((k & LOWERCASE) !== 0) return CAPITAL;
    if ((k & UPPERCASE) !== 0) letters++;
  }
  return letters >= 2 ? CAPITAL | UPPER : CAPITAL;
}

/**
 * Interns raw token spans to ids without making a string per lookup: an open-addressing table keyed
 * by an FNV-1a hash of the span's characters, compared character by character on a hit.
 */
export class SpanTable {
  private keys: string[] = [];
  private hashes = new Int32Array(1 << 16);
  private slots = new Int32Array(1 << 16).fill(-1);
  private values: number[] = [];

  get size(): number {
    return this.keys.length;
  }

  /** The id of `text[start, end)`, adding it (with `make(raw)` as its value) when new. */
  intern(text: string, start: number, end: number, make: (raw: string) => number): number {
    return this.internHashed(text, start, end, spanHash(text, start, end), make);
  }

  /** {@link intern} when the span's {@link spanHash} is known (the scanner gives it). */
  internHashed(text: string, start: number, end: number, h: number, make: (raw: string) => number): number {
    const mask = this.slots.length - 1;
    let slot = h & mask;
    for (;;) {
      const entry = this.slots[slot]!;
      if (entry < 0) break;
      if (this.hashes[slot] === h) {
        const key = this.keys[entry]!;
        if (key.length === end - start && text.startsWith(key, start)) return this.values[entry]!;
      }
      slot = (slot + 1) & mask;
    }
    const raw = text.slice(start, end);
    const value = make(raw);
    this.slots[slot] = this.keys.length;
    this.hashes[slot] = h;
    this.keys.push(raw);
    this.values.push(value);
    if (this.keys.length * 2 > this.slots.length) this.grow();
    return value;
  }

  private grow(): void {
    const size = this.slots.length * 2;
    const slots = new Int32Array(size).fill(-1);
    const hashes = new Int32Array(size);
    for (let s = 0; s < this.slots.length; s++) {
      const entry = this.slots[s]!;
      if (entry < 0) continue;
      let slot = this.hashes[s]! & (size - 1);
      while (slots[slot]! >= 0) slot = (slot + 1) & (size - 1);
      slots[slot] = entry;
      hashes[slot] = this.hashes[s]!;
    }
    this.slots = slots;
    this.hashes = hashes;
  }
}
