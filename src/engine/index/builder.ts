/**
 * The per-article work of indexing, shared by a full build and an extension: an {@link IndexBuilder}
 * lays out and tokenises articles one at a time and collects what they add (passages, sentences,
 * speakers, new terms, their term streams, topic mentions, name counts) as a {@link Segment}. A full
 * build starts from nothing; an extension starts from an index in service, so that every id it gives
 * (term, passage, sentence, article, speaker) continues where that index stops, exactly as a full build
 * over the old articles followed by the new ones would have given it (see `append.ts`).
 */
import type { Article } from '../corpus/article.ts';
import { dayNumber } from '../dates.ts';
import { NameCounter } from './discover.ts';
import { type ChunkOptions, layoutArticle } from './passages.ts';
import { SpanTable, scanTokens, UPPER } from './scan.ts';
import type { PassageArray, SearchIndex } from './shape.ts';
import type { Speaker } from './speakers.ts';
import { MAX_TF, type Postings, TermStream } from './stream.ts';
import { isStopWord, normaliseTerm, stemmedCapitals, type TokenRun, tokenize } from './tokenize.ts';
import { type AliasMatcher, STEMMED } from './topics.ts';
import { resized, trimmed } from './typed.ts';

export class GrowableU32 {
  data: Uint32Array;
  length = 0;
  constructor(capacity = 1 << 16) {
    this.data = new Uint32Array(Math.max(16, capacity));
  }
  push(v: number): void {
    if (this.length === this.data.length) this.resize(this.data.length * 2);
    this.data[this.length++] = v;
  }
  /** Makes room for `capacity` values in all, at once. */
  reserve(capacity: number): void {
    if (capacity > this.data.length) this.resize(capacity);
  }
  private resize(capacity: number): void {
    this.data = resized(this.data, capacity, this.length);
  }
  /** The contents; a view (no copy) when little of the buffer would go unused. */
  toArray(): Uint32Array {
    return trimmed(this.data, this.length);
  }
}

/** The tokens of the article being indexed, reused from one article to the next. */
class ArticleTokens implements TokenRun {
  ids = new Uint32Array(4096);
  starts = new Uint32Array(4096);
  ends = new Uint32Array(4096);
  flags = new Uint8Array(4096);
  /** Alias-term id of each token (see {@link AliasMatcher.aliasTerm}). */
  alias = new Int32Array(4096);
  length = 0;

  push(id: number, start: number, end: number, flags: number, alias: number): void {
    if (this.length === this.ids.length) this.grow();
    const i = this.length++;
    this.ids[i] = id;
    this.starts[i] = start;
    this.ends[i] = end;
    this.flags[i] = flags;
    this.alias[i] = alias;
  }

  private grow(): void {
    const size = this.ids.length * 2;
    this.ids = resized(this.ids, size);
    this.starts = resized(this.starts, size);
    this.ends = resized(this.ends, size);
    this.flags = resized(this.flags, size);
    this.alias = resized(this.alias, size);
  }
}

/** Mentions of one curated topic found in the articles of a segment (passage ids are global). */
export interface SegmentMentions {
  passages: number[];
  counts: number[];
  /** Articles (global ids) whose title names the topic. */
  titleArticles: Set<number>;
  /** Articles of the segment that mention the topic anywhere. */
  articles: number;
}

/**
 * What the articles given to an {@link IndexBuilder} add to the index it started from. Passage, sentence,
 * article, speaker and term ids are global; documents of `body` and `title` count from 0 in the segment.
 */
export interface Segment
  // The whole vocabulary (the starting index's terms, then new ones) and name counts once it is added.
  extends Pick<SearchIndex, PassageArray | 'vocabulary' | 'termText' | 'names'> {
  articles: readonly Article[];
  /** Speakers first seen in the segment. */
  speakers: Speaker[];
  /** First passage (global) of each article of the segment; one entry per article, no closing one. */
  articlePassageStart: Uint32Array;
  body: { tokens: Uint8Array; tokenStart: Uint32Array; lengths: Uint32Array; postings: Postings };
  title: { lengths: Uint32Array; postings: Postings };
  mentions: SegmentMentions[];
  /** Newest article date of the segment (day number), or -Infinity with no article. */
  newestDay: number;
}

/** Marks a base term whose alias and stop-word flags have not been looked up yet. */
const UNKNOWN = 2;

/**
 * Indexes articles one at a time ({@link add}), then hands over what they add ({@link finish}). With a
 * `base` index, ids continue after that index's; the base is only read, never changed.
 */
export class IndexBuilder {
  private readonly baseTerms: number;
  private readonly baseArticles: number;
  private readonly basePassages: number;
  private readonly baseSentences: number;
  // The whole vocabulary, the base's copied: the extended index needs its own copy anyway (the base's
  // stays in service, unchanged, until the swap).
  private readonly vocabulary: Map<string, number>;
  private readonly termText: string[];
  /** The id of a term, given now when it is new. */
  private readonly termId: (t: string) => number;
  /** Whether a term id is a stop word's. */
  private readonly isStop: (id: number) => boolean;
  /** Per term id: 1 for a stop word, 0 for another, UNKNOWN for a base term not looked up yet. */
  private readonly stopFlags: () => Uint8Array;
  // Raw word → term id without a substring per word: the hot path of the build.
  private readonly spans = new SpanTable();
  private readonly passageStart = new GrowableU32();
  private readonly passageEnd = new GrowableU32();
  private readonly passageFirstSentence = new GrowableU32();
  private readonly passageLastSentence = new GrowableU32();
  private readonly sentenceStart = new GrowableU32();
  private readonly sentenceEnd = new GrowableU32();
  private readonly sentenceInfo = new GrowableU32();
  private readonly passageArticle = new GrowableU32();
  private readonly speakers: Speaker[] = [];
  private readonly speakerIds = new Map<string, number>();
  private readonly baseSpeakers: number;
  private readonly body = new TermStream(1 << 20);
  private readonly titles = new TermStream();
  private readonly articles: Article[] = [];
  private readonly articlePassageStart: number[] = [];
  private readonly articleDays: number[] = [];
  private readonly mentions: SegmentMentions[];
  private readonly names: NameCounter;
  /** Context words as term ids, as one flag array per topic. */
  private readonly contextFlags: Uint8Array[];
  private newestDay = Number.NEGATIVE_INFINITY;
  private readonly run = new ArticleTokens();
  /** Makes `text` the article text that {@link visit} reads tokens of. */
  private readonly startText: (text: string) => void;
  private readonly visit: (start: number, end: number, flags: number, hash: number) => void;
  /** Characters of text expected in all, and read so far (see `add`). */
  private readonly characters: number;
  private seen = 0;
  private reserved = false;

  constructor(
    private readonly matcher: AliasMatcher,
    private readonly chunking: ChunkOptions,
    /** Characters of text in all the articles to come; sizes the arrays once. */
    characters: number,
    base?: SearchIndex,
  ) {
    this.characters = characters;
    this.baseTerms = base?.termText.length ?? 0;
    this.vocabulary = new Map(base?.vocabulary);
    this.termText = base?.termText.slice() ?? [];
    this.baseArticles = base?.articles.length ?? 0;
    this.basePassages = base?.passageArticle.length ?? 0;
    this.baseSentences = base?.sentenceStart.length ?? 0;
    this.baseSpeakers = base?.speakers.length ?? 0;
    base?.speakers.forEach((sp, i) => {
      this.speakerIds.set(speakerKey(sp), i);
    });
    this.names = new NameCounter(base?.names);
    // The hot path of the build reads these through closures over locals, as the build did before it
    // became a class: reading them as fields through `this` in `visit` made the build measurably slower.
    const { vocabulary, termText, spans, body, run } = this;
    // Per term id: its alias-term id in the matcher (or -1), and its stop flag.
    let aliasOf = new Int32Array(Math.max(1 << 16, this.baseTerms * 2));
    let stopOf = new Uint8Array(aliasOf.length);
    stopOf.fill(UNKNOWN, 0, this.baseTerms);
    const lookUp = (id: number, t: string): void => {
      aliasOf[id] = matcher.aliasTerm(t);
      stopOf[id] = isStopWord(t) ? 1 : 0;
    };
    const termId = (t: string): number => {
      let id = vocabulary.get(t);
      if (id === undefined) {
        id = termText.length;
        vocabulary.set(t, id);
        termText.push(t);
        if (id === aliasOf.length) {
          aliasOf = resized(aliasOf, id * 2);
          stopOf = resized(stopOf, id * 2);
        }
        lookUp(id, t);
      }
      return id;
    };
    this.termId = termId;
    this.isStop = (id) => {
      if (stopOf[id] === UNKNOWN) lookUp(id, termText[id]!);
      return stopOf[id] === 1;
    };
    this.stopFlags = () => stopOf;
    this.mentions = matcher.definitions.map(() => ({
      passages: [],
      counts: [],
      titleArticles: new Set<number>(),
      articles: 0,
    }));
    // In a full build the context words get the first ids (a word the corpus has not shown yet gets its
    // id now; harmless); the flags are small because those ids are.
    this.contextFlags = matcher.contextTerms.map((set) => {
      const ids = [...set].map((t) => this.termId(t));
      const flags = new Uint8Array(ids.length === 0 ? 0 : Math.max(...ids) + 1);
      for (const id of ids) flags[id] = 1;
      return flags;
    });
    const internRaw = (raw: string): number => termId(normaliseTerm(raw));
    let text = '';
    this.startText = (t) => {
      text = t;
    };
    this.visit = (start, end, flags, hash) => {
      const id = spans.internHashed(text, start, end, hash, internRaw);
      if (stopOf[id] === UNKNOWN) lookUp(id, termText[id]!);
      body.add(id, stopOf[id] === 1);
      const cut = (flags & UPPER) !== 0 && stemmedCapitals(text.slice(start, end), termText[id]!);
      run.push(id, start, end, cut ? flags | STEMMED : flags, aliasOf[id]!);
    };
  }

  /** Indexes the next article. */
  add(article: Article): void {
    const a = this.baseArticles + this.articles.length;
    const run = this.run;
    const { matcher } = this;
    if (!this.reserved && this.seen >= this.characters * 0.02 && this.articles.length >= 20) {
      // The arrays are sized once from the first ~2 % of the text, so they rarely grow and end nearly
      // full: at 100k articles a doubling and a final copy of the ~300 MB token stream would briefly hold
      // three times what it needs. Extrapolate each array's final length, with 3 % to spare.
      const scale = (this.characters * 1.03) / this.seen;
      for (const g of this.growing()) g.reserve(Math.ceil(g.length * scale) + 64);
      this.body.reserve(Math.ceil(this.body.size * scale) + 64);
      this.reserved = true;
    }
    this.seen += article.text.length;
    this.articles.push(article);
    const layout = layoutArticle(article, this.chunking);
    const firstSentence = this.baseSentences + this.sentenceStart.length;
    const speakerId = layout.speakers.map((sp) => {
      const key = speakerKey(sp);
      let id = this.speakerIds.get(key);
      if (id === undefined) {
        id = this.baseSpeakers + this.speakers.length;
        this.speakerIds.set(key, id);
        this.speakers.push(sp);
      }
      return id;
    });
    for (const sentence of layout.sentences) {
      this.sentenceStart.push(sentence.start);
      this.sentenceEnd.push(sentence.end);
      const who = sentence.speaker < 0 ? 0 : speakerId[sentence.speaker]! + 1;
      this.sentenceInfo.push((who << 2) | sentence.flags);
    }
    const day = dayNumber(article.date);
    this.articleDays.push(day);
    this.newestDay = Math.max(this.newestDay, day);
    this.articlePassageStart.push(this.basePassages + this.passageArticle.length);

    const titleToks = tokenize(article.title);
    this.titles.open();
    for (const t of titleToks) {
      const id = this.termId(t.term);
      this.titles.add(id, this.isStop(id));
    }
    // Mentions per topic for this article: [passage, count, acronymOnly] until context is known.
    const pending = new Map<number, { passage: number; count: number; plain: boolean }[]>();
    const note = (topic: number, passage: number, acronym: boolean): void => {
      const list = pending.get(topic) ?? [];
      const last = list.at(-1);
      if (last !== undefined && last.passage === passage) {
        last.count++;
        last.plain ||= !acronym;
      } else list.push({ passage, count: 1, plain: !acronym });
      pending.set(topic, list);
    };
    const titleMatches = matcher.match(titleToks);

    run.length = 0;
    const text = article.text;
    this.startText(text);
    const termText = this.termText;
    for (const span of layout.passages) {
      const p = this.basePassages + this.passageArticle.length;
      this.passageArticle.push(a);
      this.passageStart.push(span.start);
      this.passageEnd.push(span.end);
      this.passageFirstSentence.push(firstSentence + span.firstSentence);
      this.passageLastSentence.push(firstSentence + span.lastSentence);
      this.body.open();
      const passageFrom = run.length;
      for (let s = span.firstSentence; s < span.lastSentence; s++) {
        const sentence = layout.sentences[s]!;
        const sentenceFrom = run.length;
        scanTokens(text, sentence.start, sentence.end, this.visit);
        this.names.addSentence(run, sentenceFrom, run.length, text, termText, a);
      }
      for (const m of matcher.matchIds(run.alias, run.flags, passageFrom, run.length))
        note(m.topic, p, m.acronym);
    }
    // An acronym counts only where the article shows the topic's context (KH next to Iraq, not a missile).
    const hasContext = (topic: number): boolean =>
      (pending.get(topic)?.some((m) => m.plain) ?? false) ||
      titleMatches.some((m) => m.topic === topic && !m.acronym) ||
      mentionsAny(run.ids, run.length, this.contextFlags[topic]!) ||
      titleToks.some((t) => matcher.contextTerms[topic]!.has(t.term));
    for (const [topic, list] of pending) {
      if (!hasContext(topic)) continue;
      const target = this.mentions[topic]!;
      target.articles++;
      for (const m of list) {
        target.passages.push(m.passage);
        target.counts.push(Math.min(m.count, MAX_TF));
      }
    }
    for (const m of titleMatches) {
      if (!m.acronym || hasContext(m.topic)) {
        const target = this.mentions[m.topic]!;
        if (!pending.has(m.topic) && !target.titleArticles.has(a)) target.articles++;
        target.titleArticles.add(a);
      }
    }
  }

  /** Everything the articles added; the builder is spent. */
  finish(): Segment {
    const terms = this.termText.length;
    // Base terms the segment never used may still be UNKNOWN here: the postings read the flags of the
    // segment's own terms only, and those were all looked up as they were met.
    const stop = this.stopFlags().subarray(0, terms);
    const body = this.body.finish(stop, terms);
    const title = this.titles.finish(stop, terms);
    const passageArticle = this.passageArticle.toArray();
    const passageDay = new Int32Array(passageArticle.length);
    passageArticle.forEach((a, p) => {
      passageDay[p] = this.articleDays[a - this.baseArticles]!;
    });
    return {
      articles: this.articles,
      passageArticle,
      passageDay,
      passageStart: this.passageStart.toArray(),
      passageEnd: this.passageEnd.toArray(),
      passageFirstSentence: this.passageFirstSentence.toArray(),
      passageLastSentence: this.passageLastSentence.toArray(),
      sentenceStart: this.sentenceStart.toArray(),
      sentenceEnd: this.sentenceEnd.toArray(),
      sentenceInfo: this.sentenceInfo.toArray(),
      speakers: this.speakers,
      articlePassageStart: Uint32Array.from(this.articlePassageStart),
      vocabulary: this.vocabulary,
      termText: this.termText,
      body,
      title: { lengths: title.lengths, postings: title.postings },
      mentions: this.mentions,
      names: this.names,
      newestDay: this.newestDay,
    };
  }

  private growing(): GrowableU32[] {
    return [
      this.passageStart,
      this.passageEnd,
      this.passageFirstSentence,
      this.passageLastSentence,
      this.sentenceStart,
      this.sentenceEnd,
      this.sentenceInfo,
      this.passageArticle,
    ];
  }
}

export function speakerKey(sp: Speaker): string {
  return JSON.stringify([sp.role, sp.name, sp.title]);
}

/** Whether any of the first `length` term ids is flagged in `flags`. */
function mentionsAny(ids: Uint32Array, length: number, flags: Uint8Array): boolean {
  if (flags.length === 0) return false;
  for (let i = 0; i < length; i++) {
    const id = ids[i]!;
    if (id < flags.length && flags[id] === 1) return true;
  }
  return false;
}
