/**
 * Variants of one name as one topic: "Biden", "Joe Biden", "President Biden" (counted as "Biden") and
 * "Joseph R. Biden Jr." are one person, "Joe Biden", with the others as aliases. Runs once over the
 * candidate names after the index is built, so none of it costs the build's hot loop.
 */
import { GENERIC, ROLE_WORDS, TITLES } from './name-words.ts';

/** Words that come before a person's name without being part of it. */
const LEADING = new Set([...TITLES, ...GENERIC, ...ROLE_WORDS]);

/** A name as counted: how it was written, and the evidence the grouping uses. */
export interface NameCandidate {
  display: string;
  articles: number;
  /** Uses right after a title or honorific. */
  titled: number;
  /** Capitalised uses. */
  capitalUses: number;
}

/** One topic's worth of names: the canonical name, every other spelling, and its widest reach. */
export interface NameGroup {
  name: string;
  aliases: string[];
  /**
   * The most articles any one spelling reaches: a lower bound of the group's articles (the counter keeps
   * counts per spelling, not article sets, to stay cheap).
   */
  articles: number;
}

// Short forms of given names: "Joe Biden" and "Joseph R. Biden Jr." are one person.
const GIVEN_NAMES: Record<string, string> = {
  joe: 'joseph',
  ben: 'benjamin',
  bibi: 'benjamin',
  tony: 'antony',
  anthony: 'antony',
  mike: 'michael',
  bill: 'william',
  jim: 'james',
  bob: 'robert',
  tom: 'thomas',
  chuck: 'charles',
  dick: 'richard',
  steve: 'stephen',
  liz: 'elizabeth',
  kate: 'katherine',
};

/** Title uses a surname needs before its full name founds a person. */
const MIN_TITLED = 3;

const SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv']);

const bare = (word: string): string => word.toLowerCase().replace(/\.$/, '');

/**
 * The words that can name a person in `display`: titles before it, initials, "Jr." and what follows
 * "of" dropped ("Admiral John Kirby" → John Kirby; "Benjamin Netanyahu of Israel" → Benjamin Netanyahu).
 */
export function personWords(display: string): { words: string[]; titled: boolean; cut: boolean } {
  let words = display.split(' ').filter((w) => w !== '');
  const of = words.indexOf('of');
  if (of > 0) words = words.slice(0, of);
  let start = 0;
  while (start < words.length - 1 && LEADING.has(bare(words[start]!))) start++;
  // Only a title shows a person: "National" before "Emergencies Act" does not.
  const titled = words.slice(0, start).some((w) => TITLES.has(bare(w)));
  words = words.slice(start).filter((w, i, all) => {
    if (i > 0 && /^\p{Lu}\.?$/u.test(w)) return false; // a middle initial
    return !(i === all.length - 1 && i > 0 && SUFFIXES.has(bare(w)));
  });
  return { words, titled, cut: of > 0 };
}

/** Two to three ordinary capitalised words ("Joe Biden", "Karine Jean-Pierre"), not a heading in capitals. */
function fullNameShape(words: readonly string[]): boolean {
  return (
    words.length >= 2 &&
    words.length <= 3 &&
    words.every(
      (w) => /^\p{Lu}[\p{Ll}'’-]+(?:-\p{Lu}[\p{Ll}'’]+)*$/u.test(w) && !GENERIC.has(w.toLowerCase()),
    )
  );
}

const givenKey = (word: string): string => {
  const given = word.toLowerCase();
  return GIVEN_NAMES[given] ?? given;
};

const personKey = (words: readonly string[]): string =>
  `${givenKey(words[0]!)} ${words[words.length - 1]!.toLowerCase()}`;

/**
 * Groups names that are variants of one person. A full name (two or three words whose last word is
 * somewhere written after a title or honorific: "President Biden", "Mr. Kirby") founds a person; its
 * spellings with a title, initials, "Jr." or a short given name join it; a surname alone or after a
 * title joins the person that most often carries it (the first founded, as candidates come most
 * widespread first); a given name alone, when that person's full name is at least half as widespread,
 * is dropped: "Karine" is how a room addresses Karine Jean-Pierre, not a topic. Everything else is a
 * group of its own. `candidates` come most widespread first; groups keep that order.
 */
export function groupVariants(candidates: readonly NameCandidate[]): NameGroup[] {
  const parsed = candidates.map((c) => ({ c, ...personWords(c.display) }));
  // Title evidence by surname, summed over every spelling that ends in it.
  const titledSurname = new Map<string, number>();
  const aloneUses = new Map<string, number>();
  for (const p of parsed) {
    const last = p.words.at(-1)?.toLowerCase();
    if (last === undefined) continue;
    // Only a surname alone or a full name counts: "President Biden's American Rescue Plan" is no
    // evidence that "Plan" is a surname.
    if ((p.titled || p.c.titled > 0) && (p.words.length === 1 || fullNameShape(p.words)))
      titledSurname.set(last, (titledSurname.get(last) ?? 0) + p.c.titled + (p.titled ? p.c.articles : 0));
    if (p.c.display.toLowerCase() === last) aloneUses.set(last, p.c.capitalUses);
  }
  // A surname is a person's when a title comes before it often enough: three times, and in one use
  // in twenty of the word alone ("President Biden" most of the time; "Mexico" after a title by chance).
  const personal = (surname: string): boolean => {
    const titled = titledSurname.get(surname) ?? 0;
    return titled >= MIN_TITLED && titled * 20 >= (aloneUses.get(surname) ?? 0);
  };
  const groups: {
    founder: string;
    titled: boolean;
    members: { display: string; plain: boolean; articles: number }[];
  }[] = [];
  const byPerson = new Map<string, number>();
  const bySurname = new Map<string, number>();
  const givenReach = new Map<string, number>();
  for (const p of parsed) {
    // A founder is written as a name, or after a title: "National Emergencies Act" founds nobody.
    if (p.cut || !fullNameShape(p.words) || (!p.titled && p.words.join(' ') !== p.c.display)) continue;
    const surname = p.words.at(-1)!.toLowerCase();
    if (!personal(surname)) continue;
    const key = personKey(p.words);
    if (byPerson.has(key)) continue;
    byPerson.set(key, groups.length);
    // A surname alone means the person whose full name itself comes after a title ("President Mahmoud
    // Abbas", not the port of Bandar Abbas), else the most widespread.
    const holder = bySurname.get(surname);
    const titledFull = p.titled || p.c.titled > 0;
    if (holder === undefined || (titledFull && !groups[holder]!.titled))
      bySurname.set(surname, groups.length);
    const given = givenKey(p.words[0]!);
    givenReach.set(given, Math.max(givenReach.get(given) ?? 0, p.c.articles));
    groups.push({ founder: p.words.join(' '), titled: titledFull, members: [] });
  }
  const order: (NameGroup | number)[] = [];
  for (const p of parsed) {
    const target = findPerson(p.words, byPerson, bySurname);
    if (target === undefined) {
      const given = p.words.length === 1 ? givenKey(p.words[0]!) : '';
      if ((givenReach.get(given) ?? 0) * 2 >= p.c.articles) continue;
      // "Biden-Harris", "Biden-Harris Administration": a ticket of people who are topics themselves.
      if (
        p.words.some(
          (w) => w.includes('-') && w.split('-').every((part) => bySurname.has(part.toLowerCase())),
        )
      )
        continue;
      // "Sisi of Egypt", "King Abdullah of Jordan": a person's title and country, named without them.
      const of = p.c.display.indexOf(' of ');
      if (of > 0 && p.words.length === 1 && personal(p.words[0]!.toLowerCase())) {
        order.push({ name: p.c.display.slice(0, of), aliases: [p.c.display], articles: p.c.articles });
        continue;
      }
      order.push({ name: p.c.display, aliases: [], articles: p.c.articles });
      continue;
    }
    const { members } = groups[target]!;
    if (members.length === 0) order.push(target);
    const plain = p.words.length === 2 && p.words.join(' ') === p.c.display;
    members.push({ display: p.c.display, plain, articles: p.c.articles });
  }
  return order.map((g) => {
    if (typeof g !== 'number') return g;
    const { founder, members } = groups[g]!;
    // The canonical name is the plainest spelling (given name and surname, nothing else) most written.
    const name =
      members.filter((m) => m.plain).sort((a, b) => b.articles - a.articles)[0]?.display ?? founder;
    const aliases = [...new Set(members.map((m) => m.display))].filter((a) => a !== name);
    return { name, aliases, articles: Math.max(...members.map((m) => m.articles)) };
  });
}

/** The person a spelling names: its full name (or a full name at its end), else its surname alone. */
function findPerson(
  words: readonly string[],
  byPerson: Map<string, number>,
  bySurname: Map<string, number>,
): number | undefined {
  for (let k = 0; words.length - k >= 2; k++) {
    const tail = words.slice(k);
    if (tail.length <= 3 && fullNameShape(tail)) {
      const found = byPerson.get(personKey(tail));
      if (found !== undefined) return found;
    }
  }
  return words.length === 1 ? bySurname.get(words[0]!.toLowerCase()) : undefined;
}
