import { type Token, tokenize } from '../index/tokenize.ts';
import { isEvent, isEventWord } from './evidence.ts';

/**
 * The kinds of fact a question asks for that a sentence tells in set phrases rather than by names: a
 * date ("when"), an age ("how old"), a share ("what percentage"), a reason ("why") and a cause of death
 * ("what did he die of"). A passage about the question's subject that lacks the phrase does not answer:
 * "Martin Indyk dedicated his life to the pursuit of peace" says neither what he died of nor his age. A
 * penalty ("what prison sentence did he get") is told as one too: "is found guilty" says he was convicted,
 * not what he got.
 */
export type ToldFact = 'date' | 'age' | 'share' | 'reason' | 'cause' | 'penalty';

// Each is asked by the question's opening words ("When did …", "On what date …", "Why …"), or by a set
// phrase anywhere ("how old", "what share of"): "what happened when Israel bombed IRIB" asks no date.
const ASKED: Record<ToldFact, RegExp> = {
  date: /^\s*(?:when\s+(?:did|does|do|was|were|is|are|will|has|have|had)\b|(?:on|in)\s+what\s+(?:date|day|year|month)\b|(?:what|which)\s+(?:date|day|year|month)\s+(?:did|does|was|were|is|will)\b)/i,
  age: /\bhow\s+old\b|\bat\s+what\s+age\b|\bwhat\s+age\b/i,
  share:
    /\bwhat\s+(?:share|percentage|proportion|per\s*cent(?:age)?|fraction)\b|\bhow\s+much\s+of\s+the\s+vote\b/i,
  // "What reason did the director give …" asks what someone said, which a transcript tells in its own words.
  reason:
    /^\s*why\b|\bwhat\s+(?:was|were|is|are)\s+the\s+(?:reasons?|motives?)\s+(?:for|behind)\b|^\s*for\s+what\s+reasons?\b/i,
  cause:
    /\bdie[sd]?\s+(?:of|from)\b|\bcause\s+of\s+(?:his\s+|her\s+|their\s+|the\s+)?death\b|\bhow\s+did\s+(?:\S+\s+){1,4}die\b/i,
  // A court's penalty for a person: "What sentence did he receive", "how long was she jailed". A penalty a
  // policy sets ("What economic penalty did the executive order create") is a measure, told in its own words.
  penalty:
    /\bwhat\s+(?:(?:prison|jail|criminal|life|death)\s+)?sentences?\s+(?:did|does|do|was|were|has|had|will|is)\b|\bwhat\s+(?:penalty|punishment)\s+(?:did|does|do|will)\s+(?:[\w'\u2019-]+\s+){1,6}?(?:get|receive|face|serve)\b|\bhow\s+long\s+(?:[\w'\u2019-]+\s+){1,5}?(?:sentenced|jailed|imprisoned|in\s+prison|in\s+jail|behind\s+bars)\b|\bsentenced\s+to\s+(?:what|how)\b/i,
};

/** The set-phrase kinds of fact a question asks for (see {@link ToldFact}). */
export function askedFacts(question: string): ToldFact[] {
  return (Object.keys(ASKED) as ToldFact[]).filter((kind) => ASKED[kind].test(question));
}

const MONTH =
  '(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\\.?';
const WEEKDAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
/**
 * A time a sentence sets its event in: a month (with its day or year), a weekday, a year, or a time
 * told relative to the report ("today", "last week", "two days later").
 */
const DATE = new RegExp(
  [
    `\\b${MONTH}(?:\\s+\\d{1,2}(?:st|nd|rd|th)?)?(?:,?\\s+\\d{4})?(?!\\w)`,
    `\\b\\d{1,2}\\s+${MONTH}(?:\\s+\\d{4})?(?!\\w)`,
    `\\b${WEEKDAY}\\b`,
    '\\b(?:1[89]|20)\\d\\d\\b',
    '\\b(?:today|yesterday|tonight|overnight)\\b',
    '\\b(?:this|last|next|earlier\\s+this|later\\s+this)\\s+(?:morning|afternoon|evening|night|week|weekend|month|year)\\b',
    '\\b(?:\\w+|\\d+)\\s+(?:hours?|days?|weeks?|months?|years?)\\s+(?:later|after|before|ago|earlier)\\b',
  ].join('|'),
  'g',
);

// An age: "aged 73", "73-year-old", "at the age of 73", "Martin Indyk, 73, …", "died at 73".
const AGE =
  /\baged?\s+\d{1,3}\b|\b\d{1,3}[- ]years?[- ]old\b|\bat\s+the\s+age\s+of\s+\d{1,3}\b|[A-Z][\w'-]+,\s+\d{1,3},\s|\b(?:died|dies|death)\s+at\s+\d{1,3}\b|\b(?:his|her)\s+(?:\d{1,2}0s|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b/;
// A share: "40%", "40 percent", "40.3 per cent", "two-thirds", "half of".
const SHARE =
  /\d(?:[\d.,]*)\s*(?:%|per\s*cent\b|percent\b)|\b(?:half|a\s+third|two-thirds|a\s+quarter|three-quarters|majority)\s+of\b/i;
/**
 * A causal link from the event to why it happened: "because", "in response to", "over the …", "citing …",
 * "to protest …" (a purpose). Loose on purpose: a "why" is answered in many ways, and a sentence with none
 * of these tells only that the event happened.
 */
const REASON =
  /\b(?:because|since|due\s+to|owing\s+to|as\s+a\s+result\s+of|in\s+response\s+to|in\s+retaliation|in\s+protest|in\s+reaction\s+to|in\s+order\s+to|so\s+(?:that|as\s+to)|after|following|amid|over\s+(?:the\s+|his\s+|her\s+|their\s+|its\s+)?[a-z]|citing|cited|for\s+(?:the\s+|his\s+|her\s+|their\s+|its\s+)?[a-z]+ing\b|for\s+(?:his|her|their|its)\b|reasons?|motiv\w*|aimed\s+at|intended\s+to|to\s+(?!the\b|a\b|an\b|be\b|\d)[a-z]{3,}\b|prompted|triggered|sparked|led\s+to|blamed\s+for|accused\s+of)/;
// A cause of death: "died of cancer", "from his wounds", "killed in an airstrike", "after a long illness".
const CAUSE =
  /\b(?:died|dies|death|dead)\s+(?:\w+\s+){0,3}?(?:of|from|after|following|in|when)\b|\b(?:cancer|illness|disease|heart\s+attack|stroke|complications|wounds|injuries|natural\s+causes|overdose|suicide|pneumonia|covid|infection|assassinat\w*|executed|killed|shot|stabbed|poison\w*|crash\w*|drown\w*)\b/i;

/**
 * A court's penalty: "sentenced to life", "15 years in prison", "a death sentence", "was executed". A
 * verdict alone ("found guilty at Stockholm District Court") does not say what the court imposed.
 */
const PENALTY =
  /\bsentenc(?:e|es|ed|ing)\s+(?:\w+\s+){0,3}?(?:to|of)\b|\b(?:life|death|prison|jail|suspended|\d+-(?:year|month))\s+(?:sentences?|terms?|penalty)\b|\b(?:\d+|[a-z]+)[- ](?:years?|months?)\s+(?:in\s+(?:prison|jail)|(?:of\s+)?imprisonment|behind\s+bars)\b|\blife\s+(?:imprisonment|in\s+prison)\b|\b(?:executed|hanged|fined)\b/i;

/** Whether a sentence tells the kind of fact asked, beyond the question's own words (`asked`, its terms). */
export function tellsFact(
  kind: ToldFact,
  text: string,
  tokens: readonly Token[],
  asked: Set<string>,
  acts?: ReadonlySet<string>,
): boolean {
  switch (kind) {
    case 'date': {
      // The sentence must name a time the question does not; a report of the event itself without one is
      // dated by its source ("Abu Ali al-Askari is killed in an airstrike in Baghdad" in the day's digest).
      const times = [...text.matchAll(DATE)].filter((m) => !ownTime(m.index, m[0].length, tokens, asked));
      if (times.length === 0) return reportsAct(text, tokens, acts);
      // Where the question names its act, the time must be the act's own, not another event's in the same
      // sentence: "… on the same day that Hamas perpetrated the October 7 attack" does not date a designation.
      if (acts === undefined || acts.size === 0) return true;
      return times.some((m) => datesAct(text, tokens, m.index, m.index + m[0].length, acts));
    }
    case 'age':
      return AGE.test(text);
    case 'share':
      return SHARE.test(text);
    case 'reason':
      // "After …", "Citing …" open a sentence as they run inside one.
      return REASON.test(text.charAt(0).toLowerCase() + text.slice(1));
    case 'cause':
      return CAUSE.test(text);
    case 'penalty':
      return PENALTY.test(text);
  }
}

/**
 * The acts a question asks the date of, where it names them as news lines do: "chosen" in "On what date was
 * Naim Qassem chosen as Hezbollah's secretary-general?" — as index terms, with the words the synonyms list
 * gives for them (`extend`: "released", "freed"). Empty where the question words its event otherwise
 * ("locked up", "patch up the rift"): its sources word it their own way ("detained", "restore relations").
 */
export function askedActs(question: string, extend: (terms: Set<string>) => Set<string>): Set<string> {
  const acts = new Set<string>();
  for (const t of tokenize(question))
    if (isEventWord(question.slice(t.start, t.end)) && !describes(question, t.start, t.end)) acts.add(t.term);
  return acts.size === 0 ? acts : extend(acts);
}

// A time told right after a word: "agreed in November 2024".
const DATED_NEXT = new RegExp(`^\\s+(?:in|on|during)\\s+(?:${DATE.source})`, 'i');

/**
 * Whether an act word in the question describes what it asks about rather than being the act asked: it
 * stands in a relative clause ("the rift that began over the Khashoggi killing"), or the question dates it
 * itself and goes on ("the ceasefire agreed in November 2024 take effect" asks when it took effect).
 */
function describes(question: string, start: number, end: number): boolean {
  if (/\b(?:that|which|who|whom|whose)\b/i.test(question.slice(0, start))) return true;
  const after = question.slice(end);
  const dated = DATED_NEXT.exec(after);
  return dated !== null && /\w/.test(after.slice(dated[0].length));
}

/**
 * Whether a sentence is a dated report of the act asked (see {@link askedActs}): a digest line dates the act
 * it reports, so "Secretary-General of Hezbollah Naim Qassem rejects a ceasefire" tells when he rejected it,
 * not when he was chosen. Without an act named in the question, any reported event counts.
 */
function reportsAct(text: string, tokens: readonly Token[], acts: ReadonlySet<string> | undefined): boolean {
  if (!isEvent(text)) return false;
  if (acts === undefined || acts.size === 0) return true;
  return tokens.some((t) => acts.has(t.term) && isEventWord(text.slice(t.start, t.end)));
}

// What ends the clause a time is told in: a relative or subordinate clause opening ("that Hamas perpetrated",
// "when the talks began"), a semicolon, colon or dash.
const CLAUSE_BREAK =
  /[;:]|\s[\u2013\u2014-]\s|\u2014|\b(?:that|which|who|whom|whose|when|while|whereas|because|where)\b/i;
// Nothing but list furniture before a time that opens its line ("- June 1985: …", "1. January 26, 2024: …").
const TIMELINE_HEAD = /^[\s\-\u2022*\d.)]*$/;
// Words before a participle that make it describe a noun rather than tell the act: "with freed hostage
// Keith Siegel" names him by an earlier release and dates nothing.
const MODIFIER_BEFORE =
  /\b(?:a|an|the|with|of|for|fellow|newly|recently|formerly|\d+|two|three|four|five|six|seven|eight|nine|ten)\s+$/i;

/**
 * Whether the time at `start`..`end` is told of the act asked: a word for the act (see {@link askedActs})
 * stands in the same clause, with no clause break between them. "Hamas released Keith Siegel on Saturday"
 * dates the release; "met freed hostage Keith Siegel today" dates the meeting.
 */
function datesAct(
  text: string,
  tokens: readonly Token[],
  start: number,
  end: number,
  acts: ReadonlySet<string>,
): boolean {
  return tokens.some((t) => {
    if (!acts.has(t.term)) return false;
    const word = text.slice(t.start, t.end);
    if (/(?:ed|en)$/i.test(word) && MODIFIER_BEFORE.test(text.slice(Math.max(0, t.start - 20), t.start)))
      return false;
    // A timeline item's date heads its whole line ("June 1985: Iran-backed Hezbollah terrorists hijacked
    // TWA Flight 847"): the colon after it opens what happened then, not another clause.
    const heading =
      t.start >= end &&
      TIMELINE_HEAD.test(text.slice(0, start)) &&
      /^\s*[:\u2013\u2014-]/.test(text.slice(end));
    const between =
      t.end <= start ? text.slice(t.end, start) : t.start >= end ? text.slice(end, t.start) : '';
    return !CLAUSE_BREAK.test(heading ? between.replace(/^\s*[:\u2013\u2014-]/, ' ') : between);
  });
}

/**
 * A time the question itself names ("in August 2022") only repeats its window: it does not say when, which
 * a day within it ("August 29") would.
 */
function ownTime(start: number, length: number, tokens: readonly Token[], asked: Set<string>): boolean {
  const inside = tokens.filter((t) => t.start >= start && t.end <= start + length);
  return inside.length > 0 && inside.every((t) => asked.has(t.term));
}
