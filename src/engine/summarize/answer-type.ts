import type { SearchIndex } from '../index/build.ts';
import { TITLES } from '../index/name-words.ts';
import { isStopWord, normaliseTerm, type Token, tokenize } from '../index/tokenize.ts';
import { demonymPlace } from '../query.ts';
import { askedCounted, countsOther } from './counted-noun.ts';
import { afterLocative, askedRole, deniesRole, nearRole, officeOf } from './person-role.ts';
import { askedActs, askedFacts, type ToldFact, tellsFact } from './told-facts.ts';

/**
 * What kind of fact a question asks for, where its wording says so. A passage that shares the
 * question's names and places but not this kind of fact does not answer it: "What were the names of
 * the three soldiers killed at Tower 22?" is not answered by "three soldiers were killed at Tower 22".
 */
export type AnswerType =
  | 'person'
  | 'leader'
  | 'current-leader'
  | 'count'
  | 'actor'
  | 'blamed'
  | 'place'
  | ToldFact;

/** Who leads something: the answer names a person in a leading role ("Secretary-General … Naim Qassem"). */
const LEADER =
  /\bwho\s+(?:(?:is|are|was)\s+)?(?:now\s+|currently\s+)?(?:leads?|leading|heads?|heading|runs?|running|commands?|commanding|in\s+charge\s+of)\b|\bwho\s+(?:is|was)\s+(?:the\s+)?(?:new\s+|current\s+)?(?:leader|head|chief|secretary[- ]general|commander)\s+of\b|\bwho\s+(?:is|was)\s+(?:now\s+|currently\s+)?(?:the\s+)?(?:[\w'\u2019-]+(?:'s|\u2019s|s')\s+|current\s+|new\s+)+(?:(?:supreme|political|military|top|interim|acting)\s+)?(?:leader|head|chief|secretary[- ]general|commander)\b/i;
// A leading role as sources write it.
const LEADING_ROLE =
  /\b(?:leader|leadership|chief|secretary[- ]general|commander|president|prime\s+minister|premier|chairman|emir|led\s+by|leads|heads?\s+of|(?:the|its|their|new)\s+head)\b/gi;
// Words that may stand between a subject and its role: "Hamas political leader", "Iran's supreme leader".
const ROLE_QUALIFIERS = new Set(
  ['political', 'military', 'supreme', 'new', 'top', 'senior', 'acting', 'interim'].map(normaliseTerm),
);

/**
 * Whether the text gives a leading role of the question's subject: "Hamas leader …", "Hezbollah's
 * Secretary-General …", "Secretary-General of Hezbollah …" — not a role of someone else near the subject
 * ("President Trump re-designates the Houthis", "Hezbollah condemned President Trump").
 */
function leadsSubject(
  index: SearchIndex,
  text: string,
  tokens: readonly Token[],
  asked: Set<string>,
): boolean {
  // The subject as asked, or its demonym: "Iranian supreme leader …" leads Iran.
  const subject = (i: number) => {
    const t = tokens[i];
    if (t?.capital !== true || isStopWord(t.term)) return false;
    if (asked.has(t.term)) return true;
    const place = demonymPlace(index, text.slice(t.start, t.end));
    return place?.some((id) => asked.has(index.termText[id]!)) === true;
  };
  const at = (offset: number) => tokens.findIndex((t) => t.end > offset);
  for (const m of text.matchAll(LEADING_ROLE)) {
    const first = at(m.index);
    const last = at(m.index + m[0].length - 1);
    // "<Subject> [qualifier] <role>"
    if (subject(first - 1)) return true;
    if (subject(first - 2) && ROLE_QUALIFIERS.has(tokens[first - 1]!.term)) return true;
    // "<role> of [the] <Subject>"
    if (tokens[last + 1]?.term === 'of') {
      if (subject(last + 2)) return true;
      if (tokens[last + 2]?.term === 'the' && subject(last + 3)) return true;
    }
  }
  return false;
}

/** A leader no longer in the post: killed, dead, former, ousted. */
const DEPARTED =
  /\b(?:killed|assassinated|slain|died|dead|late|former|ex-|ousted|deposed|toppled|removed|resigned|replaced|succeeded by|eliminated)\b/i;

const PERSON =
  /\b(?:names?\s+of|name\s+the|who\s+(?:were|are|was|is)\s+the\b|who\s+(?:did|does|will|would)\s+[\w' -]+?\s+(?:appoint|name|nominate|choose|pick|select|elect|replace|succeed|send|hire)\b|who\s+(?:leads|heads|runs|commands|succeeded|replaced)\b|which\s+(?:[\w'-]+\s+){0,3}?(?:commanders?|leaders?|officials?|ministers?|generals?|soldiers?|spokes(?:man|woman|person)|persons?|people|journalists?))\b/i;
const COUNT = /\bhow\s+(?:many|much)\b/i;
/** Who did something: the answer names an actor (a group, a state or a person) as its doer. */
const ACTOR =
  /\b(?:who\s+(?:carried\s+out|was\s+behind|is\s+behind|was\s+responsible|is\s+responsible|claimed|fired|launched|attacked|bombed|struck|conducted|ordered)|which\s+(?:[\w'-]+\s+){0,2}?(?:group|militia|militias|faction|organi[sz]ation|country|state|side)\s+(?:\w+\s+){0,2}?(?:carried|claimed|fired|launched|was|is|did|attacked|struck))\b/i;
/**
 * Whom someone blamed: "Who did South Korea's investigation blame for the projectiles …", "who was held
 * responsible". The answer is the party blamed, not the one doing the blaming nor the act.
 */
const BLAMED =
  /\bwhom?\s+(?:did|does|do|has|have|had|will|would)\s+(?:[\w'\u2019-]+\s+){1,6}?(?:blame|accuse|fault|hold\s+(?:responsible|accountable))\b|\bwhom?\s+(?:is|was|were|are|has\s+been|have\s+been)\s+(?:being\s+)?(?:blamed|accused|held\s+(?:responsible|accountable))\b|\bwho\s+(?:is|was)\s+to\s+blame\b/i;
/** Where something is or happened. */
const PLACE =
  /\b(?:where\b|(?:at|in|on|from|near)\s+which\s+(?:[\w'-]+\s+)?(?:base|town|city|village|province|country|port|camp|site|facility|airport|region|governorate|district)s?\b)/i;

/**
 * Kinds of fact a passage may tell apart from its sentence about the subject: a reason follows the event it
 * explains ("… storm the palace. They protest the nomination …") or answers a reporter's question about it.
 */
export const PASSAGE_FACTS: ReadonlySet<AnswerType> = new Set(['reason']);

export function expectedAnswers(question: string): AnswerType[] {
  const types: AnswerType[] = [];
  // "Who leads X", "who is the leader of X" ask who leads now; "who was the leader" may be anyone since.
  if (LEADER.test(question))
    types.push(/\bwho\s+(?:was|were)\b/i.test(question) ? 'leader' : 'current-leader');
  else if (PERSON.test(question)) types.push('person');
  if (COUNT.test(question)) types.push('count');
  if (ACTOR.test(question) && !types.some((t) => t === 'person' || t === 'leader' || t === 'current-leader'))
    types.push('actor');
  if (BLAMED.test(question)) types.push('blamed');
  if (PLACE.test(question)) types.push('place');
  types.push(...askedFacts(question));
  return types;
}

// Words that make a capitalised run the name of an institution, place or date rather than a person.
const NOT_PERSON = new Set(
  (
    'states united nations house white forces force department council ministry army navy corps party movement ' +
    'brigades brigade organization organisation republic kingdom union guard guards resistance islamic news press ' +
    'office committee agency assembly command base airbase air province city gulf sea strait river east west north south ' +
    'middle international national security government administration court university day street square ' +
    'january february march april may june july august september october november december monday tuesday ' +
    'wednesday thursday friday saturday sunday mr mrs ms q president secretary minister general prime vice ' +
    'ambassador senator spokesperson coordinator director adviser advisor deputy chief the and of for in on ' +
    'eastern western northern southern central governorate district region county airport airforce port ' +
    'crisis war conflict attack attacks strike strikes operation ceasefire talks summit service services ' +
    'unit units authority authorities commission program programme agency forces counter terrorism ' +
    'intelligence police military mobilization mobilisation popular front hezbollah hizballah kataib ' +
    'houthis houthi idf us u.s'
  ).split(' '),
);
const CONNECTORS = new Set(['al', 'el', 'bin', 'ibn', 'abu', 'abd', 'de', 'van', 'von']);
const NUMBER_WORDS = new Set(
  (
    'two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen ' +
    'eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds thousand ' +
    'thousands million millions billion billions dozen dozens'
  ).split(' '),
);

/** True when `text` holds the kind of fact asked for, beyond what the question itself says. */
export function holdsAnswer(
  index: SearchIndex,
  type: AnswerType,
  text: string,
  questionTerms: Set<string>,
  question?: string,
): boolean {
  const tokens = tokenize(text);
  if (type === 'person') {
    const role = question === undefined ? undefined : askedRole(question);
    if (role !== undefined && deniesRole(text, role)) return false;
    const office = question === undefined ? undefined : officeOf(question);
    return hasPersonName(index, text, tokens, questionTerms, role, office);
  }
  if (type === 'leader' || type === 'current-leader')
    return (
      leadsSubject(index, text, tokens, questionTerms) &&
      hasPersonName(index, text, tokens, questionTerms) &&
      // Who leads now is not told by a leader's death or a former one: "the leader of Kataib Hezbollah, was
      // killed in 2020".
      (type === 'leader' || !DEPARTED.test(text))
    );
  if (type === 'count') {
    const counted = question === undefined ? undefined : askedCounted(question);
    return hasCount(text, tokens, questionTerms, counted && withSynonyms(index, counted));
  }
  if (type === 'actor') return hasActor(index, text, tokens, questionTerms);
  // Whom an inquiry blamed is reported as often as who did it: "those attacks in Jordan were carried out by
  // the umbrella group, Islamic Resistance in Iraq" answers "Who did the US blame for the drone strike".
  if (type === 'blamed')
    return namesBlamed(text, tokens, questionTerms) || hasActor(index, text, tokens, questionTerms);
  if (type === 'place') return hasPlace(index, text, tokens, questionTerms);
  const acts =
    type === 'date' && question !== undefined
      ? askedActs(question, (terms) => withSynonyms(index, terms))
      : undefined;
  return tellsFact(type, text, tokens, questionTerms, acts);
}

/** Terms and the words the synonyms list gives for them ("ships": "vessels"). */
function withSynonyms(index: SearchIndex, terms: Set<string>): Set<string> {
  const out = new Set(terms);
  for (const term of terms) {
    const id = index.vocabulary.get(term);
    for (const other of id === undefined ? [] : (index.synonyms.get(id) ?? []))
      out.add(index.termText[other]!);
  }
  return out;
}

// Words that attribute an act to its doer: "by the Islamic Resistance in Iraq", "X claims", "blamed on".
const ATTRIBUTION =
  /\b(?:by|claim(?:s|ed|ing)?|attribut\w*|blam\w*|responsib\w*|accus\w*|carr(?:y|ies|ied) out|conduct\w*|launch\w*|fire[sd]?|strikes?|struck)\b/i;

/**
 * An actor as doer: the sentence attributes the act ({@link ATTRIBUTION}) and names someone the
 * question does not (a capitalised word not at the sentence's start, or a curated topic).
 */
function hasActor(index: SearchIndex, text: string, tokens: readonly Token[], asked: Set<string>): boolean {
  if (!ATTRIBUTION.test(text)) return false;
  for (const m of index.matcher.match(tokens)) {
    if (!tokens.slice(m.start, m.start + m.length).some((w) => asked.has(w.term))) return true;
  }
  return tokens.some(
    (t, i) =>
      i > 0 && t.capital && !asked.has(t.term) && !NOT_PERSON.has(text.slice(t.start, t.end).toLowerCase()),
  );
}

// A party a sentence lays blame on, as sources word it: "blamed Iran", "blamed the attack on the Houthis",
// "attributed it to Russian services", "held Hamas responsible", "Hamas is to blame", "ISIS was responsible".
// The party is up to four words, checked for a name the question does not hold.
const PARTY = "(?<party>(?:[\\w'\\u2019.-]+\\s+){0,3}[\\w'\\u2019.-]+)";
const BLAME_TOLD = [
  new RegExp(
    `\\b(?:blam(?:e|es|ed|ing)|accus(?:e|es|ed|ing)|fault(?:s|ed|ing)?)\\s+(?!of\\b|for\\b)${PARTY}`,
    'gi',
  ),
  new RegExp(
    `\\b(?:blam\\w*|attribut\\w*|pinn?(?:ed|ing|s)?)\\s+(?:[\\w'\\u2019-]+\\s+){0,5}?(?:on|onto|to|at\\s+the\\s+feet\\s+of)\\s+${PARTY}`,
    'gi',
  ),
  new RegExp(`\\bh(?:e|o)ld(?:s|ing)?\\s+${PARTY}\\s+(?:responsible|accountable)\\b`, 'gi'),
  new RegExp(
    `${PARTY}\\s+(?:is|was|were|are|has\\s+been|had\\s+been)\\s+(?:\\w+ly\\s+)?(?:responsible|to\\s+blame|behind)\\b`,
    'gi',
  ),
];

/**
 * Whether a sentence lays blame on a party the question does not name ({@link BLAME_TOLD}): "authorities
 * continue investigating the type of weapon and the party responsible" blames no one.
 */
function namesBlamed(text: string, tokens: readonly Token[], asked: Set<string>): boolean {
  for (const pattern of BLAME_TOLD)
    for (const m of text.matchAll(pattern)) {
      const from = m.index + m[0].indexOf(m.groups!.party!);
      const to = from + m.groups!.party!.length;
      if (
        tokens.some(
          (t) =>
            t.start >= from &&
            t.end <= to &&
            t.capital &&
            t.start > 0 &&
            !asked.has(t.term) &&
            !isStopWord(t.term),
        )
      )
        return true;
    }
  return false;
}

/** A place: after "in", "at", "near", "outside", "from", a capitalised name the question does not hold. */
function hasPlace(index: SearchIndex, text: string, tokens: readonly Token[], asked: Set<string>): boolean {
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!t.capital || asked.has(t.term)) continue;
    const before = text.slice(Math.max(0, t.start - 12), t.start).toLowerCase();
    if (/\b(?:in|at|near|outside|from|into|of)\s+(?:the\s+)?$/.test(before)) return true;
  }
  void index;
  return false;
}

function hasPersonName(
  index: SearchIndex,
  text: string,
  tokens: readonly Token[],
  asked: Set<string>,
  role?: ReadonlySet<string>,
  office?: ReadonlySet<string>,
): boolean {
  const raw = (t: Token): string => text.slice(t.start, t.end).toLowerCase();
  // A name answers in the role asked, where the question names one, and is not a place after "in".
  const inRole = (first: number, last: number) =>
    !afterLocative(text, tokens[first]!.start) &&
    (role === undefined || nearRole(tokens, first, last, role, office));
  // A curated person ("Abu Mahdi al-Muhandis") counts; other curated topics (groups, places) do not.
  const topicTokens = new Uint8Array(tokens.length);
  for (const m of index.matcher.match(tokens)) {
    const definition = index.matcher.definitions[m.topic]!;
    const words = tokens.slice(m.start, m.start + m.length);
    if (
      definition.kind === 'person' &&
      !words.some((w) => asked.has(w.term)) &&
      inRole(m.start, m.start + m.length - 1)
    )
      return true;
    topicTokens.fill(1, m.start, m.start + m.length);
  }
  let run: Token[] = [];
  // A run of capitalised words is a person's name when a part of it, between institution words
  // ("Secretary-General of Hezbollah Naim Qassem"), is two or more name words the question does not hold.
  const flush = (): boolean => {
    // "The Basra Oil Company", "The Coordination Framework": a run that opens with "The" names no person.
    if (run[0] !== undefined && raw(run[0]) === 'the') {
      run = [];
      return false;
    }
    let part: Token[] = [];
    let found = false;
    for (const [k, t] of [...run, undefined].entries()) {
      if (t !== undefined && !NOT_PERSON.has(raw(t))) {
        part.push(t);
        continue;
      }
      const words = part.filter((w) => !CONNECTORS.has(raw(w)));
      // A person is often named by title and surname alone ("CENTCOM Commander, General Kurilla, is in
      // the region"): one name word after a title counts where the question asks for a role and the role
      // is written near it. Without a role asked, "President Biden" in a sentence would answer every "who"
      // question about it.
      const title = run[k - part.length - 1];
      const titled =
        words.length === 1 && role !== undefined && title !== undefined && TITLES.has(raw(title));
      found ||=
        (words.length >= 2 || titled) &&
        !part.some((w) => asked.has(w.term) || w.upper) &&
        inRole(tokens.indexOf(part[0]!), tokens.indexOf(part[part.length - 1]!));
      part = [];
    }
    run = [];
    return found;
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const prev = tokens[i - 1];
    const joined = prev !== undefined && /^[ -]$/.test(text.slice(prev.end, t.start));
    const nameWord =
      (t.capital || (CONNECTORS.has(raw(t)) && tokens[i + 1]?.capital === true)) && topicTokens[i] === 0;
    if (nameWord && (run.length === 0 || joined)) {
      run.push(t);
      continue;
    }
    if (flush()) return true;
    if (nameWord) run.push(t);
  }
  return flush();
}

// A day of a month ("January 10", "Jan. 10", "10 January"), as sources write it: capitalised, so that
// "12 may have died" stays a count.
const MONTH_WRITTEN =
  '(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\\.?';
const DAY_OF_MONTH = new RegExp(
  `\\b(?:${MONTH_WRITTEN}\\s+\\d{1,2}\\b|\\d{1,2}\\s+${MONTH_WRITTEN}(?!\\w))`,
  'g',
);

// A length of time ("its 12-year presence", "for 48 hours"): a count only where the question counts time.
const DURATION = /\b(?:\d[\d,.]*|[a-z]+)[-\s](?:year|month|week|day|hour|minute)s?\b/gi;
/**
 * A number a source expects rather than reports: "is expected to draw millions", "could reach 10,000".
 * It does not tell how many there were, unless the question asks what was expected.
 */
const EXPECTED =
  /\b(?:(?:is|are|was|were)\s+)?(?:expected|projected|forecast|predicted|likely|poised|set)\s+to\s+(?:\w+\s+){0,3}?(?:\d[\d,.]*|[a-z]+)(?:\s+(?:hundred|thousand|million|billion)s?)?\b|\b(?:could|may|might)\s+(?:\w+\s+){0,2}?(?:reach|exceed|top|number|draw|attract)\s+(?:\w+\s+){0,2}?(?:\d[\d,.]*|[a-z]+)\b/gi;
const EXPECTING = new Set(
  ['expect', 'expected', 'project', 'projected', 'forecast', 'predict', 'predicted', 'likely'].map(
    normaliseTerm,
  ),
);

const TIME_UNITS = new Set(
  ['year', 'month', 'week', 'day', 'hour', 'minute'].flatMap((u) => [
    normaliseTerm(u),
    normaliseTerm(`${u}s`),
  ]),
);

function hasCount(
  text: string,
  tokens: readonly Token[],
  asked: Set<string>,
  counted: Set<string> | undefined,
): boolean {
  const spans = [...text.matchAll(DAY_OF_MONTH)].map((m) => [m.index, m.index + m[0].length] as const);
  if (![...TIME_UNITS].some((unit) => asked.has(unit)))
    for (const m of text.matchAll(DURATION)) spans.push([m.index, m.index + m[0].length]);
  if (![...EXPECTING].some((word) => asked.has(word)))
    for (const m of text.matchAll(EXPECTED)) spans.push([m.index, m.index + m[0].length]);
  const inSpan = (t: Token) => spans.some(([from, to]) => t.start >= from && t.end <= to);
  for (const [i, t] of tokens.entries()) {
    const word = text.slice(t.start, t.end).toLowerCase();
    if (asked.has(t.term) || inSpan(t)) continue;
    // Years and designators (F-15, K-1) are not counts.
    const number = NUMBER_WORDS.has(word) || (/^\d[\d,.]*$/.test(word) && !/^(?:19|20)\d\d$/.test(word));
    if (number && (counted === undefined || !countsOther(text, tokens, i, counted))) return true;
  }
  return /\$\s?\d/.test(text);
}
