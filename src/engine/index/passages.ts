import type { Article } from '../corpus/article.ts';
import { type Span, splitSentences, wordCount } from '../text.ts';
import { type Speaker, speakerFor, type TurnOpener, turnOpener } from './speakers.ts';

/** A sentence of an article, with the section it belongs to and, in a transcript, its turn and speaker. */
export interface Sentence extends Span {
  section: number;
  /** Turn of a transcript it belongs to (0 = before the first turn, or no transcript). */
  turn: number;
  /** Index into {@link ArticleLayout.speakers}, or -1 where the document names no speaker. */
  speaker: number;
  /** {@link SENTENCE_REPORTER} and {@link SENTENCE_TOO_LONG}, or 0. */
  flags: number;
}

/** Sentence flag: said by a reporter (a question or its premise): context for retrieval, never quoted. */
export const SENTENCE_REPORTER = 1;
/** Sentence flag: longer than {@link MAX_QUOTE_CHARS} with no clause boundary to split at: never quoted. */
export const SENTENCE_TOO_LONG = 2;
/**
 * Longest sentence quoted as a bullet. A longer one is split at list items and semicolons (the pieces
 * stay verbatim); a piece still longer is indexed but never shown. A briefing line, not a fact sheet.
 */
export const MAX_QUOTE_CHARS = 400;

/** A run of 2–5 consecutive sentences of one section: the unit of retrieval. */
export interface PassageSpan {
  /** 0-based position of the passage within its article. */
  ordinal: number;
  /** Index of the section (0 = before the first subheading) in {@link ArticleLayout.sections}. */
  section: number;
  /** Sentences `[firstSentence, lastSentence)` of {@link ArticleLayout.sentences}. */
  firstSentence: number;
  lastSentence: number;
  /** Character offsets into the article text. */
  start: number;
  end: number;
}

/** How an article divides into sections, citable sentences and passages. */
export interface ArticleLayout {
  /** Section names: "" for the lead, then each subheading as written. */
  sections: string[];
  /** Citable sentences only: photo captions, credits and source-list lines are left out. */
  sentences: Sentence[];
  passages: PassageSpan[];
  /** The speakers of a transcript's turns (empty for other documents). */
  speakers: Speaker[];
}

/** Tunable passage size: a passage closes at `maxSentences`, or `maxWords`, or a paragraph end past `minWords`. */
export interface ChunkOptions {
  /** Default 5. */
  maxSentences: number;
  /** Default 120. */
  maxWords: number;
  /** Default 30. */
  minWords: number;
}

export const DEFAULT_CHUNKING: ChunkOptions = { maxSentences: 5, maxWords: 120, minWords: 30 };

// Captions and credits are not the author's statements: "... (credit: REUTERS/THAIER AL-SUDANI)".
const NOT_CITABLE = [
  /\((?:photo\s*)?(?:credits?|photo|image|picture)\s*:/i,
  /^(?:photo|image|picture|file photo)\s*(?:credit)?\s*:/i,
  /^Sources cited by Wikipedia:/i,
  /^#{3,}$/,
];

const LIST_MARKER = /^(?:[-\u2013\u2014\u2022*\u25aa]\s+|\((?:[ivx]+|[a-z]|\d{1,2})\)\s+|\d{1,2}[.)]\s+)/;

/** First characters a list marker can start with: - – — • * ▪ ( and digits. */
const MARKER_START = new Set([...'-\u2013\u2014\u2022*\u25aa(0123456789'].map((c) => c.charCodeAt(0)));
/** First characters (lower-cased by `| 0x20`) of the caption patterns that do not need a "(": p i f s #. */
const CAPTION_START = new Set([...'pifs#'].map((c) => c.charCodeAt(0) | 0x20));

function nextParen(text: string, from: number): number {
  const at = text.indexOf('(', from);
  return at < 0 ? Number.POSITIVE_INFINITY : at;
}

/** A sentence that reads as one: it starts like a sentence and ends with closing punctuation. */
export function isWholeSentence(sentence: string): boolean {
  return /^["'(\p{Lu}\p{N}]/u.test(sentence) && /[.!?]["')\]]*$/.test(sentence);
}

export function isCitable(sentence: string): boolean {
  return !NOT_CITABLE.some((re) => re.test(sentence));
}

/** A subheading: a one-line paragraph of a few words with no closing punctuation, followed by text. */
function isHeading(paragraph: string, isLast: boolean): boolean {
  // Cheapest tests first: this runs for every paragraph, and most end with a full stop.
  if (isLast || paragraph.length === 0 || HEADING_END_NOT.has(paragraph.charCodeAt(paragraph.length - 1)))
    return false;
  if (paragraph.includes('\n')) return false;
  const words = wordCount(paragraph);
  return words > 0 && words <= 10 && /^[\p{Lu}\p{N}"']/u.test(paragraph);
}

/** Closing characters a heading does not end with: `.!?:;,"')]`. */
const HEADING_END_NOT = new Set([...'.!?:;,"\')]'].map((c) => c.charCodeAt(0)));

export function layoutArticle(article: Article, options: ChunkOptions = DEFAULT_CHUNKING): ArticleLayout {
  const text = article.text;
  const sections = [''];
  const sentences: Sentence[] = [];
  const paragraphEnds = new Set<number>(); // sentence indices that close a paragraph
  const lineEnds = new Set<number>(); // sentence indices that close a story line of a digest
  let offset = 0;
  let paren = -1; // the next "(" at or after the current sentence, or Infinity
  const paragraphs = text.split('\n\n');
  const turns = transcriptTurns(article, paragraphs);
  let turn = 0;
  let speaker = -1;
  paragraphs.forEach((paragraph, i) => {
    const start = offset;
    offset += paragraph.length + 2;
    const opener = turns.openers[i];
    if (opener !== undefined) {
      turn++;
      speaker = turns.speakerOf.get(opener.label)!;
    } else if (isHeading(paragraph, i === paragraphs.length - 1)) {
      sections.push(paragraph);
      return;
    }
    const flags = speaker >= 0 && turns.speakers[speaker]!.role === 'reporter' ? SENTENCE_REPORTER : 0;
    const spoken = start + (opener?.length ?? 0);
    const lines = paragraph.includes('\n');
    for (const whole of splitSentences(text, spoken, start + paragraph.length)) {
      for (const span of whole.end - whole.start > MAX_QUOTE_CHARS ? splitLong(text, whole) : [whole]) {
        // A list marker ("- ", "(i) ", "2. ") is not part of what the sentence says: the quote starts after it.
        const marker = MARKER_START.has(text.charCodeAt(span.start))
          ? LIST_MARKER.exec(text.slice(span.start, span.end))
          : null;
        const from = span.start + (marker?.[0].length ?? 0);
        if (from >= span.end) continue;
        // The caption patterns need a "(" or one of a few first letters: most sentences skip the regexes.
        if (paren < from) paren = nextParen(text, from);
        const maybeCaption = paren < span.end || CAPTION_START.has(text.charCodeAt(from) | 0x20);
        if (!maybeCaption || isCitable(text.slice(from, span.end))) {
          const long = span.end - from > MAX_QUOTE_CHARS ? SENTENCE_TOO_LONG : 0;
          sentences.push({
            start: from,
            end: span.end,
            section: sections.length - 1,
            turn,
            speaker,
            flags: flags | long,
          });
          // A line of its own that is not a list item is one story of a digest: it is a passage of its own.
          if (marker === null && whole.end === span.end && text.charCodeAt(span.end) === 10) {
            if (text.charCodeAt(span.end + 1) !== 10) lineEnds.add(sentences.length - 1);
            else if (lines) lineEnds.add(sentences.length - 1); // the last line of a digest paragraph
          }
        }
      }
    }
    if (sentences.length > 0) paragraphEnds.add(sentences.length - 1);
  });
  return {
    sections,
    sentences,
    passages: chunk(text, sentences, paragraphEnds, lineEnds, turns.speakers, options),
    speakers: turns.speakers,
  };
}

/**
 * The turns of a transcript: a `Q` paragraph always opens one; a capitalised `NAME:` label only in a
 * document that has a `Q` or at least two such labels (a lone "NOTE:" in a statement is not a turn).
 */
function transcriptTurns(
  article: Article,
  paragraphs: readonly string[],
): { openers: (TurnOpener | undefined)[]; speakers: Speaker[]; speakerOf: Map<string, number> } {
  const openers = paragraphs.map(turnOpener);
  const labels = openers.filter((o) => o !== undefined);
  const speakers: Speaker[] = [];
  const speakerOf = new Map<string, number>();
  if (labels.length === 0 || (labels.length < 2 && labels[0]!.label !== 'Q'))
    return { openers: [], speakers, speakerOf };
  const opening = article.text.slice(0, 1000);
  for (const { label } of labels) {
    if (speakerOf.has(label)) continue;
    speakerOf.set(label, speakers.length);
    speakers.push(speakerFor(label, article.title, opening, article.text));
  }
  return { openers, speakers, speakerOf };
}

/** An inline list item ("… standoff. - April 1983: …", "• …") or the next clause of a semicolon series. */
const ITEM_BREAK = /(?:[.;:!?]["')\]]*\s+[-\u2013\u2022\u25aa]\s+(?=["'(\p{Lu}\p{N}])|;\s+(?=\S))/gu;

/** Splits an over-long sentence at its list items and semicolons; every piece is verbatim text. */
function splitLong(text: string, span: Span): Span[] {
  const pieces: Span[] = [];
  const segment = text.slice(span.start, span.end);
  let from = 0;
  ITEM_BREAK.lastIndex = 0;
  for (let m = ITEM_BREAK.exec(segment); m !== null; m = ITEM_BREAK.exec(segment)) {
    // The piece keeps its closing punctuation; the next starts at the item's first word.
    const close = m[0].search(/\s/);
    pieces.push({ start: span.start + from, end: span.start + m.index + close });
    from = m.index + m[0].length;
  }
  pieces.push({ start: span.start + from, end: span.end });
  return pieces.filter((p) => p.end > p.start);
}

function chunk(
  text: string,
  sentences: Sentence[],
  paragraphEnds: Set<number>,
  lineEnds: Set<number>,
  speakers: readonly Speaker[],
  o: ChunkOptions,
): PassageSpan[] {
  const passages: PassageSpan[] = [];
  let first = 0;
  let words = 0;
  const close = (last: number, alone = false): void => {
    const s = sentences[first]!;
    const prev = passages.at(-1);
    // A lone short tail joins the passage before it when that stays within the limits (and the same turn).
    if (
      !alone &&
      last - first === 1 &&
      prev !== undefined &&
      sentences[prev.lastSentence - 1]!.turn === s.turn &&
      !lineEnds.has(prev.lastSentence - 1) &&
      words < o.minWords &&
      prev.section === s.section &&
      prev.lastSentence - prev.firstSentence < o.maxSentences
    ) {
      prev.lastSentence = last;
      prev.end = sentences[last - 1]!.end;
    } else {
      passages.push({
        ordinal: passages.length,
        section: s.section,
        firstSentence: first,
        lastSentence: last,
        start: s.start,
        end: sentences[last - 1]!.end,
      });
    }
    first = last;
    words = 0;
  };
  for (let i = 0; i < sentences.length; i++) {
    const s = sentences[i]!;
    words += wordCount(text, s.start, s.end);
    const count = i - first + 1;
    const next = sentences[i + 1];
    if (lineEnds.has(i)) {
      close(i + 1, true);
      continue;
    }
    // A passage never crosses a turn, except from a question into its answer: they are one exchange.
    const exchange =
      next !== undefined &&
      next.turn !== s.turn &&
      (s.flags & SENTENCE_REPORTER) !== 0 &&
      next.speaker >= 0 &&
      speakers[next.speaker]!.role !== 'reporter';
    if (
      next === undefined ||
      next.section !== s.section ||
      (next.turn !== s.turn && !exchange) ||
      count >= o.maxSentences ||
      words >= o.maxWords ||
      (!exchange && paragraphEnds.has(i) && count >= 2 && words >= o.minWords) ||
      (!exchange && count >= 3 && words >= o.minWords * 2)
    ) {
      close(i + 1);
    }
  }
  return passages;
}
