import { capitalCountry } from './capitals.ts';
import { joinedCompound, splitCompound } from './compounds.ts';
import {
  type DateWindow,
  findTimeExpressions,
  questionWindow,
  relativeTimes,
  type TimeExpression,
} from './dates.ts';
import type { SearchIndex } from './index/build.ts';
import { damerau, nearestTerm } from './index/fuzzy.ts';
import { TITLES } from './index/name-words.ts';
import { conceptPostings, postingCount, termPostings, titlePhraseArticles } from './index/postings.ts';
import { isStopWord, normaliseTerm, type Token, tokenize } from './index/tokenize.ts';
import { spelledOut, spelledOutRuns } from './spelled-out.ts';
import {
  type Correction,
  correctUnknownWords,
  englishForm,
  respellName,
  soundAlikes,
  spell,
  writtenCapitalised,
} from './spelling.ts';
import { escapeRegExp } from './text.ts';

/** One thing a query asks for: a word, a curated topic, or a multi-word name that must appear as written. */
export type Concept =
  | {
      kind: 'word';
      term: number;
      text: string;
      /** Written capitalised where grammar does not ask for it: a name ("Sims"), not "According". */
      name: boolean;
      corrected: boolean;
      alternates: number[];
      /**
       * The same word written out: the name an acronym stands for, as the corpus spells it out ("UNIFIL":
       * "United Nations Interim …"), or a compound's two words ("oilfield": "oil field").
       */
      expansion?: number[];
    }
  | { kind: 'topic'; topic: number; text: string }
  | { kind: 'phrase'; terms: number[]; text: string };

/** A query taken apart: what it asks for, when, and what of it the corpus has never seen. */
export interface QueryPlan {
  text: string;
  concepts: Concept[];
  /** Content words with no match in the corpus, even allowing a typo. */
  unknown: string[];
  /** Capitalised words among {@link unknown}: names the corpus has never seen. */
  unknownNames: string[];
  /**
   * Names the corpus never mentions although their words exist: a multi-word name found nowhere as
   * written ("Khor Mor"), or a curated topic with no mention ("Kata'ib Sayyid al-Shuhada").
   */
  absentNames: string[];
  /** The window named by the question's time expressions ("in January 2024"). */
  window: Required<DateWindow> | undefined;
  times: TimeExpression[];
  /** The question asks for the latest state of things ("current", "latest", "now"). */
  wantsRecent: boolean;
  /** Words read as the corpus spells them ("Haniya" → "Haniyeh"): the answer says so. */
  corrections: Correction[];
  /**
   * The concepts whose statement the question asks for ("did the White House admit …", "according to
   * John Kirby", "how did Biden and Harris react"), as indexes into {@link concepts}: the answer is what
   * they said.
   */
  speakers?: number[];
}

/** Verbs a question frames a statement with ("did the White House admit …"), as index terms. */
export const SPEECH_ACTS = new Set(
  'admit acknowledge concede confirm deny agree disagree according react respond answer reply comment characterize describe explain'
    .split(' ')
    .map(normaliseTerm),
);
// The same verbs as written after a speaker's name, with the common ones the index keeps as stop words;
// whole words only ("agreement", "reactor", "warnings" are not statements).
const SPOKE =
  /^(?:\s+and\s+(?:the\s+)?\p{Lu}[\w'\u2019-]*(?:\s+\p{Lu}[\w'\u2019-]*)*)?\s+(?:\w+ly\s+|not\s+|ever\s+)?(?:admit(?:s|ted|ting)?|acknowledge[sd]?|acknowledging|concede[sd]?|conceding|confirm(?:s|ed|ing)?|den(?:y|ies|ied|ying)|agree[sd]?|agreeing|disagree[sd]?|react(?:s|ed|ing)?|respond(?:s|ed|ing)?|answer(?:s|ed|ing)?|repl(?:y|ies|ied|ying)|comment(?:s|ed|ing)?|characteri[sz](?:e|es|ed|ing)|describ(?:e|es|ed|ing)|explain(?:s|ed|ing)?|say|says|said|tell|tells|told|warn(?:s|ed|ing)?|insist(?:s|ed|ing)?)\b/u;
// What a question asks someone's statement with: "did the White House admit", "how did Biden react",
// "what did Sullivan say" — not "will the US respond to the attack" (an act to come, not a statement).
const ASKS_OF = /\b(?:did|does|do|has|have|had)\s+(?:the\s+)?$/i;
const ACCORDING_TO = /\baccording to\s+(?:the\s+)?$/i;

/**
 * Which of a plan's names the question asks the statement of ({@link QueryPlan.speakers}): the one
 * "according to" names, else those a question frames with a statement verb.
 */
function speakerConcepts(text: string, concepts: readonly Concept[]): number[] {
  const named = (test: (at: number, c: Concept) => boolean) =>
    concepts.flatMap((c, i) => {
      if (c.kind === 'word' && !c.name) return [];
      const at = text.indexOf(c.text);
      return at >= 0 && test(at, c) ? [i] : [];
    });
  const according = named((at) => ACCORDING_TO.test(text.slice(0, at)));
  if (according.length > 0) return according;
  return named((at, c) => {
    if (!SPOKE.test(text.slice(at + c.text.length))) return false;
    // The first of "Biden and Harris" is asked of; the second follows its "and".
    const before = text.slice(0, at);
    return ASKS_OF.test(before) || /\band\s+(?:the\s+)?$/i.test(before);
  });
}

const RECENT = /\b(current(?:ly)?|latest|now|recent(?:ly)?|today|still|as of|so far|any more|anymore)\b/i;
/**
 * Abbreviated titles before a name ("Lt. Gen. Sims", "Sen. Graham", the newsroom's "FM Asad al-Shaybani",
 * "PM Sudani"): sources spell them out or leave them off, so as words they would only ask for the
 * abbreviation, and as part of a name they would make one the corpus never writes.
 */
const HONORIFICS = new Set(
  'lt gen col maj capt cpt sgt cmdr adm gov sen rep amb sec pres dr prof mr mrs ms hon rev brig fm pm sg dg'.split(
    ' ',
  ),
);

// A date that tells when something began ("first declared in 2004", "imposed in 2019").
const ORIGIN =
  /\b(?:declared|imposed|began|begun|started|founded|established|created|introduced|signed|launched|issued|formed|adopted|enacted|chosen|elected|appointed)(?:\s+(?:back\s+)?(?:in|on|since))?\s*$/i;

/**
 * Words a question uses to ask, not to say what it is about ("what happened around the dam", "roughly how
 * many", "when the Houthis went after"): sources rarely repeat them, so as evidence they only mislead.
 */
const FILLER = new Set(
  'around roughly approximately exactly actually really went go goes going due update updates news overview summary status situation'
    .split(' ')
    .map(normaliseTerm),
);

/** Idioms of questions and the word news text uses for them. */
const IDIOMS: [RegExp, string][] = [
  [/\blos(?:e|es|ing|t)\s+(?:his|her|their|its|one's|a)\s+li(?:fe|ves)\b/gi, 'died'],
  [/\bpass(?:ed|es|ing)?\s+away\b/gi, 'died'],
  [/\bst(?:ep|epped|eps|epping)\s+down\b/gi, 'resign'],
  // Phrasal verbs the asker uses for the word sources write.
  [/\bpull(?:s|ed|ing)?\s+out\b/gi, 'withdraw'],
  [/\bpull(?:s|ed|ing)?\s+back\b/gi, 'withdraw'],
  [/\bshut(?:s|ting)?\s+down\b/gi, 'close'],
  [/\bcall(?:s|ed|ing)?\s+off\b/gi, 'cancel'],
  [/\b(?:show(?:s|ed|ing)?|turn(?:s|ed|ing)?)\s+up\s+(?=at\b)/gi, 'attend'],
  [/\b(?:sign(?:s|ed|ing)?|join(?:s|ed|ing)?)\s+up\b/gi, 'join'],
  // Not "took over as leader", "took over from Nasrallah": that is succeeding someone.
  [/\b(?:take|takes|took|taken|taking)\s+over\b(?!\s+(?:as|from)\b)/gi, 'seize'],
  [/\bset(?:s|ting)?\s+aside\b/gi, 'allocate'],
  [/\b(?:shut|close)(?:s|d|ting|ing)?\s+(?:its|their|the)\s+doors\b/gi, 'ban'],
];

// An event that dates a question: "after Assad fell", "since the fall of Assad", "before Soleimani was killed".
const DATING_EVENT =
  /\b(?:after|since|before|following|until)\s+(?:(?:the\s+)?(?:fall|death|ouster|killing|overthrow|collapse)\s+of\s+(?:the\s+)?\p{Lu}[\w'\u2019-]*(?:\s+\p{Lu}[\w'\u2019-]*)*(?:\s+regime)?|\p{Lu}[\w'\u2019-]*(?:\s+\p{Lu}[\w'\u2019-]*)*\s+(?:fell|died|was\s+(?:killed|ousted|toppled|overthrown)|took\s+(?:power|office)))/gu;

const NOW_PHRASES =
  /\b(?:these days|nowadays|right now|at the moment|at present|as of (?:now|today|the latest reports?)|(?:the )?latest (?:reports?|news|on)|so far|latest|currently|recently|now|still|any ?more|any longer)\b/gi;
/**
 * Present-tense questions about a role or a status ask for the state of things now: "Who is the leader
 * of Hezbollah?", "Who leads …", "Is the ceasefire holding?", "Does … control …".
 */
const PRESENT_STATE =
  /^(?:(?:have|has)\s+(?!the\s+(?:us|u\.s\.|united states)\s+ever)|who\s+(?:is|are|leads|heads|runs|commands|controls)\b|what\s+is\s+the\s+(?:status|state|situation)\b|(?:is|are)\s+(?:the\s+)?[\w' -]+?\s+(?:holding|in\s+(?:force|effect|place|power|control)|under|operating|open|closed|active)\b|(?:does|do)\s+[\w' -]+?\s+(?:still\s+)?(?:control|hold|lead|run|operate)\b)/i;

/**
 * Analyses free text (a question, or a topic's words) against the index's vocabulary and topics. Words
 * and names the corpus does not hold as typed are first respelled as the corpus spells them.
 */
export function planQuery(index: SearchIndex, text: string): QueryPlan {
  const spelled = correctUnknownWords(index, text);
  let plan = planText(index, spelled.text);
  const corrections = [...spelled.corrections];
  let fixed = spelled.text;
  const typed = new Map(spelled.corrections.map((c) => [c.to, c.from]));
  for (const name of plan.absentNames) {
    const respelled = respellName(
      index,
      name,
      (terms) => conceptPostings(index, { kind: 'phrase', terms }).ids.length > 0,
      typed,
    );
    if (respelled === undefined || !fixed.includes(name)) continue;
    fixed = fixed.replace(name, respelled.to);
    corrections.push(...respelled.corrections);
  }
  // A word the corpus lacks behind an Arabic article ("al-Hol") is read as a sound-alike the corpus writes
  // behind it ("al-Hawl"): alone, a short word sounds like too many others to be read as one of them.
  for (const word of plan.unknown) {
    const m = new RegExp(`\\b(${ARABIC_ARTICLES})[-\\s]${escapeRegExp(word)}\\b`, 'i').exec(fixed);
    const article = m === null ? undefined : index.vocabulary.get(normaliseTerm(m[1]!));
    if (article === undefined) continue;
    const found = soundAlikes(index, normaliseTerm(word), 3, true).find(
      (id) => conceptPostings(index, { kind: 'phrase', terms: [article, id] }).ids.length > 0,
    );
    if (found === undefined) continue;
    const to = spell(index.termText[found]!, word);
    fixed = fixed.slice(0, m!.index) + m![0].replace(word, to) + fixed.slice(m!.index + m![0].length);
    corrections.push({ from: word, to });
  }
  if (fixed !== spelled.text) plan = planText(index, fixed);
  const read = collapse(corrections);
  const word = (w: string) => new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(w)}(?![\\p{L}\\p{N}])`, 'u');
  // A name the corpus lacks is quoted as the user typed it: "Tarek Bitar", not the respelling that was
  // tried for it ("Track Biter"); a respelling that only made such a name was no reading of the question.
  const typedAs = (name: string) => read.reduce((n, c) => n.split(word(c.to)).join(c.from), name);
  return {
    ...plan,
    absentNames: plan.absentNames.map(typedAs),
    unknownNames: plan.unknownNames.map(typedAs),
    corrections: read.filter((c) => !plan.absentNames.some((n) => word(c.to).test(n))),
  };
}

/** The Arabic article as names carry it in Latin script ("al-Hol", "el-Mandeb", "ash-Sham"). */
const ARABIC_ARTICLES = 'al|el|ad|an|ar|as|ash|at|az|ul|ud';

// Where a sentence opens, and with it a capital that grammar asks for: the text's start, or after ".?!:".
const SENTENCE_OPENS = /(?:^|[.?!:;])[\s"'\u201c\u2018(]*$/;

function planText(index: SearchIndex, text: string): QueryPlan {
  // Dates named outright, and times named relative to now ("in the last month"), now being the newest
  // news the index holds: a corpus that ends before today answers of its own last month.
  const named = findTimeExpressions(text);
  const times = [...named, ...relativeTimes(text, index.newestDay, named)].sort((a, b) => a.start - b.start);
  // Time expressions become a window, not words: "January" and "2024" would otherwise match anything.
  let rest = text;
  for (const t of times) rest = rest.slice(0, t.start) + ' '.repeat(t.end - t.start) + rest.slice(t.end);
  // "These days", "as of the latest reports", "still": they ask for the newest evidence; as words they
  // match noise ("still" weighs as much as a rare name, and sources reporting a state rarely say it).
  rest = rest.replace(NOW_PHRASES, (m) => ' '.repeat(m.length));
  // Idioms are read as the word sources use: "lose his life" is "died" (padded, so offsets hold).
  for (const [idiom, word] of IDIOMS) rest = rest.replace(idiom, (m) => word.padEnd(m.length));
  // "After Assad fell (December 8-10, 2024)": an event named only to date the question, which its dates
  // already do. Its name is not what the question is about: the evidence need not repeat it. An event
  // dated itself ("after the January 2020 killing of Soleimani") is what the question counts from.
  rest = rest.replace(DATING_EVENT, (m, at: number) =>
    times.some((t) => t.start < at || t.start >= at + m.length) &&
    !times.some((t) => t.start >= at && t.start < at + m.length)
      ? ' '.repeat(m.length)
      : m,
  );
  const tokens = tokenize(rest);
  const covered = new Uint8Array(tokens.length);
  const concepts: Concept[] = [];
  const seenTopics = new Set<number>();
  for (const m of index.matcher.match(tokens)) {
    covered.fill(1, m.start, m.start + m.length);
    if (seenTopics.has(m.topic)) continue;
    seenTopics.add(m.topic);
    concepts.push({
      kind: 'topic',
      topic: m.topic,
      text: spanText(rest, tokens, m.start, m.start + m.length),
    });
  }

  const unknown: string[] = [];
  const unknownNames: string[] = [];
  const resolved = tokens.map((tok, i): number | undefined => {
    if (covered[i] === 1 || isStopWord(tok.term)) return index.vocabulary.get(tok.term);
    const direct = index.vocabulary.get(tok.term);
    if (direct !== undefined && documentFrequency(index, direct) > 0) return direct;
    if (englishForm(rest.slice(tok.start, tok.end), rest)) return undefined;
    // An acronym the corpus lacks is not a typo of some other word ("IRIB" is not "URIB").
    const near =
      tok.term.length >= 4 && !/\d/.test(tok.term) && !tok.upper ? nearestTerm(index, tok.term) : undefined;
    return near;
  });
  // A name the question spells out that the corpus writes as an acronym ("authorizations for use of
  // military force": AUMF) is that acronym, or the words as spelled out.
  for (const run of spelledOutRuns(index, tokens, covered, rest)) {
    covered.fill(1, run.from, run.to);
    concepts.push({
      kind: 'word',
      term: run.term,
      text: spanText(rest, tokens, run.from, run.to),
      name: true,
      corrected: false,
      alternates: [],
      ...(run.spelled === undefined ? {} : { expansion: run.spelled }),
    });
  }
  // A multi-word name found as written replaces its words (they would count it two or three times);
  // one found nowhere is a name the corpus lacks, and its words stay as a fallback.
  const absentNames: string[] = [];
  for (const run of nameRuns(index, tokens, covered, rest)) {
    // A title before a name ("Ambassador Mike Huckabee") is how the asker introduces the person: unless
    // the corpus holds the whole run, only the name's own words are read as one ("Ambassador Mike" is
    // another ambassador's first name), and a title with one word is no name the corpus must hold.
    let titled = 0;
    while (
      titled < run.length &&
      isTitleWord(rest.slice(tokens[run[titled]!]!.start, tokens[run[titled]!]!.end))
    )
      titled++;
    const name = run.slice(titled);
    const found =
      titled === 0
        ? bestPhrase(index, run, resolved, tokens)
        : (bestPhrase(index, run, resolved, tokens, run.length) ?? bestPhrase(index, name, resolved, tokens));
    if (found === undefined) {
      // The name without its title is what the corpus lacks, and what is respelled ("FM Asad al-Shaybani":
      // "Asaad al-Shaibani" is written after "foreign minister", never after "FM").
      if (name.filter((k) => !isStopWord(tokens[k]!.term)).length >= 2)
        absentNames.push(spanText(rest, tokens, name[0]!, name.at(-1)! + 1));
      continue;
    }
    concepts.push({ kind: 'phrase', terms: found.ids, text: spanText(rest, tokens, found.from, found.to) });
    covered.fill(1, found.from, found.to);
  }
  for (const c of concepts) {
    if (c.kind === 'topic' && index.topicMentions[c.topic]!.articleCount === 0) absentNames.push(c.text);
  }

  const seenWords = new Set(concepts.flatMap((c) => (c.kind === 'word' ? [c.term] : [])));
  const askedTerms = new Set(tokens.map((t) => t.term));
  tokens.forEach((tok, i) => {
    if (covered[i] === 1 || isStopWord(tok.term) || HONORIFICS.has(tok.term) || FILLER.has(tok.term)) return;
    const term = resolved[i];
    const raw = rest.slice(tok.start, tok.end);
    const name = tok.capital && (tok.upper || !SENTENCE_OPENS.test(rest.slice(0, tok.start)));
    // Two words the corpus mostly writes as one ("cease fire", "cease-fire": "ceasefire") are that word.
    const next = tokens[i + 1];
    const together =
      next !== undefined && covered[i + 1] === 0 && /^[ -]$/.test(rest.slice(tok.end, next.start))
        ? joinedCompound(index, raw, rest.slice(next.start, next.end))
        : undefined;
    if (together !== undefined) {
      covered[i + 1] = 1;
      if (seenWords.has(together.term)) return;
      seenWords.add(together.term);
      const typed = rest.slice(tok.start, next!.end);
      concepts.push({
        kind: 'word',
        term: together.term,
        text: typed,
        name: false,
        corrected: false,
        alternates: [
          ...(index.synonyms.get(together.term) ?? []),
          ...wordForms(index, together.term, true, typed.replace(/[ -]/, '')),
        ],
        ...(together.apart === undefined ? {} : { expansion: together.apart }),
      });
      return;
    }
    // A compound the corpus mostly writes as two words ("oilfield": "oil field") is those words too; one
    // the corpus never writes is only those words.
    const apart = splitCompound(index, raw);
    if (apart !== undefined && (term === undefined || index.termText[term] !== tok.term)) {
      concepts.push({ kind: 'phrase', terms: apart, text: raw });
      return;
    }
    if (term === undefined) {
      // An English word the corpus never uses ("strayed") is the asker's wording of the relation, which
      // sources word their own way: not a missing subject that no passage could hold.
      if (englishForm(raw, rest)) return;
      unknown.push(raw);
      if (name) unknownNames.push(raw);
      return;
    }
    if (seenWords.has(term)) return;
    seenWords.add(term);
    // An acronym is also the name it stands for: sources write "UNIFIL" or spell it out.
    const expansion = apart ?? (/^[A-Z]{3,9}$/.test(raw) ? spelledOut(index, term, raw) : undefined);
    concepts.push({
      kind: 'word',
      term,
      text: raw,
      name,
      corrected: index.termText[term] !== tok.term,
      alternates: [
        ...(index.synonyms.get(term) ?? []),
        // A demonym is its place: "Qatari tankers" are the tankers "from Qatar".
        ...(demonymPlace(index, raw) ?? []),
        // A capital that acts is its country: "did Islamabad outlaw" is what "Pakistan designates".
        ...(capitalCountry(index, raw, rest.slice(0, tok.start), askedTerms) ?? []),
        ...(name ? [] : wordForms(index, term, !writtenAsName(index, term), raw.toLowerCase())),
      ],
      ...(expansion === undefined ? {} : { expansion }),
    });
  });

  const speakers = speakerConcepts(rest, concepts);
  const wantsRecent =
    RECENT.test(text) ||
    NOW_PHRASES.test(text) ||
    PRESENT_STATE.test(text.trim()) ||
    times.some((t) => t.relative === true);
  // A question about how things stand now is not bounded by the date that describes its subject: "is
  // Washington still renewing the emergency first declared in 2004?" asks about now, not 2004.
  const bounding = wantsRecent ? times.filter((t) => !ORIGIN.test(text.slice(0, t.start))) : times;
  return {
    text,
    concepts,
    ...(speakers.length === 0 ? {} : { speakers }),
    unknown,
    unknownNames,
    absentNames,
    window: questionWindow(bounding),
    times: bounding,
    wantsRecent,
    corrections: [],
  };
}

/**
 * The longest part of a name run (two or more real words) that occurs in the corpus as written:
 * "US Rewards for Justice" falls back to "Rewards for Justice". Undefined when no part occurs.
 */
function bestPhrase(
  index: SearchIndex,
  run: readonly number[],
  resolved: readonly (number | undefined)[],
  tokens: readonly Token[],
  shortest = 2,
): { ids: number[]; from: number; to: number } | undefined {
  for (let length = run.length; length >= shortest; length--) {
    for (let start = 0; start + length <= run.length; start++) {
      const part = run.slice(start, start + length);
      if (part.filter((k) => !isStopWord(tokens[k]!.term)).length < 2) continue;
      if (isStopWord(tokens[part[0]!]!.term) || isStopWord(tokens[part.at(-1)!]!.term)) continue;
      const ids = part.map((k) => resolved[k]);
      if (ids.some((id) => id === undefined)) continue;
      const concept: Concept = { kind: 'phrase', terms: ids as number[], text: '' };
      // Written in a passage, or only as a heading ("Twelve-Day War" in digests' titles): the whole name
      // as written, before a shorter part that names something else ("Day War" of the Six-Day War).
      if (
        conceptPostings(index, concept).ids.length > 0 ||
        titlePhraseArticles(index, ids as number[]).length > 0
      )
        return { ids: ids as number[], from: part[0]!, to: part.at(-1)! + 1 };
    }
  }
  return undefined;
}

/** A title or honorific before a name, or a stop word among them ("Secretary of", "Lt. Gen."). */
function isTitleWord(raw: string): boolean {
  const word = raw.toLowerCase().replace(/\.$/, '');
  return TITLES.has(word) || HONORIFICS.has(word) || isStopWord(normaliseTerm(word));
}

/** Passages (or titles) containing a term. */
export function documentFrequency(index: SearchIndex, term: number): number {
  return postingCount(index.body, term) + postingCount(index.title, term);
}

function spanText(text: string, tokens: readonly Token[], from: number, to: number): string {
  return text.slice(tokens[from]!.start, tokens[to - 1]!.end);
}

/**
 * Multi-word names in a query ("Arab News", "Rewards for Justice", "Tower 22") not already a topic:
 * runs of capitalised words, joined by short connectors or followed by a number, of two words or more.
 */
function nameRuns(
  index: SearchIndex,
  tokens: readonly Token[],
  covered: Uint8Array,
  text: string,
): number[][] {
  const runs: number[][] = [];
  const joined = (a: Token, b: Token): boolean => /^[ -]$/.test(text.slice(a.end, b.start));
  let i = 0;
  while (i < tokens.length) {
    if (!tokens[i]!.capital || covered[i] === 1) {
      i++;
      continue;
    }
    const run = [i];
    let j = i + 1;
    while (j < tokens.length && covered[j] === 0 && joined(tokens[j - 1]!, tokens[j]!)) {
      const t = tokens[j]!;
      if (t.capital || /^\d+$/.test(t.term)) run.push(j++);
      else if (
        /^(?:of|for|al|el|bin|ibn|de)$/.test(t.term) &&
        tokens[j + 1]?.capital === true &&
        covered[j + 1] === 0 &&
        joined(t, tokens[j + 1]!)
      ) {
        run.push(j, j + 1);
        j += 2;
      } else break;
    }
    // The first word of a question is capitalised by grammar; a run must still have two real name words.
    const start = i === 0 && isStopWord(tokens[0]!.term) ? 1 : 0;
    const words = run.slice(start);
    // Demonyms before a word describe it ("Pakistani Shia fighters", "Qatari LNG tankers"): they make no
    // name of it, and the run is read by its words ("Qatari LNG" whole would miss "LNG … from Qatar"). A
    // name needs two words past its demonyms.
    let described = 0;
    while (
      described < words.length &&
      demonymPlace(index, text.slice(tokens[words[described]!]!.start, tokens[words[described]!]!.end)) !==
        undefined
    )
      described++;
    if (words.slice(described).filter((k) => !isStopWord(tokens[k]!.term)).length >= 2) runs.push(words);
    i = j;
  }
  return runs;
}

// How a demonym is made from its place's name: Pakistan-i, Qatar-i, Iran-ian, Syria-n, Sudan-ese, Kurd-ish,
// Leban(on)-ese.
const DEMONYM_ENDINGS: readonly [string, string][] = [
  ['i', ''],
  ['ian', ''],
  ['n', ''],
  ['ese', ''],
  ['ese', 'on'],
  ['ish', ''],
];

/**
 * The place a capitalised word is the demonym of ("Pakistani" → Pakistan, "Qatari" → Qatar), as a term:
 * the word less a demonym ending is a name the corpus writes capitalised, at least half as often as the
 * word itself ("Saudi" is no demonym of the rare "Saud").
 */
export function demonymPlace(index: SearchIndex, raw: string): number[] | undefined {
  if (!/^\p{Lu}[a-z]+$/u.test(raw)) return undefined;
  const word = raw.toLowerCase();
  const own = index.vocabulary.get(normaliseTerm(raw));
  const uses = own === undefined ? 0 : postingCount(index.body, own);
  for (const [ending, added] of DEMONYM_ENDINGS) {
    if (!word.endsWith(ending) || word.length - ending.length < 4) continue;
    const place = index.vocabulary.get(normaliseTerm(word.slice(0, -ending.length) + added));
    if (place === undefined || place === own) continue;
    const f = postingCount(index.body, place);
    if (f > 0 && 2 * f >= uses && writtenCapitalised(index, place)) return [place];
  }
  return undefined;
}

/** Corrections from what was typed to what was finally read ("Haider" → "Hader" → "Haidar" is one). */
function collapse(corrections: readonly Correction[]): Correction[] {
  const out: Correction[] = [];
  for (const c of corrections) {
    const earlier = out.find((o) => o.to === c.from);
    if (earlier !== undefined) earlier.to = c.to;
    else out.push({ ...c });
  }
  return out.filter((c) => c.from !== c.to);
}

const sortedTerms = new WeakMap<SearchIndex, string[]>();

/**
 * Whether the corpus writes a word as a name, with a capital wherever it uses it ("Marib" typed "marib"):
 * its shorter forms are then other names ("Mari", of Mary), not forms of it.
 */
function writtenAsName(index: SearchIndex, term: number): boolean {
  // Uses are at least the passages holding it: with fewer capitalised uses than nine in ten of those, no.
  if (index.names.capitalUses(term) < 0.9 * postingCount(index.body, term)) return false;
  // Its uses in passages (counts capped per passage), against those written with a capital: nearly all.
  const { tfs } = termPostings(index.body, term);
  let uses = 0;
  for (let i = 0; i < tfs.length; i++) uses += tfs[i]!;
  return uses > 0 && index.names.lowerCaseUses(term, uses) <= uses * 0.1;
}

/** Other forms of a plain word used at most (see {@link wordForms}). */
const MAX_WORD_FORMS = 2;

/**
 * Other forms of a plain word the corpus holds, where the stemmer leaves them apart: "coast" and
 * "coastal", "deadly" and "dead", "violence" and "violent". A form is the word with up to three more
 * letters, or (with `cut`) the word cut by up to three letters (never below four). Names are left as typed.
 */
export function wordForms(index: SearchIndex, term: number, cut = true, typed?: string): number[] {
  const word = index.termText[term]!;
  if (word.length < 4 || !/^[a-z]+$/.test(word)) return [];
  let terms = sortedTerms.get(index);
  if (terms === undefined) {
    terms = index.termText.filter((t) => /^[a-z]{4,}$/.test(t)).sort();
    sortedTerms.set(index, terms);
  }
  const forms = new Set<number>();
  const add = (t: string) => {
    const id = index.vocabulary.get(t);
    if (id !== undefined && id !== term && documentFrequency(index, id) > 0 && !isStopWord(t)) forms.add(id);
  };
  // Longer forms: the sorted run of terms that start with the word.
  let lo = 0;
  let hi = terms.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (terms[mid]! < word) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < terms.length && terms[i]!.startsWith(word); i++) {
    // Longer than the stem, but not another word than the one typed: the stemmer cuts "population" to
    // "popul", whose "popular" is no form of it.
    const form = terms[i]!;
    if (form.length - word.length <= 3 && (typed === undefined || damerau(typed, form, 3) <= 3)) add(form);
  }
  // A name's shorter forms are other names ("Mari", of Mary, for "Marib"); its longer ones are its
  // spellings ("Hodeidah" for "Hodeida").
  if (cut) for (let n = word.length - 1; n >= Math.max(4, word.length - 3); n--) add(word.slice(0, n));
  // The closest forms only: each alternate is one more posting list to score, and a stem shared by a
  // dozen words ("state", "statement", "stated") would slow every query that holds it.
  return [...forms]
    .sort((a, b) => {
      const d = (id: number) => Math.abs(index.termText[id]!.length - word.length);
      return d(a) - d(b) || documentFrequency(index, a) - documentFrequency(index, b);
    })
    .slice(0, MAX_WORD_FORMS);
}
