/**
 * Who is speaking in a transcript (press briefings, press calls, gaggles, interviews): a paragraph that
 * opens with `Q` is a reporter's turn, one that opens with a speaker label in capitals (`MR. KIRBY:`,
 * `SENIOR ADMINISTRATION OFFICIAL:`, `THE PRESIDENT:`) an official's; a turn runs until the next opener.
 * A reporter's question (and any premise inside it) is not a finding: it is never quoted as one.
 */
import { escapeRegExp } from '../text.ts';

/** The part a speaker plays in a transcript. */
export type SpeakerRole = 'reporter' | 'official' | 'unknown';

/** Who said a sentence, as far as the document tells: a role, and where given a name and a title. */
export interface Speaker {
  role: SpeakerRole;
  name?: string;
  title?: string;
}

/** A turn opener at the start of a paragraph: the label and where the spoken text begins. */
export interface TurnOpener {
  label: string;
  /** Characters of the opener (label, colon, space) before the spoken text. */
  length: number;
}

// `Q` then a space, colon or full stop; or up to six words in capitals (with Mr./Ms./Dr.) and a colon.
const OPENER =
  /^(?:(Q)(?::\s*|\.\s+|\s+)(?=\S)|((?:(?:MR|MS|MRS|DR)\.?\s+)?[A-Z][A-Z'.-]*(?:\s+[A-Z][A-Z'.-]*){0,5}):\s+(?=\S))/;
// Capitalised labels that head a letter or a section, not a turn ("TO THE CONGRESS OF THE UNITED STATES:").
const NOT_A_SPEAKER =
  /^(?:TO |FACT SHEET|SUBJECT|NOMINATIONS?|WITHDRAWALS?|NOTE|UPDATE|BACKGROUND|WASHINGTON|WHAT|WHY|HOW|WHEN|WHERE|AIPAC|CNN|[A-Z]$)/;
const QUESTIONERS = /^(?:Q|REPORTER|QUESTION|AUDIENCE(?: MEMBER)?|PARTICIPANT|PARTICIPANTS)$/;
const STAFF = /^(?:MODERATOR|OPERATOR|AIDE|STAFF|INTERPRETER)$/;

/** The turn opener a paragraph starts with, if any. Cheap for the paragraphs (most) that start otherwise. */
export function turnOpener(paragraph: string): TurnOpener | undefined {
  const first = paragraph.charCodeAt(0);
  if (first < 65 || first > 90) return undefined; // not A-Z
  const m = OPENER.exec(paragraph);
  if (m === null) return undefined;
  const label = (m[1] ?? m[2])!;
  if (label !== 'Q' && (NOT_A_SPEAKER.test(label) || label.length < 3)) return undefined;
  return { label, length: m[0].length };
}

/**
 * The speaker a label stands for, named from the document where it names them: "Press Briefing by Press
 * Secretary Karine Jean-Pierre and NSC Coordinator for Strategic Communications John Kirby" makes
 * `MR. KIRBY` John Kirby, NSC Coordinator for Strategic Communications.
 */
export function speakerFor(label: string, documentTitle: string, opening: string, text = opening): Speaker {
  const plain = label.replace(/\s+/g, ' ').trim();
  if (QUESTIONERS.test(plain)) return { role: 'reporter' };
  if (STAFF.test(plain)) return { role: 'unknown', title: plain.toLowerCase() };
  if (/\bOFFICIALS?$/.test(plain)) return { role: 'official', title: `a ${plain.toLowerCase()}` };
  const honorific = /^(?:MR|MS|MRS|DR)\.?\s+(.+)$/.exec(plain);
  if (honorific !== undefined && honorific !== null) {
    const surname = titleCase(honorific[1]!);
    return { role: 'official', ...named(surname, documentTitle, opening) };
  }
  // "THE PRESIDENT", "THE VICE PRESIDENT": the document's title usually names who.
  const office = /^THE (.+)$/.exec(plain);
  if (office !== null) {
    const role = titleCase(office[1]!);
    // A name's words, not the title's next words ("Remarks by President Biden Announcing Cessation of …").
    const word = `(?!${TITLE_WORDS}\\b)[A-Z][\\w'.-]*`;
    const last = `(?!${TITLE_WORDS}\\b)[A-Z][\\w'-]*`;
    const who = new RegExp(`\\b${role}\\s+((?:${word}\\s+){0,2}${last})`).exec(documentTitle);
    return who === null
      ? { role: 'official', title: `the ${role}` }
      : { role: 'official', name: `${role} ${who[1]}` };
  }
  // "PRIME MINISTER ALBANESE", "LIEUTENANT GENERAL SIMS": rank and surname in one label, and the office
  // from where the document introduces them ("… over to Lieutenant General Sims, the Director of the
  // Joint Staff, for …").
  const name = titleCase(plain);
  const introduction = introduced(name, text);
  return { role: 'official', name, ...(introduction === undefined ? {} : { title: introduction }) };
}

/** Words of a document title after a speaker's name: a verb ("Announcing"), a preposition, a joiner. */
const TITLE_WORDS =
  '(?:[A-Z][a-z]+ing|On|At|In|To|And|Before|After|During|With|Of|For|From|Upon|Ahead|Following|Regarding)';

/** Words an office starts with, in "Lieutenant General Sims, the Director of the Joint Staff". */
const OFFICE_WORDS =
  'Director|Secretary|Under|Deputy|Assistant|Coordinator|Chairman|Chair|Adviser|Advisor|Commander|Ambassador|Administrator|Chief|Spokesperson|Spokesman|Spokeswoman|Special|Senior|Head|Minister|Envoy|Counselor|Principal';

/**
 * The office a document gives a name in apposition: "Lieutenant General Sims, the Director of the Joint
 * Staff,". Only a run that starts with an office word and ends the apposition (a comma or a full stop)
 * counts: "President Biden, Joe" or "Secretary Blinken, President Biden and I" name no office.
 */
function introduced(name: string, text: string): string | undefined {
  const escaped = escapeRegExp(name);
  const m = new RegExp(
    `${escaped},\\s+(?:the\\s+)?((?:${OFFICE_WORDS})(?:\\s+(?:[A-Z][\\w'’-]+|of|the|for|and|on)){0,8})\\s*[,.]`,
  ).exec(text);
  return m === null ? undefined : m[1]!.replace(/(?:\s+(?:of|the|for|and|on))+$/, '');
}

/** Full name and title of a surname from the title's "by …, … and …" list or the opening lines. */
function named(surname: string, documentTitle: string, opening: string): { name: string; title?: string } {
  const escaped = escapeRegExp(surname);
  for (const source of [documentTitle, opening]) {
    for (const part of source.split(/\s+(?:by|and|with)\s+|[,;\n]\s*|\s+[-\u2013\u2014]\s+/)) {
      const m = new RegExp(`^(.*?)([A-Z][\\w'-]*\\s+(?:[A-Z]\\.\\s+)?)${escaped}\\b`).exec(part.trim());
      if (m === null) continue;
      const title = m[1]!.trim();
      // A title is an office ("Admiral", "National Security Advisor"), not the words a host hands over
      // with ("I'll turn it over to John Kirby").
      const office = /^[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|of|the|for|and|on))*$/.test(title);
      return {
        name: `${m[2]!.trim()} ${surname}`,
        ...(title !== '' && office ? { title } : {}),
      };
    }
  }
  return { name: surname };
}

function titleCase(s: string): string {
  return s.toLowerCase().replace(/(^|[\s'-])(\p{L})/gu, (_, sep: string, c: string) => sep + c.toUpperCase());
}

/** How a speaker reads after a bullet: "John Kirby, NSC Coordinator…", "a senior administration official". */
export function speakerLine(speaker: {
  name?: string | undefined;
  title?: string | undefined;
}): string | undefined {
  if (speaker.name !== undefined && speaker.title !== undefined) return `${speaker.name}, ${speaker.title}`;
  return speaker.name ?? speaker.title;
}
