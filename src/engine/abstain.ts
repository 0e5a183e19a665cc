import { type DateWindow, isoFromDay, MONTH_NAMES } from './dates.ts';
import { type SearchIndex, sentenceFlags, sentenceSpeaker } from './index/build.ts';
import { TITLES } from './index/name-words.ts';
import { bm25Idf, passageTerms, postingCount } from './index/postings.ts';
import { speakerLine } from './index/speakers.ts';
import { normaliseTerm, tokenize } from './index/tokenize.ts';
import { type Concept, demonymPlace, type QueryPlan, SPEECH_ACTS } from './query.ts';
import type { RetrieveFilters, ScoredPassage } from './retrieve.ts';
import { writtenCapitalised } from './spelling.ts';
import { type AnswerType, expectedAnswers, holdsAnswer, PASSAGE_FACTS } from './summarize/answer-type.ts';
import { conceptsIn, questionAnswered, share } from './summarize/evidence.ts';

/**
 * Abstention: whether the corpus can answer a question at all, decided before anything is quoted. A user
 * must never get an answer stitched from passages that merely share the question's words.
 */

/** How abstention reads the evidence. */
export interface AbstentionOptions {
  /** Share of a question's weight one passage must hold before the engine answers. @default 0.5 */
  minEvidence: number;
  /**
   * The same for questions of three concepts or fewer. @default 0.75 — a short question is mostly its
   * specific ask: "population of Mosul" is not answered by "Mosul".
   */
  minEvidenceShort: number;
  /**
   * Weight of a question's plain (not capitalised) word against a name. @default 0.5 — names are written
   * as the question writes them; the words of the relation are the source's own.
   */
  plainWordWeight: number;
  /** Days after a question's window that still count as inside it. @default 10 — reports trail events. */
  windowLagDays: number;
  /** Retrieved passages read for evidence. @default 20 — past these, matches are incidental. */
  passagesRead: number;
  /**
   * Retrieved passages read further, when none of the first answers, for ones that answer on their own.
   * @default 40 — ranking favours passages that repeat the question's words; an official's answer inside
   * a long reply ranks lower, but counts (and may be quoted) only if it alone holds the evidence needed.
   */
  passagesSearched: number;
}

export const DEFAULT_ABSTENTION: AbstentionOptions = {
  minEvidence: 0.5,
  minEvidenceShort: 0.75,
  plainWordWeight: 0.5,
  windowLagDays: 10,
  passagesRead: 20,
  passagesSearched: 40,
};

/**
 * Why the corpus cannot answer a query (`refusal`), or else the retrieved passages that name what it is
 * about (`anchored`): the only ones an answer may quote.
 */
export function judge(
  index: SearchIndex,
  plan: QueryPlan,
  weights: readonly number[],
  passages: readonly ScoredPassage[],
  filters: RetrieveFilters,
  options: AbstentionOptions = DEFAULT_ABSTENTION,
): { refusal: string } | { refusal: undefined; anchored: ScoredPassage[] } {
  const refuse = (refusal: string) => ({ refusal });
  if (plan.absentNames.length > 0) return refuse(`The corpus never mentions ${quoteList(plan.absentNames)}.`);
  const never =
    plan.unknownNames.length > 0 ? ` The corpus never mentions ${quoteList(plan.unknownNames)}.` : '';
  if (plan.concepts.length === 0) return refuse(`Nothing in the corpus matches "${plan.text}".${never}`);
  // A question about a time the corpus does not reach has no evidence, whatever its words match.
  const window = plan.window;
  if (window !== undefined && window.from > index.newestDay)
    return refuse(
      `The corpus ends on ${isoFromDay(index.newestDay)}; nothing in it covers ${plan.times.map((t) => `"${plan.text.slice(t.start, t.end)}"`).join(', ')}.`,
    );
  // A short question is mostly its specific ask: with three concepts or fewer, one missing is too many.
  const needed = plan.concepts.length <= 3 ? options.minEvidenceShort : options.minEvidence;
  const { best, anchored } = evidence(index, plan, weights, passages, needed, options);
  if (best < needed)
    return refuse(
      `No passage in the corpus answers this${dated(filters)}.${never}${relativeNote(index, plan)}`,
    );
  return { refusal: undefined, anchored };
}

/**
 * The largest share of the question's weight that one retrieved passage (with its title) holds. Words the
 * corpus has never seen weigh as much as its rarest word and are never present: a question about
 * something absent cannot be answered by the passages that share its other words.
 */
function evidence(
  index: SearchIndex,
  plan: QueryPlan,
  weights: readonly number[],
  passages: readonly ScoredPassage[],
  needed: number,
  options: AbstentionOptions,
): { best: number; anchored: ScoredPassage[] } {
  const missing = plan.unknown.length * bm25Idf(index.passageArticle.length, 1);
  // Names (topics, phrases, capitalised words) are what a question is about, and sources write them as
  // the question does; its plain words ("running", "enforcing", "folded into") are how the asker put
  // the relation, which each source words its own way: they count for less.
  // The place a question sets its event in ("the tanker Marlin Luanda off Yemen") says where, not what:
  // sources name the spot ("in the Gulf of Aden") as often as the country. Where the question names
  // something more specific, a passage without the place misses only a plain word's weight.
  const specific = Math.max(
    0,
    ...plan.concepts.map((c, i) => (c.kind !== 'word' || c.name ? weights[i]! : 0)),
  );
  const setting = (i: number): boolean => {
    const c = plan.concepts[i]!;
    if (c.kind !== 'topic' || index.matcher.definitions[c.topic]?.kind !== 'place') return false;
    const at = plan.text.indexOf(c.text);
    return at > 0 && LOCATIVE.test(plan.text.slice(0, at)) && weights[i]! < specific;
  };
  const settings = plan.concepts.flatMap((_, i) => (setting(i) ? [i] : []));
  const types = expectedAnswers(plan.text);
  // "Who is running X": the answer type asks for X's leader, whom sources name by office ("Secretary-
  // General of X"), not by the asker's verb.
  const leading = types.some((t) => t === 'leader' || t === 'current-leader');
  const all = [
    ...weights.map((w, i) => {
      const c = plan.concepts[i]!;
      if (c.kind !== 'word' || c.name) return w;
      const term = index.termText[c.term]!;
      // The verb a question frames a statement with ("did the White House admit …") is not evidence:
      // the answer is the statement, which rarely repeats the verb the asker chose for it.
      return SPEECH_ACTS.has(term) || (leading && LEADING_VERBS.has(term)) ? 0 : w * options.plainWordWeight;
    }),
    missing,
  ];
  // The passage must name what the question is most specifically about (its rarest topic or name):
  // "soldiers killed in a drone attack" elsewhere does not answer a question about Tower 22.
  const anchor = heaviest(plan, weights, (c) => c.kind !== 'word');
  // A name whose office the question asks about ("Kuwait's emir", "Pakistan's army chief") is whose
  // act it is: the emir of no other country, another country's National Assembly, is no answer. (Other
  // possessives describe: "China's state-owned shipping giant" is reported as COSCO.)
  const owners = plan.concepts.flatMap((c, i) => {
    if (c.kind === 'word' && !c.name) return [];
    const at = plan.text.indexOf(c.text);
    if (at < 0) return [];
    const after = plan.text.slice(at + c.text.length);
    const owned = /['’]s$/.test(c.text) ? after : /^['’]s\b/.test(after) ? after.slice(2) : undefined;
    const office = owned
      ?.trim()
      .split(/\s+/)
      .slice(0, 2)
      .some((w) => OFFICES.has(w.toLowerCase()));
    return office === true ? [i] : [];
  });
  const asked = new Set(tokenize(plan.text).map((t) => t.term));
  let best = 0;
  const anchored: ScoredPassage[] = [];
  // Passages past the ones read that answer on their own, with the share they hold.
  const further: { scored: ScoredPassage; held: number }[] = [];
  for (const [rank, scored] of passages.slice(0, options.passagesSearched).entries()) {
    const deep = rank >= options.passagesRead;
    const a = index.passageArticle[scored.passage]!;
    const article = index.articles[a]!;
    const own = article.text.slice(index.passageStart[scored.passage], index.passageEnd[scored.passage]);
    // Who is speaking is part of what a passage says: "according to John Kirby", "did the White House say".
    const voices = [article.publisher ?? '', ...speakersOf(index, scored.passage)].join('\n');
    // An answer is about what it was asked: "Q: … Tower 22? / MR. KIRBY: We will respond …".
    const question = questionAnswered(index, scored.passage);
    const read = conceptsIn(index, plan, `${article.title}\n${voices}\n${question}\n${own}`);
    // A story is often told over passages: a digest line split one sentence a passage, an attack told in
    // one answer and the commander named in the next. The passages next to this one in its article lend
    // it the question's words they hold where they go on with its story (share rare enough names, see
    // STORY_NAME_SHARE): the next line of a digest is most often another story.
    const first = index.articlePassageStart[a]!;
    const last = index.articlePassageStart[a + 1]! - 1;
    const names = namesWritten(index, scored.passage);
    const story = bm25Idf(index.passageArticle.length, index.passageArticle.length / STORY_NAME_SHARE);
    const nearby = [scored.passage - 1, scored.passage + 1]
      .filter((p) => p >= first && p <= last)
      .filter((p) => {
        let weight = 0;
        for (const [name, idf] of namesWritten(index, p)) if (names.has(name)) weight += idf;
        return weight >= story;
      })
      .map((p) => article.text.slice(index.passageStart[p], index.passageEnd[p]))
      .join('\n');
    const lent = nearby === '' ? read : conceptsIn(index, plan, nearby);
    const present = read.map((v, i) => v || lent[i]!);
    if (anchor >= 0 && !present[anchor]) continue;
    if (
      owners.some((i) => !present[i] && !byDemonym(index, plan.concepts[i]!.text, `${article.title}\n${own}`))
    )
      continue;
    if (!deep) anchored.push(scored);
    // A question bounded in time is answered by evidence from that time: dated in its window (reports
    // trail events by a few days) or naming it ("On January 26, 2024, …" in a later fact sheet).
    const day = index.passageDay[scored.passage]!;
    if (
      plan.window !== undefined &&
      !inWindow(day, plan.window, options.windowLagDays) &&
      !namesTime(own, plan)
    )
      continue;
    // The fact asked for must be in a sentence of the passage that is about the question's subject, not
    // in the title (which lists a briefing's speakers) nor in a neighbouring story.
    if (types.length > 0 && !typedSentence(index, plan, weights, anchor, scored.passage, types, asked))
      continue;
    const weighed = settings.some((i) => !present[i])
      ? all.map((w, i) => (settings.includes(i) && !present[i] ? w * options.plainWordWeight : w))
      : all;
    const held = share([...present, false], weighed);
    if (!deep) best = Math.max(best, held);
    else if (held >= needed) further.push({ scored, held });
  }
  // Past the passages read, only one that answers on its own is evidence (and quotable), and only where
  // none of the first does: an answer found high up is not crowded by later ones.
  if (best >= needed || further.length === 0) return { best, anchored };
  return {
    best: Math.max(...further.map((f) => f.held)),
    anchored: [...anchored, ...further.map((f) => f.scored)],
  };
}

/**
 * The specific names a text holds, as index terms with their rarity (BM25 idf): words the corpus writes capitalised, found in fewer than
 * one passage in {@link SPECIFIC_NAME_SHARE} ("Tahrir", "Aoun"; not "President", "Israel").
 */
function namesWritten(index: SearchIndex, passage: number): Map<number, number> {
  const names = new Map<number, number>();
  const passages = index.passageArticle.length;
  const { ids, length } = passageTerms(index, passage);
  for (let i = 0; i < length; i++) {
    const id = ids[i]!;
    if (names.has(id)) continue;
    const df = postingCount(index.body, id);
    if (df > 0 && df < passages / SPECIFIC_NAME_SHARE && writtenCapitalised(index, id))
      names.set(id, bm25Idf(passages, df));
  }
  return names;
}

/**
 * How rare the names a neighbouring passage shares must be, together, to go on with a story: as rare as one
 * name in one passage in this many — one very rare name ("Aoun") or two specific ones ("Tahrir al-Sham");
 * a single common one ("Islamic") may be a passing mention.
 */
const STORY_NAME_SHARE = 1000;

/**
 * Whether `text` names a place by its demonym: "Pakistani Prime Minister Shehbaz Sharif" is Pakistan's
 * prime minister, "Jordanian Foreign Minister Ayman Safadi" Jordan's.
 */
function byDemonym(index: SearchIndex, owner: string, text: string): boolean {
  const place = index.vocabulary.get(normaliseTerm(owner.replace(/['’]s$/, '')));
  if (place === undefined) return false;
  for (const [word] of text.matchAll(/\b\p{Lu}[a-z]+\b/gu))
    if (demonymPlace(index, word)?.includes(place) === true) return true;
  return false;
}

/** Words of an office a possessive name may hold ("Kuwait's emir", "Hamas's military chief"). */
const OFFICES = new Set([...TITLES, 'chief', 'commander', 'head', 'ruler', 'monarch', 'premier']);

/** See {@link namesWritten}: a name in one passage in a hundred or more is what many stories mention. */
const SPECIFIC_NAME_SHARE = 100;

/** How a question asks who leads (see {@link leading}), as index terms. */
const LEADING_VERBS = new Set(
  [
    'run',
    'running',
    'runs',
    'lead',
    'leads',
    'leading',
    'leader',
    'head',
    'heads',
    'heading',
    'command',
    'commands',
    'charge',
  ].map(normaliseTerm),
);

/** Words that set an event in a place: "off Yemen", "in northern Syria", "near the border". */
const LOCATIVE = /\b(?:in|off|near|at|outside|inside|across|around|over)\s+(?:the\s+)?(?:\w+ern\s+)?$/i;

export function dated(filters: RetrieveFilters): string {
  return `${filters.articles === undefined ? '' : ` ${filters.articles.describe}`}${datedOnly(filters)}`;
}

function datedOnly(filters: RetrieveFilters): string {
  if (filters.since !== undefined && filters.until !== undefined) {
    return ` between ${isoFromDay(filters.since)} and ${isoFromDay(filters.until)}`;
  }
  if (filters.since !== undefined) return ` since ${isoFromDay(filters.since)}`;
  if (filters.until !== undefined) return ` up to ${isoFromDay(filters.until)}`;
  return '';
}

/** For a time named relative to now: which days that was, for the corpus's news ends where it ends. */
function relativeNote(index: SearchIndex, plan: QueryPlan): string {
  const relative = plan.times.filter((t) => t.relative === true);
  if (relative.length === 0 || plan.window === undefined) return '';
  const named = relative.map((t) => `"${plan.text.slice(t.start, t.end)}"`).join(', ');
  return ` ${named} was read as ${isoFromDay(plan.window.from)} to ${isoFromDay(plan.window.to)}: the corpus's newest news is of ${isoFromDay(index.newestDay)}.`;
}

function quoteList(items: readonly string[]): string {
  return items.map((i) => `"${i}"`).join(', ');
}

/**
 * Whether a day falls in a window or the days after it that reports trail by. A question that names a
 * day ("on January 11, 2024") asks about that day's events: the reports of a later day's events are
 * not its evidence, so the trail is as short as the window.
 */
function inWindow(day: number, window: Required<DateWindow>, lagDays: number): boolean {
  const lag = Math.min(lagDays, Math.max(SHORTEST_LAG_DAYS, window.to - window.from));
  return day >= window.from && day <= window.to + lag;
}

/** The trail after a window of a day or two. */
const SHORTEST_LAG_DAYS = 2;

/** Whether a text names one of the question's times: its month and year, or a year it names alone. */
export function namesTime(text: string, plan: QueryPlan): boolean {
  return plan.times.some((t) => {
    // "The last month" is no date a source writes.
    if (t.relative === true || !text.includes(String(t.year))) return false;
    if (t.month === undefined) return true;
    const month = MONTH_NAMES[t.month]!;
    return new RegExp(
      `\\b${month.slice(0, 3)}[a-z]*\\.?\\s+(?:\\d{1,2},?\\s+|of\\s+)?${t.year}\\b|\\b\\d{1,2}\\s+${month}\\s+${t.year}\\b`,
      'i',
    ).test(text);
  });
}

/**
 * Whether one citable sentence of a passage holds every kind of fact asked for (a person's name, a count,
 * an actor, a place) and is about the question's subject: it names the anchor, or the passage does and
 * the sentence is the passage's own (a digest line is one story).
 */
function typedSentence(
  index: SearchIndex,
  plan: QueryPlan,
  weights: readonly number[],
  anchor: number,
  passage: number,
  types: readonly AnswerType[],
  asked: Set<string>,
): boolean {
  const text = index.articles[index.passageArticle[passage]!]!.text;
  const sentences: string[] = [];
  for (let s = index.passageFirstSentence[passage]!; s < index.passageLastSentence[passage]!; s++) {
    if (sentenceFlags(index, s) !== 0) continue;
    sentences.push(text.slice(index.sentenceStart[s]!, index.sentenceEnd[s]!));
  }
  // The fact must be told of the question's subject: in a sentence that names it, or, where the passage
  // (not just its title) names it, in one of the passage's sentences. A sentence naming the question's
  // rarest name is about it too, where the subject is a broader topic the passage leaves to its neighbours:
  // "Our Director of OFAC, Andrea Gacki, was just in UAE …" answers "which OFAC official … Iran sanctions
  // evasion", though only the sentences before it name Iran.
  const rarest = heaviest(plan, weights, (c) => c.kind !== 'word' || c.name === true);
  const about = (sentence: string) => {
    if (anchor < 0) return true;
    const read = conceptsIn(index, plan, sentence);
    return read[anchor] === true || (rarest >= 0 && read[rarest] === true);
  };
  // The sentence right after one naming the subject carries its story on ("A drone attack on Tower 22
  // killed three. The Islamic Resistance in Iraq claimed the attack.").
  const subject = sentences.filter((s, i) => about(s) || (i > 0 && about(sentences[i - 1]!)));
  // A reason is often told apart from the event ("… to deter future attacks" two sentences on), or in an
  // official's answer to a reporter's question about it: it is looked for in the whole anchored passage.
  const holds = (sentence: string, type: AnswerType) => holdsAnswer(index, type, sentence, asked, plan.text);
  const told = types.filter((t) => PASSAGE_FACTS.has(t));
  if (!told.every((type) => sentences.some((sentence) => holds(sentence, type)))) return false;
  const own = types.filter((t) => !PASSAGE_FACTS.has(t));
  return own.length === 0 || subject.some((sentence) => own.every((type) => holds(sentence, type)));
}

/**
 * The heaviest (rarest) of the question's concepts that `kind` keeps, as an index into them (-1: none):
 * its anchor among topics and multi-word names, or its rarest name counting the words the asker
 * capitalised ("OFAC", "CENTCOM").
 */
function heaviest(plan: QueryPlan, weights: readonly number[], kind: (c: Concept) => boolean): number {
  let best = -1;
  plan.concepts.forEach((c, i) => {
    if (kind(c) && (best < 0 || weights[i]! > weights[best]!)) best = i;
  });
  return best;
}

/** The named speakers of a passage's sentences ("John Kirby, NSC Coordinator …"), once each. */
function speakersOf(index: SearchIndex, passage: number): string[] {
  const names = new Set<string>();
  for (let s = index.passageFirstSentence[passage]!; s < index.passageLastSentence[passage]!; s++) {
    const speaker = sentenceSpeaker(index, s);
    if (speaker === undefined || speaker.role === 'reporter') continue;
    const line = speakerLine(speaker);
    if (line !== undefined) names.add(line);
  }
  return [...names];
}
