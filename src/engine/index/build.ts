import type { Article } from '../corpus/article.ts';
import { dayNumber } from '../dates.ts';
import { discoverNames, NameCounter } from './discover.ts';
import { type ChunkOptions, DEFAULT_CHUNKING, layoutArticle } from './passages.ts';
import { SpanTable, scanTokens } from './scan.ts';
import type { Speaker } from './speakers.ts';
import { MAX_TF, type Postings, TermStream } from './stream.ts';
import { isStopWord, normaliseTerm, type TokenRun, tokenize } from './tokenize.ts';
import { AliasMatcher, curatedTopic, type Topic, type TopicDefinition } from './topics.ts';
import { resized, trimmed } from './typed.ts';

export type { Postings } from './stream.ts';

/** Options of {@link buildIndex}. */
export interface IndexOptions {
  /** Passage sizes; default {@link DEFAULT_CHUNKING}. */
  chunking?: ChunkOptions;
  /** A name must appear in this many articles to be listed as a discovered topic. Default 3. */
  discoverMinArticles?: number;
  /** At most this many discovered topics. Default 300. */
  discoverMax?: number;
  /** Groups of words that stand for one another in queries (`data/synonyms.json`). Default none. */
  synonyms?: readonly (readonly string[])[];
}

/** Passages that mention a topic, with how often, as parallel arrays sorted by passage. */
export interface TopicMentions {
  passages: Uint32Array;
  /** Mentions in the passage, saturating at 255. */
  counts: Uint8Array;
  /** Articles whose title names the topic. */
  titleArticles: Set<number>;
  /** Distinct articles that mention the topic anywhere. */
  articleCount: number;
  /** For each article that mentions the topic in its passages, in how many of them. */
  passagesPerArticle: Map<number, number>;
}

/**
 * The search index: passages of every article with BM25 postings over their words, a separate title
 * field, the term stream of each passage (for phrase checks), and topic mentions. Immutable once built;
 * a reload builds a new one and swaps it in.
 */
export interface SearchIndex {
  articles: Article[];
  /** Per passage: its article, and its article's date as a day number. */
  passageArticle: Uint32Array;
  passageDay: Int32Array;
  /** Per passage: character offsets into its article's text. */
  passageStart: Uint32Array;
  passageEnd: Uint32Array;
  /** Per passage: its citable sentences `[passageFirstSentence[p], passageLastSentence[p])`. */
  passageFirstSentence: Uint32Array;
  passageLastSentence: Uint32Array;
  /** Per citable sentence: character offsets into its article's text (flat arrays, not objects: 4M sentences at 100k articles). */
  sentenceStart: Uint32Array;
  sentenceEnd: Uint32Array;
  /**
   * Per citable sentence: its speaker and flags in one number, `(speaker + 1) << 2 | flags` (0 for most
   * sentences); read with {@link sentenceSpeaker} and {@link sentenceFlags}.
   */
  sentenceInfo: Uint32Array;
  /** The speakers of every transcript's turns, shared across articles (a speaker is stored once). */
  speakers: Speaker[];
  /** First passage of each article (length articles + 1). */
  articlePassageStart: Uint32Array;
  /** Words (stop words excluded) per passage and per title, for BM25 length normalisation. */
  passageLength: Uint32Array;
  titleLength: Uint32Array;
  avgPassageLength: number;
  avgTitleLength: number;
  vocabulary: Map<string, number>;
  termText: string[];
  /**
   * Term ids of each passage in order, stop words included, as variable-length bytes (see stream.ts):
   * passage p is `[tokenStart[p], tokenStart[p+1])`, read with `decodeTerms`.
   */
  tokens: Uint8Array;
  tokenStart: Uint32Array;
  body: Postings;
  title: Postings;
  matcher: AliasMatcher;
  /** Curated topics first (same order as the definitions), then discovered ones. */
  topics: Topic[];
  /** Mentions of each curated topic, indexed like {@link SearchIndex.topics}. */
  topicMentions: TopicMentions[];
  /** Newest article date as a day number (recency is measured from it, not from the wall clock). */
  newestDay: number;
  /** For a term, the other terms of its synonym groups that occur in the corpus. */
  synonyms: Map<number, number[]>;
}

export function passageCount(index: SearchIndex): number {
  return index.passageArticle.length;
}

class GrowableU32 {
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

export function buildIndex(
  articles: Article[],
  definitions: readonly TopicDefinition[],
  options: IndexOptions = {},
): SearchIndex {
  const chunking = options.chunking ?? DEFAULT_CHUNKING;
  const matcher = new AliasMatcher(definitions);
  const vocabulary = new Map<string, number>();
  const termText: string[] = [];
  // Per term id: its alias-term id in the matcher (or -1), and 1 for a stop word.
  let aliasOf = new Int32Array(1 << 16);
  let stopOf = new Uint8Array(1 << 16);
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
      aliasOf[id] = matcher.aliasTerm(t);
      stopOf[id] = isStopWord(t) ? 1 : 0;
    }
    return id;
  };

  // Raw word → term id without a substring per word: the hot path of the build.
  const spans = new SpanTable();
  const internRaw = (raw: string): number => termId(normaliseTerm(raw));
  const passageStart = new GrowableU32();
  const passageEnd = new GrowableU32();
  const passageFirstSentence = new GrowableU32();
  const passageLastSentence = new GrowableU32();
  const sentenceStart = new GrowableU32();
  const sentenceEnd = new GrowableU32();
  const sentenceInfo = new GrowableU32();
  const speakers: Speaker[] = [];
  const speakerIds = new Map<string, number>();
  // The arrays are sized once from the first ~2 % of the text (see `reserve` below), so they rarely grow
  // and end nearly full: at 100k articles a doubling and a final copy of the ~300 MB token stream would
  // briefly hold three times what it needs.
  let characters = 0;
  for (const a of articles) characters += a.text.length;
  const body = new TermStream(1 << 20);
  const titles = new TermStream();
  const passageArticle = new GrowableU32();
  const articlePassageStart = new Uint32Array(articles.length + 1);
  const mentionLists = definitions.map(() => ({
    passages: [] as number[],
    counts: [] as number[],
    articles: 0,
  }));
  const titleMentionSets = definitions.map(() => new Set<number>());
  const names = new NameCounter();
  // Context words as term ids (a word the corpus has not shown yet gets its id now; harmless), as one
  // flag array per topic: the ids are all given now, so they are small.
  const contextFlags = matcher.contextTerms.map((set) => {
    const ids = [...set].map(termId);
    const flags = new Uint8Array(ids.length === 0 ? 0 : Math.max(...ids) + 1);
    for (const id of ids) flags[id] = 1;
    return flags;
  });
  let newestDay = Number.NEGATIVE_INFINITY;
  // The article being indexed and its tokens; `visit` (one function for the whole build) records each token.
  const run = new ArticleTokens();
  let text = '';
  const visit = (start: number, end: number, flags: number, hash: number): void => {
    const id = spans.internHashed(text, start, end, hash, internRaw);
    body.add(id, stopOf[id] === 1);
    run.push(id, start, end, flags, aliasOf[id]!);
  };

  const growing = [
    passageStart,
    passageEnd,
    passageFirstSentence,
    passageLastSentence,
    sentenceStart,
    sentenceEnd,
    sentenceInfo,
    passageArticle,
  ];
  let seen = 0;
  let reserved = false;

  articles.forEach((article, a) => {
    if (!reserved && seen >= characters * 0.02 && a >= 20) {
      // Extrapolate each array's final length from the text read so far, with 3 % to spare.
      for (const g of growing) g.reserve(Math.ceil((g.length * characters * 1.03) / seen) + 64);
      body.reserve(Math.ceil((body.size * characters * 1.03) / seen) + 64);
      reserved = true;
    }
    seen += article.text.length;
    const layout = layoutArticle(article, chunking);
    const firstSentence = sentenceStart.length;
    const speakerId = layout.speakers.map((sp) => {
      const key = JSON.stringify([sp.role, sp.name, sp.title]);
      let id = speakerIds.get(key);
      if (id === undefined) {
        id = speakers.length;
        speakerIds.set(key, id);
        speakers.push(sp);
      }
      return id;
    });
    for (const sentence of layout.sentences) {
      sentenceStart.push(sentence.start);
      sentenceEnd.push(sentence.end);
      const who = sentence.speaker < 0 ? 0 : speakerId[sentence.speaker]! + 1;
      sentenceInfo.push((who << 2) | sentence.flags);
    }
    newestDay = Math.max(newestDay, dayNumber(article.date));
    articlePassageStart[a] = passageArticle.length;

    const titleToks = tokenize(article.title);
    titles.open();
    for (const t of titleToks) {
      const id = termId(t.term);
      titles.add(id, stopOf[id] === 1);
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
    text = article.text;
    for (const span of layout.passages) {
      const p = passageArticle.length;
      passageArticle.push(a);
      passageStart.push(span.start);
      passageEnd.push(span.end);
      passageFirstSentence.push(firstSentence + span.firstSentence);
      passageLastSentence.push(firstSentence + span.lastSentence);
      body.open();
      const passageFrom = run.length;
      for (let s = span.firstSentence; s < span.lastSentence; s++) {
        const sentence = layout.sentences[s]!;
        const sentenceFrom = run.length;
        scanTokens(text, sentence.start, sentence.end, visit);
        names.addSentence(run, sentenceFrom, run.length, text, termText, a);
      }
      for (const m of matcher.matchIds(run.alias, run.flags, passageFrom, run.length))
        note(m.topic, p, m.acronym);
    }
    // An acronym counts only where the article shows the topic's context (KH next to Iraq, not a missile).
    const hasContext = (topic: number): boolean =>
      (pending.get(topic)?.some((m) => m.plain) ?? false) ||
      titleMatches.some((m) => m.topic === topic && !m.acronym) ||
      mentionsAny(run.ids, run.length, contextFlags[topic]!) ||
      titleToks.some((t) => matcher.contextTerms[topic]!.has(t.term));
    for (const [topic, list] of pending) {
      if (!hasContext(topic)) continue;
      const target = mentionLists[topic]!;
      target.articles++;
      for (const m of list) {
        target.passages.push(m.passage);
        target.counts.push(Math.min(m.count, MAX_TF));
      }
    }
    for (const m of titleMatches) {
      if (!m.acronym || hasContext(m.topic)) {
        if (!pending.has(m.topic) && !titleMentionSets[m.topic]!.has(a)) mentionLists[m.topic]!.articles++;
        titleMentionSets[m.topic]!.add(a);
      }
    }
  });
  articlePassageStart[articles.length] = passageArticle.length;

  const stop = stopOf.subarray(0, termText.length);
  const passages = body.finish(stop, termText.length);
  const title = titles.finish(stop, termText.length);

  const articleOf = passageArticle.toArray();
  const topicMentions: TopicMentions[] = mentionLists.map((m, i) => {
    const passagesPerArticle = new Map<number, number>();
    for (const p of m.passages)
      passagesPerArticle.set(articleOf[p]!, (passagesPerArticle.get(articleOf[p]!) ?? 0) + 1);
    return {
      passages: Uint32Array.from(m.passages),
      counts: Uint8Array.from(m.counts),
      titleArticles: titleMentionSets[i]!,
      articleCount: m.articles,
      passagesPerArticle,
    };
  });
  const curated = definitions.map((d, i) => curatedTopic(d, topicMentions[i]!.articleCount));
  const discovered = discoverNames(
    names,
    matcher,
    (term) => {
      const id = vocabulary.get(term);
      return id === undefined ? 0 : names.lowerCaseUses(id, totalUses(passages.postings, id));
    },
    {
      minArticles: options.discoverMinArticles ?? 3,
      max: options.discoverMax ?? 300,
      taken: new Set(curated.map((t) => t.slug)),
    },
  );
  const passageDay = new Int32Array(passageArticle.length);
  const passageArticleArray = articleOf;
  const articleDays = articles.map((a) => dayNumber(a.date));
  passageArticleArray.forEach((a, p) => {
    passageDay[p] = articleDays[a]!;
  });

  return {
    articles,
    passageStart: passageStart.toArray(),
    passageEnd: passageEnd.toArray(),
    passageFirstSentence: passageFirstSentence.toArray(),
    passageLastSentence: passageLastSentence.toArray(),
    sentenceStart: sentenceStart.toArray(),
    sentenceEnd: sentenceEnd.toArray(),
    sentenceInfo: sentenceInfo.toArray(),
    speakers,
    passageArticle: passageArticleArray,
    passageDay,
    articlePassageStart,
    passageLength: passages.lengths,
    titleLength: title.lengths,
    avgPassageLength: mean(passages.lengths),
    avgTitleLength: mean(title.lengths),
    vocabulary,
    termText,
    tokens: passages.tokens,
    tokenStart: passages.tokenStart,
    body: passages.postings,
    title: title.postings,
    matcher,
    topics: [...curated, ...discovered],
    topicMentions,
    newestDay: Number.isFinite(newestDay) ? newestDay : 0,
    synonyms: synonymMap(options.synonyms ?? [], vocabulary),
  };
}

/** Term ids of each synonym group member, mapped to the other members' ids (stems shared within a group merge). */
export function synonymMap(
  groups: readonly (readonly string[])[],
  vocabulary: Map<string, number>,
): Map<number, number[]> {
  const map = new Map<number, number[]>();
  for (const group of groups) {
    const ids = [
      ...new Set(group.map((w) => vocabulary.get(normaliseTerm(w))).filter((id) => id !== undefined)),
    ];
    for (const id of ids) {
      const others = new Set(map.get(id) ?? []);
      for (const other of ids) if (other !== id) others.add(other);
      map.set(id, [...others]);
    }
  }
  return map;
}

/** How often a term occurs in all passages (0 for a term not in the vocabulary). */
function totalUses(postings: Postings, term: number | undefined): number {
  if (term === undefined) return 0;
  let n = 0;
  for (let i = postings.start[term]!; i < postings.start[term + 1]!; i++) n += postings.tfs[i]!;
  return n;
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

function mean(values: Uint32Array): number {
  if (values.length === 0) return 1;
  let sum = 0;
  for (const v of values) sum += v;
  return Math.max(1, sum / values.length);
}

/** The speaker of a citable sentence, if the document names one. */
export function sentenceSpeaker(index: SearchIndex, sentence: number): Speaker | undefined {
  const who = index.sentenceInfo[sentence]! >>> 2;
  return who === 0 ? undefined : index.speakers[who - 1];
}

/** The flags of a citable sentence (`SENTENCE_REPORTER`, `SENTENCE_TOO_LONG` of passages.ts). */
export function sentenceFlags(index: SearchIndex, sentence: number): number {
  return index.sentenceInfo[sentence]! & 3;
}
