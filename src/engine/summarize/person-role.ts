import { TITLES } from '../index/name-words.ts';
import { isStopWord, normaliseTerm, type Token } from '../index/tokenize.ts';

/**
 * The role a question asks a person in: "the names of the British aid workers killed …" asks for aid
 * workers, "who was the new suspect …" for a suspect. A name in the same sentence in another role ("Chef
 * José Andrés, the founder of World Central Kitchen") or denied the role ("X is no longer a suspect") is
 * not the answer.
 */
export function askedRole(question: string): Set<string> | undefined {
  const frame = ROLE_FRAME.exec(question);
  if (frame === null) return undefined;
  const words = question.slice(frame.index + frame[0].length).split(/\s+/, ROLE_WORDS);
  const role = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!.replace(/[^\p{L}\p{N}'-]/gu, '');
    if (word === '' || ROLE_END.test(word)) break;
    // Names qualify the role ("Hamas commanders") or start the next clause ("the new suspect Swedish police
    // arrested"): only the plain words are the role, and which of them is its noun is not told apart.
    if (/^\p{Lu}/u.test(word) || /\d/.test(word) || COUNTING.test(word) || isStopWord(normaliseTerm(word)))
      continue;
    // A participle ends the role ("aid workers killed in …") unless a noun follows it ("allied soldiers").
    const next = words[i + 1]?.replace(/[^\p{L}'-]/gu, '') ?? '';
    if (/ed$/.test(word) && role.size > 0 && (ROLE_END.test(next) || !/^\p{Ll}+$/u.test(next))) break;
    role.add(normaliseTerm(word.toLowerCase()));
  }
  return role.size === 0 ? undefined : role;
}

const COUNTING =
  /^(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|several|some|many)$/i;

/** Words of a question read for its role. */
const ROLE_WORDS = 6;

// Where a question names the role it asks a person in.
const ROLE_FRAME =
  /\b(?:names?\s+of\s+(?:the\s+|these\s+|those\s+)?|name\s+the\s+|who\s+(?:was|were|is|are)\s+the\s+|which\s+)/i;
// Words that end the role's noun phrase.
const ROLE_END =
  /^(?:in|of|at|on|for|from|who|whom|whose|that|which|did|does|do|was|were|is|are|has|have|had|to|by|with|during|after|before|when|and|or|besides|under|over|into|near)$/i;

/** Whether a sentence denies someone the asked role: "X is no longer a suspect", "was not among the hostages". */
export function deniesRole(text: string, role: ReadonlySet<string>): boolean {
  for (const m of text.matchAll(DENIAL)) {
    // The role must be what is denied ("is no longer a suspect", "was not among the hostages"), not a
    // word nearby ("have not said whether the suspect had accomplices").
    const denied = DENIED_ROLE.exec(text.slice(m.index + m[0].length));
    if (denied === null) continue;
    const words = denied[0].split(/\s+/).slice(-2);
    if (words.some((w) => role.has(normaliseTerm(w.replace(/[^\p{L}'-]/gu, '').toLowerCase())))) return true;
  }
  return false;
}

// What a denial denies: "(be) a [new] suspect", "among the hostages", "one of the soldiers".
const DENIED_ROLE =
  /^(?:(?:be|been|being)\s+)?(?:a|an|the|among(?:\s+the)?|one\s+of\s+the)\s+(?:[\p{L}'-]+\s+)?[\p{L}'-]+/iu;
const DENIAL = /(?:\b(?:no\s+longer|not|never|cleared\s+of\s+being|ruled\s+out\s+as)|n['’]t)\s+/gi;

/**
 * Whether the role is written near a name (`first` to `last`, token indices): "Hamas commander and Gaza
 * District Police chief Jamal Abu Kamil", "the soldiers were Sgt. William Rivers, …". Where the question
 * asks for an official of something (`office`, see {@link officeOf}), an office and that something near the
 * name give the role too: "Our Director of OFAC, Andrea Gacki" is an OFAC official, though no source calls
 * her one.
 */
export function nearRole(
  tokens: readonly Token[],
  first: number,
  last: number,
  role: ReadonlySet<string>,
  office?: ReadonlySet<string>,
): boolean {
  const from = Math.max(0, first - ROLE_DISTANCE);
  const to = Math.min(tokens.length, last + 1 + ROLE_DISTANCE);
  let anOffice = false;
  // Every word of whose official it is ("White House": "House Speaker Nancy Pelosi" is none).
  const body = new Set<string>();
  for (let i = from; i < to; i++) {
    const term = tokens[i]!.term;
    if (role.has(term)) return true;
    anOffice ||= office !== undefined && OFFICES.has(term);
    if (office?.has(term) === true) body.add(term);
  }
  return anOffice && office !== undefined && body.size === office.size;
}

/**
 * What a question asks for an official of, as index terms: "OFAC" in "which OFAC official", "White House"
 * in "which White House official". Undefined for a bare "which official": any office near a name would
 * give that role, and names with a title are in most sentences of a briefing.
 */
export function officeOf(question: string): Set<string> | undefined {
  const frame = ROLE_FRAME.exec(question);
  if (frame === null) return undefined;
  const office = new Set<string>();
  for (const raw of question.slice(frame.index + frame[0].length).split(/\s+/, ROLE_WORDS)) {
    const word = raw.replace(/[^\p{L}\p{N}'-]/gu, '');
    if (/^officials?$/i.test(word)) return office.size === 0 ? undefined : office;
    if (word === '' || ROLE_END.test(word)) return undefined;
    if (/^\p{Lu}/u.test(word) && !isStopWord(normaliseTerm(word))) office.add(normaliseTerm(word));
  }
  return undefined;
}

/**
 * Offices, as index terms: the titles written before a name, less the honorifics anyone bears ("Mr.",
 * "Dr."), and the offices written after one ("Erik Kurilla, the CENTCOM commander").
 */
const OFFICES = new Set(
  [
    ...[...TITLES].filter((t) => !/^(?:mr|mrs|ms|dr)$/.test(t)),
    'commander',
    'chief',
    'deputy',
    'undersecretary',
    'administrator',
    'spokeswoman',
    'negotiator',
    'official',
  ].map(normaliseTerm),
);

/** Tokens between a name and the role it is given. @default 8 — a title and an affiliation fit between. */
const ROLE_DISTANCE = 8;

/**
 * A capitalised run set after "in", "near" names a place: "a courthouse in New York". Not after "at": a
 * drone "aimed at Benjamin Netanyahu" names a person.
 */
export function afterLocative(text: string, start: number): boolean {
  return LOCATIVE_BEFORE.test(text.slice(Math.max(0, start - 14), start));
}

const LOCATIVE_BEFORE = /\b(?:in|near|outside|inside|throughout)\s+(?:the\s+)?$/i;
