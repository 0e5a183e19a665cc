import { findTimeExpressions } from '../dates.ts';
import { type SearchIndex, sentenceFlags, sentenceSpeaker } from '../index/build.ts';
import { isWholeSentence, SENTENCE_REPORTER } from '../index/passages.ts';
import { bm25Idf, conceptPostings, passageTerms } from '../index/postings.ts';
import { CAPITAL, scanTokens, UPPER } from '../index/scan.ts';
import { type Speaker, speakerLine } from '../index/speakers.ts';
import { isStopWord, stemmedCapitals, type Token, tokenize } from '../index/tokenize.ts';
import type { QueryPlan } from '../query.ts';
import { skeleton } from '../spelling.ts';

/** A citable sentence of a retrieved passage: where it is, and which of the query's concepts it holds. */
export interface CandidateSentence {
  article: number;
  passage: number;
  /** Offsets into the article text: the quote is `text.slice(start, end)`. */
  start: number;
  end: number;
  /** Index terms of the sentence, stop words left out (for redundancy checks). */
  terms: Set<string>;
  /** Share of the query's concept weight this sentence holds, 0..1 (with its title's or question's half). */
  coverage: number;
  /** The share the sentence holds by its own words alone. */
  ownCoverage: number;
  /**
   * When what the sentence reports happened, as a day number: the date a timeline item opens with
   * ("March 2023: An Iranian drone attack …"), else its document's date. A 2026 fact sheet's 2023 item
   * is not 2026 news.
   */
  day: number;
  /** The sentence reports a development: an actor doing something, not a view, a promise or a question. */
  event: boolean;
  /**
   * The sentence leans on the one before ("However, …", "They …", "This …"): alone as a bullet it reads
   * as a reply to something the reader was not shown.
   */
  dependent: boolean;
  /**
   * Where the sentence this one leans on starts ("However, …", "… also …", "The strikes were …"), when the
   * two can be quoted together as one short bullet (same passage, same speaker's turn): see {@link withLeads}.
   */
  leadStart?: number | undefined;
  /** Score of the passage it came from. */
  passageScore: number;
  /** The sentence is a question (ends with "?"). */
  question: boolean;
  /** The sentence is a fragment (a list item, a clause ending in ";"), not a whole sentence. */
  fragment: boolean;
  /**
   * The sentence is transcribed speech with filler ("I mean", "you know", "the — the"), or rhetoric
   * (praise, intent, boilerplate) rather than a reported development: a bullet only when nothing plainer
   * says as much.
   */
  spoken: boolean;
  /** Who said it, in a transcript. */
  speaker: Speaker | undefined;
  /** The sentence is said by, or names, the speaker whose statement the question asks for ({@link QueryPlan.speakers}). */
  voiced: boolean;
  /**
   * The sentence (or its speaker) names every name of the query — its topics, phrases and capitalised
   * words: "American troops in Syria" is not told by a line about Israeli troops in Syria.
   */
  allNames: boolean;
  /** Which part of a briefing it was chosen for. */
  part?: 'latest' | 'background';
}

// Filler of transcribed speech, and a word repeated across a dash ("the — the", "of — of").
const SPOKEN =
  /\b(?:I mean|you know|as I said|as I mentioned|I think|kind of|sort of|look,|okay,|well,)|\b(\w+) \u2014 \1\b/i;

// Praise, intent and boilerplate: a statement about an action rather than a development.
const RHETORIC =
  /\b(?:massive success|(?:great|huge|tremendous|historic|incredible) (?:success|victory|achievement)|proud|grateful|thank(?:s| you)|we (?:will|are going to) continue|continue to (?:stand|support|work)|remain(?:s)? committed|committed to|unwavering|ironclad|I want to|let me|number one|as we said|nothing can distract)\b/i;

// A partisan scorecard line ("BIDEN: Allowed the Houthis … - TRUMP: Launched …"): a comparison made to
// persuade, not a report of what happened.
const SCORECARD = /\b[A-Z]{3,}:\s.+\s[-\u2013\u2014]\s+[A-Z]{3,}:\s/;

/** How much each concept of a plan weighs: its inverse document frequency over passages. */
export function conceptWeights(index: SearchIndex, plan: QueryPlan): number[] {
  const n = index.passageArticle.length;
  // A phrase stands in for its words (they are not concepts of their own): it weighs as the name it is.
  return plan.concepts.map((c) => bm25Idf(n, conceptPostings(index, c).ids.length));
}

/** Which concepts appear in a run of tokens. */
export function conceptsIn(index: SearchIndex, plan: QueryPlan, text: string): boolean[] {
  return conceptsInTokens(index, plan, tokenize(text));
}

/** {@link conceptsIn} for text already tokenised (`ids`: the tokens' term ids, where known). */
function conceptsInTokens(
  index: SearchIndex,
  plan: QueryPlan,
  toks: readonly Token[],
  ids: readonly number[] = toks.map((t) => index.vocabulary.get(t.term) ?? -1),
): boolean[] {
  const topics = new Set(index.matcher.match(toks).map((m) => m.topic));
  const words = new Set(ids);
  let keys: string[] | undefined;
  return plan.concepts.map((c) => {
    if (c.kind === 'word')
      return (
        words.has(c.term) ||
        c.alternates.some((t) => words.has(t)) ||
        (c.expansion !== undefined && containsSequence(ids, c.expansion))
      );
    if (c.kind === 'topic') return topics.has(c.topic);
    if (containsSequence(ids, c.terms)) return true;
    // A name written another way ("Mohamed al-Halbousi" for "Mohammed al-Halbusi") is the same name.
    keys ??= toks.map((t) => nameKey(t.term));
    return containsSequence(
      keys,
      c.terms.map((t) => nameKey(index.termText[t]!)),
    );
  });
}

/** A word of a name as its transliteration key, or as written when too short to carry one. */
function nameKey(term: string): string {
  return term.length >= 4 ? `~${skeleton(term)}` : term;
}

function containsSequence<T>(ids: readonly T[], seq: readonly T[]): boolean {
  outer: for (let i = 0; i + seq.length <= ids.length; i++) {
    for (let k = 0; k < seq.length; k++) if (ids[i + k] !== seq[k]) continue outer;
    return true;
  }
  return false;
}

export function share(present: readonly boolean[], weights: readonly number[]): number {
  let total = 0;
  let got = 0;
  weights.forEach((w, i) => {
    total += w;
    if (present[i]) got += w;
  });
  return total === 0 ? 0 : got / total;
}

/** The citable sentences of the given passages, each with its coverage of the plan. */
export function candidateSentences(
  index: SearchIndex,
  plan: QueryPlan,
  weights: readonly number[],
  passages: readonly { passage: number; score: number }[],
): CandidateSentence[] {
  const out: CandidateSentence[] = [];
  const titleShares = new Map<number, number>();
  const voices = new Map<string, boolean[]>();
  const names = plan.concepts.flatMap((c, i) => (c.kind !== 'word' || c.name ? [i] : []));
  const voicePresence = (publisher: string | null, speaker: Speaker | undefined): boolean[] => {
    const named = speaker === undefined || speaker.role === 'reporter' ? undefined : speakerLine(speaker);
    const key = `${publisher ?? ''}\n${named ?? ''}`;
    let present = voices.get(key);
    if (present === undefined) {
      present = conceptsIn(index, plan, key);
      voices.set(key, present);
    }
    return present;
  };
  for (const { passage, score } of passages) {
    const article = index.passageArticle[passage]!;
    const text = index.articles[article]!.text;
    const read = indexedSentences(index, passage);
    // What the article's title names carries over, at half weight, to its sentences: a digest headed
    // "Tower 22 drone attack" is about Tower 22 even where its sentence says "a U.S. base in Jordan".
    let fromTitle = titleShares.get(article);
    if (fromTitle === undefined) {
      fromTitle = share(conceptsIn(index, plan, index.articles[article]!.title), weights) / 2;
      titleShares.set(article, fromTitle);
    }
    // In a transcript, the question an answer responds to says what the answer is about: "Q: … Tower 22?
    // / MR. KIRBY: We will respond …". Its share carries over, at half weight, to the answer's sentences.
    const question = questionAnswered(index, passage);
    const fromQuestion = question === '' ? 0 : share(conceptsIn(index, plan, question), weights) / 2;
    const context = Math.max(fromTitle, fromQuestion);
    for (let s = index.passageFirstSentence[passage]!; s < index.passageLastSentence[passage]!; s++) {
      // A reporter's question and an over-long run-on are context for retrieval, never a quote.
      if (sentenceFlags(index, s) !== 0) continue;
      const sentence = { start: index.sentenceStart[s]!, end: index.sentenceEnd[s]! };
      const body = text.slice(sentence.start, sentence.end);
      const known = read?.[s - index.passageFirstSentence[passage]!];
      const toks = known?.toks ?? tokenize(body);
      // Who says it is part of what a sentence says: Kirby's answer holds "Kirby" of "according to
      // Kirby", and a White House release holds "the White House" of "did the White House say".
      const speaker = sentenceSpeaker(index, s);
      const voice = voicePresence(index.articles[article]!.publisher, speaker);
      const present = conceptsInTokens(index, plan, toks, known?.ids).map(
        (held, i) => held || voice[i] === true,
      );
      const own = share(present, weights);
      out.push({
        article,
        passage,
        start: sentence.start,
        end: sentence.end,
        terms: new Set(toks.map((t) => t.term).filter((t) => !isStopWord(t))),
        coverage: Math.max(context, own),
        ownCoverage: own,
        day: itemDay(body) ?? index.passageDay[passage]!,
        event: isEvent(body),
        dependent: DEPENDENT.test(body),
        ...(leansOnPrevious(body) ? { leadStart: leadSentence(index, text, passage, s, speaker) } : {}),
        passageScore: score,
        question: /\?["')]*$/.test(body),
        fragment: !isWholeSentence(body),
        spoken: SPOKEN.test(body) || RHETORIC.test(body) || SCORECARD.test(body),
        speaker,
        voiced: plan.speakers?.some((i) => present[i] === true) ?? false,
        allNames: names.every((i) => present[i] === true),
      });
    }
  }
  return out;
}

/**
 * The tokens of each sentence of `passage`, their terms read from the index's term stream rather than
 * normalised again word by word (the build scanned the same sentences, in order, into that stream).
 * Undefined where the stream does not line up with the text; the caller then tokenises.
 */
export function indexedSentences(
  index: SearchIndex,
  passage: number,
): { toks: Token[]; ids: number[] }[] | undefined {
  const text = index.articles[index.passageArticle[passage]!]!.text;
  const stream = passageTerms(index, passage);
  const out: { toks: Token[]; ids: number[] }[] = [];
  let k = 0;
  for (let s = index.passageFirstSentence[passage]!; s < index.passageLastSentence[passage]!; s++) {
    const from = index.sentenceStart[s]!;
    const toks: Token[] = [];
    const ids: number[] = [];
    scanTokens(text, from, index.sentenceEnd[s]!, (start, end, flags) => {
      const id = k < stream.length ? stream.ids[k]! : -1;
      k++;
      const term = index.termText[id] ?? '';
      const upper = (flags & UPPER) !== 0;
      toks.push({
        term,
        start: start - from,
        end: end - from,
        capital: (flags & CAPITAL) !== 0,
        upper,
        stemmed: upper && stemmedCapitals(text.slice(start, end), term),
      });
      ids.push(id);
    });
    out.push({ toks, ids });
  }
  return k === stream.length ? out : undefined;
}

/**
 * The chosen sentences as bullets are quoted: a sentence that leans on the one before it is quoted with it
 * ("Two militias say they will hand their weapons to the government. However, Kataib Hezbollah … will keep
 * theirs."), for alone it answers what the reader was not shown; where that sentence was chosen too, the
 * two are one bullet, in the place of the first. Selection is unchanged: only what a bullet quotes.
 */
export function withLeads(chosen: readonly CandidateSentence[]): CandidateSentence[] {
  const out: CandidateSentence[] = [];
  for (const c of chosen) {
    const quoted = c.leadStart === undefined ? c : { ...c, start: c.leadStart };
    const k = out.findIndex((d) => overlapping(d, quoted));
    if (k < 0) {
      out.push(quoted);
      continue;
    }
    const d = out[k]!;
    const start = Math.min(d.start, quoted.start);
    const end = Math.max(d.end, quoted.end);
    if (end - start <= MAX_BULLET_CHARS) out[k] = { ...d, start, end };
    else if (!out.some((e) => overlapping(e, c))) out.push(c);
  }
  return out;
}

function overlapping(a: CandidateSentence, b: CandidateSentence): boolean {
  return a.article === b.article && a.start < b.end && b.start < a.end;
}

/** Two chosen quotes that run into each other are one bullet only up to this length. */
const MAX_BULLET_CHARS = 500;

/** Words the sentence before must have to be quoted as what a sentence leans on. */
const MIN_LEAD_WORDS = 5;

/** A sentence and the one it leans on are quoted together only up to this length (a bullet, not a paragraph). */
const MAX_JOINED_CHARS = 400;

/**
 * Where the sentence a dependent sentence `s` leans on starts, when it can be quoted with it: the
 * sentence before, in the same passage, line and turn, itself citable, and short enough together.
 */
function leadSentence(
  index: SearchIndex,
  text: string,
  passage: number,
  s: number,
  speaker: Speaker | undefined,
): number | undefined {
  const before = s - 1;
  if (before < index.passageFirstSentence[passage]! || sentenceFlags(index, before) !== 0) return undefined;
  // A line break ends a story: a digest's next line is another one, whatever its first word.
  if (text.slice(index.sentenceEnd[before]!, index.sentenceStart[s]!).includes('\n')) return undefined;
  const said = sentenceSpeaker(index, before);
  if (said?.name !== speaker?.name || said?.role !== speaker?.role) return undefined;
  const start = index.sentenceStart[before]!;
  // A few words ("Yeah.", "Policy.", "Just one last thing.") are no context, only filler before it.
  if (text.slice(start, index.sentenceEnd[before]!).split(/\s+/).length < MIN_LEAD_WORDS) return undefined;
  return index.sentenceEnd[s]! - start <= MAX_JOINED_CHARS ? start : undefined;
}

/** Sentences of an official's answer walked back over to find the question it follows. */
const MAX_ANSWER_SENTENCES = 60;
/** Sentences of a reporter's question kept as the answer's context. */
const MAX_QUESTION_SENTENCES = 8;

/**
 * In a transcript, the reporter's question a passage answers: the passage's own question, or, where the
 * passage opens inside an official's answer, the question that answer follows (a long answer runs over
 * several passages, and only the first holds "Q: … Tower 22?"). Empty outside transcripts.
 */
export function questionAnswered(index: SearchIndex, passage: number): string {
  const text = index.articles[index.passageArticle[passage]!]!.text;
  const first = index.passageFirstSentence[passage]!;
  const speaks = (s: number) => index.sentenceInfo[s]! >>> 2 !== 0;
  const quote = (s: number) => text.slice(index.sentenceStart[s]!, index.sentenceEnd[s]!);
  const asked = reporterSentences(index, passage);
  if (asked.length === 0 && !speaks(first)) return '';
  // Walk back over the answer (and the official's asides) to the question before it; a short follow-up
  // ("If you would take that one, please.") keeps the question before it as the real one.
  const opening = index.passageFirstSentence[index.articlePassageStart[index.passageArticle[passage]!]!]!;
  let s = first - 1;
  for (let round = 0; round < 2 && wordsIn(asked) < FOLLOW_UP_WORDS; round++) {
    const stop = s - MAX_ANSWER_SENTENCES;
    while (s >= opening && s > stop && speaks(s) && !isReporter(index, s)) s--;
    const question: string[] = [];
    while (s >= opening && question.length < MAX_QUESTION_SENTENCES && isReporter(index, s))
      question.unshift(quote(s--));
    if (question.length === 0) break;
    asked.unshift(...question);
  }
  return asked.join(' ');
}

/** A reporter's turn shorter than this is a follow-up within an exchange, not a question of its own. */
const FOLLOW_UP_WORDS = 12;

function wordsIn(sentences: readonly string[]): number {
  let n = 0;
  for (const s of sentences) n += s.split(/\s+/).filter((w) => w !== '').length;
  return n;
}

/** Passages of an official's answer read after the reporter's question they follow. */
const MAX_ANSWER_PASSAGES = 4;
/** Their score, as a share of the question's: retrieved by another passage's words, they rank below it. */
const ANSWER_SCORE = 0.5;

/**
 * The retrieved passages with, after each one that holds a reporter's question, the passages of the
 * official's answer that follow it: "Can you confirm that Naim Qassem moved to Tehran?" is retrieved by
 * its words, and "I don't have anything on Nasrallah's deputy going to Tehran" shares almost none.
 */
export function withAnswers<P extends { passage: number; score: number }>(
  index: SearchIndex,
  passages: readonly P[],
): { passage: number; score: number }[] {
  const seen = new Set(passages.map((p) => p.passage));
  const out: { passage: number; score: number }[] = [];
  for (const p of passages) {
    out.push(p);
    if (!holdsQuestion(index, p.passage)) continue;
    const article = index.passageArticle[p.passage]!;
    // A question can run over a passage or two before the answer starts; the next question ends it.
    // A passage that holds its question and the start of the answer (an exchange) has been answered.
    let answered = !endsAsking(index, p.passage);
    for (let next = p.passage + 1; next <= p.passage + MAX_ANSWER_PASSAGES; next++) {
      if (next >= index.passageArticle.length || index.passageArticle[next] !== article) break;
      if ((answered && asksAnew(index, next)) || questionAnswered(index, next) === '') break;
      answered ||= !asksAnew(index, next);
      if (seen.has(next)) continue;
      seen.add(next);
      out.push({ passage: next, score: p.score * ANSWER_SCORE });
    }
  }
  return out;
}

function isReporter(index: SearchIndex, sentence: number): boolean {
  return (sentenceFlags(index, sentence) & SENTENCE_REPORTER) !== 0;
}

/** A passage's own reporter sentences (its question, or a premise), as text. */
function reporterSentences(index: SearchIndex, passage: number): string[] {
  const text = index.articles[index.passageArticle[passage]!]!.text;
  const asked: string[] = [];
  for (let s = index.passageFirstSentence[passage]!; s < index.passageLastSentence[passage]!; s++)
    if (isReporter(index, s)) asked.push(text.slice(index.sentenceStart[s]!, index.sentenceEnd[s]!));
  return asked;
}

/** Whether a passage holds a reporter's question of its own, more than a follow-up. */
function asksAnew(index: SearchIndex, passage: number): boolean {
  return wordsIn(reporterSentences(index, passage)) >= FOLLOW_UP_WORDS;
}

/** Whether a passage's last sentence is a reporter's: its question is still waiting for the answer. */
function endsAsking(index: SearchIndex, passage: number): boolean {
  return isReporter(index, index.passageLastSentence[passage]! - 1);
}

function holdsQuestion(index: SearchIndex, passage: number): boolean {
  return reporterSentences(index, passage).length > 0;
}

/** One key per sentence of the corpus, to tell a sentence already chosen from a new one. */
export function sentenceKey(c: Pick<CandidateSentence, 'article' | 'start'>): string {
  return `${c.article}:${c.start}`;
}

/** Jaccard similarity of two term sets. */
export function similarity(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let common = 0;
  for (const t of a) if (b.has(t)) common++;
  return common / (a.size + b.size - common);
}

const ITEM_DATE = /^(?:(?:early|mid|late)[- ])?[A-Z][a-z]{2,8}\.? (?:\d{1,2}, )?\d{4}\s*[:\u2013\u2014-]/;

/** The date a timeline item opens with ("March 2023:", "January 26, 2024 —"), as a day number. */
export function itemDay(sentence: string): number | undefined {
  const head = ITEM_DATE.exec(sentence);
  if (head === null) return undefined;
  const [time] = findTimeExpressions(head[0]);
  return time === undefined || time.start > 0 ? undefined : time.window.from;
}

// What reported developments are made of: an act, in any tense a news line uses.
const EVENT_VERB =
  /\b(?:kill|attack|strike|struck|launch|seiz|captur|sign|announc|designat|sanction|withdr[ae]w|deploy|fire[sd]?\b|shoot|shot|claim|arrest|detain|die[sd]?\b|dead|injur|wound|bomb|hit|target|agree|declar|elect|chos|choos|appoint|resign|releas|raid|invad|hijack|sink|sank|sunk|intercept|assassinat|execut|clash|captur|retak|advanc|evacuat|ban|impos|lift|suspend|resum|open|clos|meet|met\b|visit|vote|pass|approv|reject|condemn|accus|confirm|report)\w*/i;
const DEPENDENT =
  /^(?:however|but|and|also|meanwhile|instead|still|yet|nevertheless|moreover|furthermore|this|these|that|those|it|its|they|their|he|his|she|her|there)\b/i;
// A second line of a story: "Three people are also killed…", "Rebel forces later begin…".
const CONTINUES = /^(?:\S+\s+){1,4}(?:also|later|too)\b/i;
// An event named as already told: "The strikes were carried out…", "…claims responsibility for the attack."
const TOLD_EVENT = String.raw`the\s+(?:attacks?|strikes?|airstrikes?|bombings?|blasts?|explosions?|raids?|shooting|incident|operation|assault|ambush)`;
const OPENS_TOLD = new RegExp(
  `^${TOLD_EVENT}\\s+(?:was|were|is|are|has|have|had|came|comes|follows?|followed)\\b`,
  'i',
);
const ENDS_TOLD = new RegExp(`\\b(?:for|in|of|after|behind)\\s+${TOLD_EVENT}[.!"')]*$`, 'i');

/**
 * Whether a sentence leans on the one before it, so that it reads badly alone: it opens with a link word
 * or a pronoun, continues a story ("also", "later"), or names an event already told ("the attack").
 */
function leansOnPrevious(sentence: string): boolean {
  return (
    DEPENDENT.test(sentence) ||
    CONTINUES.test(sentence) ||
    OPENS_TOLD.test(sentence) ||
    ENDS_TOLD.test(sentence)
  );
}
// A view, a promise or talk about talk, told in the first or second person.
const NOT_EVENT = /^(?:we|i|you|they're|it's|let|our|this is|that's|there's|so|and|but|look|well|thank)\b/i;

/** Whether a sentence reports a development (see {@link CandidateSentence.event}). */
export function isEvent(sentence: string): boolean {
  return !NOT_EVENT.test(sentence) && EVENT_VERB.test(sentence) && !/\?["')]*$/.test(sentence);
}

const EVENT_WORD = new RegExp(`^${EVENT_VERB.source}$`, 'i');

/** Whether one word, as written, names an act a news line reports ("killed", "chosen", "signs"). */
export function isEventWord(word: string): boolean {
  return EVENT_WORD.test(word);
}
