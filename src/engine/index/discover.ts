import { slugify } from '../text.ts';
import { BOILERPLATE, GENERIC, ROLE_WORDS, TITLES } from './name-words.ts';
import { CAPITAL, UPPER } from './scan.ts';
import { type TokenRun, tokenize } from './tokenize.ts';
import type { AliasMatcher, Topic } from './topics.ts';
import { groupVariants, type NameCandidate } from './variants.ts';

// Lower-case particles that stay inside a name: "Abu Ali al-Asgari", "Islamic State of Iraq", "Roe v. Wade".
const CONNECTORS = new Set([
  'al',
  'el',
  'ad',
  'ash',
  'as',
  'az',
  'ez',
  'bin',
  'ibn',
  'of',
  'de',
  'la',
  'du',
  'v',
]);
const MAX_NAME_TOKENS = 5;

// Module-level helpers, not closures: addSentence runs for every sentence of the corpus.
function rawLower(run: TokenRun, i: number, text: string): string {
  return text.slice(run.starts[i]!, run.ends[i]!).toLowerCase();
}

/** A capitalised word that can be part of a name: not a number, not a contraction like "I'm". */
function isNameWord(run: TokenRun, i: number, text: string): boolean {
  if ((run.flags[i]! & CAPITAL) === 0) return false;
  const first = text.charCodeAt(run.starts[i]!);
  if (first >= 48 && first <= 57) return false;
  const end = run.ends[i]!;
  const c = text.charCodeAt(end - 2);
  // Cheap check first: contractions end in 'm 'd 's 't or 'll 've 're.
  if (c !== 39 && c !== 0x2019 && text.charCodeAt(end - 3) !== 39 && text.charCodeAt(end - 3) !== 0x2019)
    return true;
  return !/['\u2019](?:m|ll|ve|d|re|t)$/i.test(text.slice(run.starts[i]!, end));
}

/**
 * A run is capitalised words separated only by a space or a hyphen ("MR. KIRBY: I" is not a name), or
 * by ". " after an initial ("Donald J. Trump", "Joseph R. Biden Jr.").
 */
function joined(run: TokenRun, a: number, b: number, text: string): boolean {
  const gap = run.starts[b]! - run.ends[a]!;
  const c = text.charCodeAt(run.ends[a]!);
  if (gap === 1) return c === 32 || c === 45;
  return (
    gap === 2 && c === 46 && run.ends[a]! - run.starts[a]! === 1 && text.charCodeAt(run.ends[a]! + 1) === 32
  );
}

/** Every word of `[from, to)` written in capitals: a heading, a speaker label or a signature block. */
function shouted(run: TokenRun, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    if ((run.flags[k]! & UPPER) === 0 && run.ends[k]! - run.starts[k]! > 1) return false;
  }
  return true;
}

/** "Mr. ", "Ms. ", "Dr. " or "Mrs. " just before `start`: the name after it is a person's. */
function honorificBefore(text: string, start: number): boolean {
  if (start < 4 || text.charCodeAt(start - 1) !== 32 || text.charCodeAt(start - 2) !== 46) return false;
  const t = text.slice(Math.max(0, start - 5), start - 2).toLowerCase();
  return t.endsWith('mr') || t.endsWith('ms') || t.endsWith('dr') || t.endsWith('mrs');
}

/** How one name (a key of {@link NameCounter.names}) is used in the corpus. */
export interface NameStats {
  /** As first written (several words in capitals, a heading's, are never counted). */
  display: string;
  articles: number;
  lastArticle: number;
  single: boolean;
  capitalUses: number;
  /** Uses as a short sentence's addressee, next to a comma: "Go ahead, Patsy.", "Karine, thanks." */
  addressed: number;
  /** Uses right after a title or honorific ("President Biden", "Mr. Kirby"): a person's name. */
  titled: number;
}

/** Sentences this short that name someone beside a comma are addressing them. */
const ADDRESS_TOKENS = 6;

/**
 * Counts capitalised word runs by article while the index is built. The counts stay with the index, so
 * that an extension (`append.ts`) can go on counting over the new articles and discover the same topics
 * a full build would.
 */
export class NameCounter {
  readonly names: Map<string, NameStats>;
  /**
   * Per term id: its capitalised uses past a sentence's first word, inside a longer name or not. A word's
   * other uses are lower-case: "Biden" is rarely alone but always capitalised ("Joe Biden", "Biden-Harris").
   */
  private capitals: Uint32Array;
  /**
   * Stats this counter made or copied, and may change; the others are shared with the counter it started
   * from, which stays in service with its index. Undefined when it started from nothing (all are its own).
   */
  private readonly owned: WeakSet<NameStats> | undefined;

  /** A counter that goes on from `base`'s counts (copied on write: `base` is not changed). */
  constructor(base?: NameCounter) {
    // A copy of the map keeps every name's place: the order names were first met decides ties below.
    this.names = new Map(base?.names);
    this.capitals = base?.capitals.slice() ?? new Uint32Array(1024);
    this.owned = base === undefined ? undefined : new WeakSet();
  }

  /** The counts as plain data, for the index file. */
  toStored(): StoredNames {
    const keys: string[] = [];
    const displays: string[] = [];
    const stats = new Uint32Array(this.names.size * 5);
    let i = 0;
    for (const [key, s] of this.names) {
      keys.push(key);
      displays.push(s.display);
      stats.set([s.articles, s.capitalUses, s.addressed, s.titled, s.single ? 1 : 0], i);
      i += 5;
    }
    return { keys, displays, stats, capitals: trimZeros(this.capitals) };
  }

  /** A counter from {@link toStored}'s data; undefined when it does not hold together. */
  static fromStored(data: StoredNames): NameCounter | undefined {
    const { keys, displays, stats, capitals } = data;
    if (!Array.isArray(keys) || !Array.isArray(displays)) return undefined;
    if (displays.length !== keys.length || stats.length !== keys.length * 5) return undefined;
    const counter = new NameCounter();
    for (let i = 0; i < keys.length; i++) {
      if (typeof keys[i] !== 'string' || typeof displays[i] !== 'string') return undefined;
      counter.names.set(keys[i]!, {
        display: displays[i]!,
        articles: stats[i * 5]!,
        // Only compared with the article being counted, which is always newer than every stored one.
        lastArticle: -1,
        single: stats[i * 5 + 4] === 1,
        capitalUses: stats[i * 5 + 1]!,
        addressed: stats[i * 5 + 2]!,
        titled: stats[i * 5 + 3]!,
      });
    }
    counter.capitals = grown(capitals, Math.max(1023, capitals.length - 1));
    return counter;
  }

  /** The stats of `key` for changing, made this counter's own first when shared with its base. */
  private writable(key: string): NameStats | undefined {
    const stats = this.names.get(key);
    if (stats === undefined || this.owned === undefined || this.owned.has(stats)) return stats;
    const own = { ...stats };
    this.owned.add(own);
    this.names.set(key, own);
    return own;
  }

  private create(key: string, stats: NameStats): void {
    this.owned?.add(stats);
    this.names.set(key, stats);
  }

  /** Uses of term `id` written with a capital. */
  capitalUses(id: number): number {
    return id < this.capitals.length ? this.capitals[id]! : 0;
  }

  /** Uses of term `id` written in lower case, given all its uses. */
  lowerCaseUses(id: number, allUses: number): number {
    return allUses - (id < this.capitals.length ? this.capitals[id]! : 0);
  }

  /**
   * Counts the names in one sentence: tokens `[from, to)` of `run` over `text`, whose term ids are
   * spelled by `termText`.
   */
  addSentence(
    run: TokenRun,
    from: number,
    to: number,
    text: string,
    termText: readonly string[],
    article: number,
  ): void {
    let i = from;
    while (i < to) {
      if (!isNameWord(run, i, text)) {
        i++;
        continue;
      }
      let j = i + 1;
      while (j < to && j - i < MAX_NAME_TOKENS && joined(run, j - 1, j, text)) {
        if (isNameWord(run, j, text)) j++;
        else if (CONNECTORS.has(termText[run.ids[j]!]!) && j + 1 < to && isNameWord(run, j + 1, text)) j += 2;
        else break;
      }
      for (let k = i === from ? i + 1 : i; k < j; k++) {
        const id = run.ids[k]!;
        if (id >= this.capitals.length) this.capitals = grown(this.capitals, id);
        this.capitals[id]! += run.flags[k]! & CAPITAL;
      }
      let s = i;
      let e = Math.min(j, to);
      while (s < e && GENERIC.has(rawLower(run, s, text))) s++;
      while (e > s && GENERIC.has(rawLower(run, e - 1, text))) e--;
      // A lone capitalised first word of a sentence (after "Q" or "Well") is usually just capitalised, and
      // several words all in capitals are a heading or a speaker label ("THE WHITE HOUSE", "MR. KIRBY").
      const startsSentence = i === from && e - s === 1;
      if (startsSentence && e === j && addressing(run, s, e, from, to, text))
        this.address(termText[run.ids[s]!]!);
      if (e > s && !startsSentence && !(e - s > 1 && shouted(run, s, e))) {
        const titled =
          (s > i && TITLES.has(rawLower(run, s - 1, text))) ||
          (s === i && honorificBefore(text, run.starts[s]!));
        const addressed = addressing(run, s, e, from, to, text);
        this.count(run, s, e, text, termText, article, titled, addressed);
      }
      i = j;
    }
  }

  /** A sentence's lone first word addressing someone ("Patsy, go ahead."): not a use as a name. */
  private address(key: string): void {
    const stats = this.writable(key);
    if (stats !== undefined) stats.addressed++;
    else
      this.create(key, {
        display: key,
        articles: 0,
        lastArticle: -1,
        single: true,
        capitalUses: 0,
        addressed: 1,
        titled: 0,
      });
  }

  private count(
    run: TokenRun,
    from: number,
    to: number,
    text: string,
    termText: readonly string[],
    article: number,
    titled: boolean,
    addressed: boolean,
  ): void {
    let key = termText[run.ids[from]!]!;
    for (let k = from + 1; k < to; k++) key += ` ${termText[run.ids[k]!]!}`;
    const stats = this.writable(key);
    if (stats === undefined) {
      this.create(key, {
        display: displayOf(run, from, to, text),
        articles: 1,
        lastArticle: article,
        single: to - from === 1,
        capitalUses: 1,
        addressed: addressed ? 1 : 0,
        titled: titled ? 1 : 0,
      });
      return;
    }
    // An entry made by `address` has the term for a display until the name is first written as one.
    if (stats.capitalUses === 0) stats.display = displayOf(run, from, to, text);
    stats.capitalUses++;
    if (addressed) stats.addressed++;
    if (titled) stats.titled++;
    if (stats.lastArticle !== article) {
      stats.articles++;
      stats.lastArticle = article;
    }
  }
}

/**
 * A name of one or two words that calls on someone: beside a comma in a short sentence ("Go ahead,
 * Patsy.", "Karine, thanks."), alone as a sentence ("Patsy."), or after "go to" ("Let's go to Patsy").
 */
function addressing(run: TokenRun, s: number, e: number, from: number, to: number, text: string): boolean {
  if (e - s > 2) return false;
  const start = run.starts[s]!;
  if (to - from <= ADDRESS_TOKENS) {
    if (e - s === to - from) return true;
    if (text.charCodeAt(run.ends[e - 1]!) === 44 || text.charCodeAt(start - 2) === 44) return true;
  }
  return start >= 6 && text.startsWith('go to ', start - 6);
}

/** {@link NameCounter}'s counts as stored in the index file's header. */
export interface StoredNames {
  keys: string[];
  displays: string[];
  /** Per name: articles, capital uses, addressed, titled, single (0 or 1). */
  stats: Uint32Array;
  /** Capitalised uses per term id (trailing zeros left out). */
  capitals: Uint32Array;
}

function trimZeros(a: Uint32Array): Uint32Array {
  let end = a.length;
  while (end > 0 && a[end - 1] === 0) end--;
  return a.subarray(0, end);
}

function grown(array: Uint32Array, id: number): Uint32Array {
  const next = new Uint32Array(Math.max(id + 1, array.length * 2));
  next.set(array);
  return next;
}

function displayOf(run: TokenRun, from: number, to: number, text: string): string {
  return text.slice(run.starts[from]!, run.ends[to - 1]!).replace(/['\u2019]s$/, '');
}

/** A name found often enough in the corpus to be offered as a topic. */
export interface DiscoveredTopic extends Topic {
  curated: false;
}

/**
 * The most widespread names not already covered by a curated topic, by number of articles, with the
 * variants of one person's name as one topic ({@link groupVariants}). Left out: one-word names written
 * in lower case in more than a fifth of their uses ("Force"), names mostly used to address someone
 * ("Go ahead, Patsy."), adjectives of a place ("Russian" beside "Russia"), single letters, and roles
 * without a name ("National Security Advisor").
 */
export function discoverNames(
  counter: NameCounter,
  matcher: AliasMatcher,
  /** Uses of a one-word name's term written in lower case ({@link NameCounter.lowerCaseUses}). */
  lowerCaseUses: (term: string) => number,
  options: { minArticles: number; max: number; taken: Set<string> },
): DiscoveredTopic[] {
  const candidates = [...counter.names.entries()]
    .filter(([, s]) => s.articles >= options.minArticles)
    .sort((a, b) => b[1].articles - a[1].articles);
  const places = knownNames(candidates, matcher);
  // How widespread the longer names a word starts are: "Saudi" is mostly the start of "Saudi Arabia".
  const startsLonger = new Map<string, number>();
  for (const [, s] of candidates) {
    const space = s.display.indexOf(' ');
    if (space < 0) continue;
    const first = s.display.slice(0, space).toLowerCase();
    startsLonger.set(first, Math.max(startsLonger.get(first) ?? 0, s.articles));
  }
  const kept: NameCandidate[] = [];
  for (const [key, stats] of candidates) {
    const words = key.split(' ');
    if (words.every((w) => GENERIC.has(w) || CONNECTORS.has(w))) continue;
    if (BOILERPLATE.has(stats.display.toLowerCase())) continue;
    if (stats.display.toLowerCase().split(/[ -]/).every(isRoleWord)) continue;
    if (stats.single) {
      if (stats.display.length < 2) continue;
      if (lowerCaseUses(key) > stats.capitalUses * 0.25) continue;
      if (isDemonym(stats.display, places)) continue;
      if ((startsLonger.get(stats.display.toLowerCase()) ?? 0) >= stats.articles) continue;
    }
    // A third of uses addressing someone: a name called in a briefing room, a reporter's or an official's.
    if (words.length <= 2 && stats.addressed * 3 >= stats.capitalUses) continue;
    if (coveredByAliases(stats.display, matcher)) continue;
    kept.push(stats);
  }
  const bySlug = new Map<string, DiscoveredTopic>();
  for (const group of groupVariants(kept)) {
    if (bySlug.size >= options.max) break;
    const slug = slugify(group.name);
    if (slug === '' || options.taken.has(slug)) continue;
    const same = bySlug.get(slug);
    if (same !== undefined) {
      // Two spellings that slugify alike ("Khan Younis", "Khan-Younis") are one topic.
      for (const a of [group.name, ...group.aliases])
        if (a !== same.name && !same.aliases.includes(a)) same.aliases.push(a);
      same.articles = Math.max(same.articles, group.articles);
      continue;
    }
    bySlug.set(slug, {
      slug,
      name: group.name,
      aliases: group.aliases,
      curated: false,
      articles: group.articles,
    });
  }
  return [...bySlug.values()];
}

const isRoleWord = (w: string): boolean => TITLES.has(w) || ROLE_WORDS.has(w) || CONNECTORS.has(w);

/** Lower-case one-word names the corpus and the curated topics hold: the places a demonym comes from. */
/** Per matcher, the names known to be spelled by its aliases or not: asked again at every extension. */
const covered = new WeakMap<AliasMatcher, Map<string, boolean>>();

/** Whether curated aliases spell every word of a name. */
function coveredByAliases(display: string, matcher: AliasMatcher): boolean {
  let known = covered.get(matcher);
  if (known === undefined) {
    known = new Map();
    covered.set(matcher, known);
  }
  let answer = known.get(display);
  if (answer === undefined) {
    const toks = tokenize(display);
    const words = matcher.match(toks.map((t) => ({ ...t, upper: true }))).reduce((n, m) => n + m.length, 0);
    answer = words === toks.length;
    known.set(display, answer);
  }
  return answer;
}

function knownNames(candidates: readonly [string, NameStats][], matcher: AliasMatcher): Places {
  const out = new Set<string>();
  for (const [, s] of candidates) if (s.single) out.add(s.display.toLowerCase());
  for (const d of matcher.definitions)
    for (const n of [d.name, ...d.aliases])
      for (const w of n.split(/[ ()]+/)) if (w !== '') out.add(w.toLowerCase());
  return new Places(out);
}

/** Known one-word names, sorted, so that the names starting with a stem are found by binary search. */
export class Places {
  private readonly sorted: string[];
  constructor(readonly names: ReadonlySet<string>) {
    this.sorted = [...names].sort();
  }

  /** Whether a name other than `except`, shorter than `shorterThan`, starts with `stem`. */
  someStartingWith(stem: string, except: string, shorterThan: number): boolean {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid]! < stem) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.sorted.length && this.sorted[i]!.startsWith(stem); i++) {
      const p = this.sorted[i]!;
      if (p !== except && p.length < shorterThan) return true;
    }
    return false;
  }
}

const DEMONYM_ENDINGS = ['ians', 'ian', 'eans', 'ean', 'ans', 'an', 'ese', 'ish', 'is', 'ic', 'i'];

/**
 * "Russian", "Chinese", "Egyptian", "Ukrainians", "Israeli", "Qataris", "Arabic": a word made from a
 * shorter known name by a demonym's ending describes people or things of that place; the place is the
 * topic. "Jordan" is not one ("Jordanian" is longer), nor "Iran" (too little is left before "an").
 */
export function isDemonym(word: string, places: Places): boolean {
  const w = word.toLowerCase();
  for (const ending of DEMONYM_ENDINGS) {
    if (!w.endsWith(ending)) continue;
    const stem = w.slice(0, -ending.length);
    if (stem.length >= 3 && places.someStartingWith(stem, w, w.length)) return true;
  }
  // "Afghan" of Afghanistan, "Somali" of Somalia.
  return places.names.has(`${w}istan`) || places.names.has(`${w}a`);
}
