import type { Article } from '../corpus/article.ts';
import { type Span, splitSentences, wordCount } from '../text.ts';

/** A sentence of an article, with the section it belongs to. */
export interface Sentence extends Span {
  section: number;
}

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
  let offset = 0;
  let paren = -1; // the next "(" at or after the current sentence, or Infinity
  const paragraphs = text.split('\n\n');
  paragraphs.forEach((paragraph, i) => {
    const start = offset;
    offset += paragraph.length + 2;
    if (isHeading(paragraph, i === paragraphs.length - 1)) {
      sections.push(paragraph);
      return;
    }
    for (const span of splitSentences(text, start, start + paragraph.length)) {
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
        sentences.push({ start: from, end: span.end, section: sections.length - 1 });
      }
    }
    if (sentences.length > 0) paragraphEnds.add(sentences.length - 1);
  });
  return { sections, sentences, passages: chunk(text, sentences, paragraphEnds, options) };
}

function chunk(
  text: string,
  sentences: Sentence[],
  paragraphEnds: Set<number>,
  o: ChunkOptions,
): PassageSpan[] {
  const passages: PassageSpan[] = [];
  let first = 0;
  let words = 0;
  const close = (last: number): void => {
    const s = sentences[first]!;
    const prev = passages.at(-1);
    // A lone short tail joins the passage before it when that stays within the limits.
    if (
      last - first === 1 &&
      words < o.minWords &&
      prev !== undefined &&
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
    if (
      next === undefined ||
      next.section !== s.section ||
      count >= o.maxSentences ||
      words >= o.maxWords ||
      (paragraphEnds.has(i) && count >= 2 && words >= o.minWords) ||
      (count >= 3 && words >= o.minWords * 2)
    ) {
      close(i + 1);
    }
  }
  return passages;
}
