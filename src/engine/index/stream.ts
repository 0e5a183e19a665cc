/**
 * Term streams: the term ids of each document (passage or title) in order, stop words included, stored
 * as variable-length bytes (7 bits a byte, low bits first). Term ids are given in order of first
 * appearance, so common words have small ids and most tokens take one or two bytes instead of four:
 * at 100k articles the stream is ~130 MB instead of ~300 MB. While the stream is written, each term's
 * document frequency and each document's length are counted, so turning it into postings afterwards
 * takes a single pass.
 */

import { resized, trimmed } from './typed.ts';

/**
 * Compressed postings: for term t, entries `[start[t], start[t+1])` of `ids` and `tfs`, then its entries
 * in {@link Postings.recent}. Read a term's with {@link termPostings} and {@link postingCount}.
 */
export interface Postings {
  start: Uint32Array;
  ids: Uint32Array;
  /** Occurrences in the document, saturating at 255 (BM25 saturates long before). */
  tfs: Uint8Array;
  /**
   * The entries of the documents that extensions appended since these postings were last laid out
   * whole, laid out the same way over the same terms (see append.ts); their documents come after all
   * of the others. None in a built index or one read from its file.
   */
  recent?: Postings;
}

/** Documents that hold term `t`. */
export function postingCount(p: Postings, t: number): number {
  const n = p.start[t + 1]! - p.start[t]!;
  return p.recent === undefined ? n : n + p.recent.start[t + 1]! - p.recent.start[t]!;
}

/** A term's entries in document order. */
export interface TermPostings {
  ids: Uint32Array;
  tfs: Uint8Array;
}

/** Joined lists of terms with recent entries, per postings, kept until they hold this many entries in all. */
const JOINED_ENTRIES = 1 << 23;
const joined = new WeakMap<Postings, { entries: number; terms: Map<number, TermPostings> }>();

/**
 * The entries of term `t`: views of the postings, or for a term with recent entries its two lists
 * joined, once per term and postings (a query's terms are looked up several times, and again by the
 * next queries, until the next extension makes other postings).
 */
export function termPostings(p: Postings, t: number): TermPostings {
  const from = p.start[t]!;
  const to = p.start[t + 1]!;
  const recent = p.recent;
  if (recent === undefined || recent.start[t + 1] === recent.start[t])
    return { ids: p.ids.subarray(from, to), tfs: p.tfs.subarray(from, to) };
  let cache = joined.get(p);
  if (cache === undefined) {
    cache = { entries: 0, terms: new Map() };
    joined.set(p, cache);
  }
  const hit = cache.terms.get(t);
  if (hit !== undefined) return hit;
  const more = recent.start[t]!;
  const end = recent.start[t + 1]!;
  const ids = new Uint32Array(to - from + end - more);
  const tfs = new Uint8Array(ids.length);
  ids.set(p.ids.subarray(from, to));
  ids.set(recent.ids.subarray(more, end), to - from);
  tfs.set(p.tfs.subarray(from, to));
  tfs.set(recent.tfs.subarray(more, end), to - from);
  if (cache.entries + ids.length > JOINED_ENTRIES) {
    cache.terms.clear();
    cache.entries = 0;
  }
  cache.terms.set(t, { ids, tfs });
  cache.entries += ids.length;
  return { ids, tfs };
}

/** The highest within-document count kept; more counts as this many. */
export const MAX_TF = 255;

/** A stream of documents being written, one term at a time. */
export class TermStream {
  private bytes: Uint8Array;
  private length = 0;
  private readonly starts: number[] = [];
  private readonly lengths: number[] = [];
  /** Per term: documents containing it (stop words are not counted), and the last such document. */
  private df = new Uint32Array(1 << 14);
  private lastDoc = new Int32Array(1 << 14).fill(-1);
  private document = -1;

  constructor(capacity = 1 << 16) {
    this.bytes = new Uint8Array(Math.max(16, capacity));
  }

  /** Bytes written so far. */
  get size(): number {
    return this.length;
  }

  /** Makes room for `capacity` bytes in all, at once (the caller extrapolates the final size). */
  reserve(capacity: number): void {
    if (capacity > this.bytes.length) this.resize(capacity);
  }

  /** Starts the next document. */
  open(): void {
    this.document++;
    this.starts.push(this.length);
    this.lengths.push(0);
  }

  /** Appends a term to the current document; stop words are kept in the stream but not indexed. */
  add(term: number, stop: boolean): void {
    if (this.length + 5 > this.bytes.length) this.resize(this.bytes.length * 2);
    let v = term;
    while (v >= 0x80) {
      this.bytes[this.length++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.bytes[this.length++] = v;
    if (stop) return;
    this.lengths[this.document]!++;
    if (term >= this.df.length) this.growTerms(term);
    if (this.lastDoc[term] !== this.document) {
      this.lastDoc[term] = this.document;
      this.df[term]!++;
    }
  }

  /**
   * The finished stream, its document offsets (length documents + 1), the number of indexed words per
   * document, and the postings over `vocabularySize` terms.
   */
  finish(
    stop: Uint8Array,
    vocabularySize: number,
  ): { tokens: Uint8Array; tokenStart: Uint32Array; lengths: Uint32Array; postings: Postings } {
    const tokens = trimmed(this.bytes, this.length);
    const tokenStart = new Uint32Array(this.starts.length + 1);
    tokenStart.set(this.starts);
    tokenStart[this.starts.length] = this.length;
    const start = new Uint32Array(vocabularySize + 1);
    for (let t = 0; t < vocabularySize; t++)
      start[t + 1] = start[t]! + (t < this.df.length ? this.df[t]! : 0);
    return {
      tokens,
      tokenStart,
      lengths: Uint32Array.from(this.lengths),
      postings: invert(tokens, tokenStart, stop, start),
    };
  }

  private resize(capacity: number): void {
    this.bytes = resized(this.bytes, capacity, this.length);
  }

  private growTerms(term: number): void {
    let size = this.df.length;
    while (size <= term) size *= 2;
    this.lastDoc = resized(this.lastDoc, size, this.lastDoc.length, -1);
    this.df = resized(this.df, size);
  }
}

/** Decodes the terms of `tokens[from, to)` into `out` (which must hold them all); returns how many. */
export function decodeTerms(tokens: Uint8Array, from: number, to: number, out: Uint32Array): number {
  let n = 0;
  let i = from;
  while (i < to) {
    let v = tokens[i++]!;
    if (v >= 0x80) {
      v &= 0x7f;
      let shift = 7;
      let b: number;
      do {
        b = tokens[i++]!;
        v |= (b & 0x7f) << shift; // term ids stay far below 2^28: four bytes at most
        shift += 7;
      } while (b >= 0x80);
    }
    out[n++] = v;
  }
  return n;
}

/** Postings from the stream, in one pass: `start` is already laid out from the document frequencies. */
function invert(tokens: Uint8Array, tokenStart: Uint32Array, stop: Uint8Array, start: Uint32Array): Postings {
  const vocabularySize = start.length - 1;
  const total = start[vocabularySize]!;
  const ids = new Uint32Array(total);
  const tfs = new Uint8Array(total);
  const cursor = start.slice(0, vocabularySize);
  const lastDoc = new Int32Array(vocabularySize).fill(-1);
  let terms = new Uint32Array(1024);
  const docs = tokenStart.length - 1;
  for (let d = 0; d < docs; d++) {
    const from = tokenStart[d]!;
    const to = tokenStart[d + 1]!;
    if (to - from > terms.length) terms = new Uint32Array(to - from); // a term takes a byte or more
    const n = decodeTerms(tokens, from, to, terms);
    for (let k = 0; k < n; k++) {
      const t = terms[k]!;
      if (stop[t] === 1) continue;
      if (lastDoc[t] === d) {
        const at = cursor[t]! - 1;
        if (tfs[at]! < MAX_TF) tfs[at]!++;
        continue;
      }
      lastDoc[t] = d;
      const at = cursor[t]!++;
      ids[at] = d;
      tfs[at] = 1;
    }
  }
  return { start, ids, tfs };
}
