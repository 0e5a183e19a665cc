import { slugify } from '../text.ts';
import { CAPITAL } from './scan.ts';
import { type TokenRun, tokenize } from './tokenize.ts';
import type { AliasMatcher, Topic } from './topics.ts';

// Lower-case particles that stay inside a name: "Abu Ali al-Asgari", "Islamic State of Iraq".
const CONNECTORS = new Set(['al', 'el', 'ad', 'ash', 'as', 'az', 'ez', 'bin', 'ibn', 'of', 'de', 'la', 'du']);
const MAX_NAME_TOKENS = 5;

// Capitalised words that are not names of anything a briefing could be about.
const GENERIC = new Set(
  (
    'january february march april may june july august september october november december monday tuesday ' +
    'wednesday thursday friday saturday sunday q mr mrs ms dr president secretary minister prime vice general ' +
    'senator ambassador administration government thank thanks sources wikipedia okay yes no well so and but ' +
    'the a an i we you he she they it this that these those there here as in on at for to of with by from or ' +
    'if when what where who why how our my your his her their its after before during over under all some ' +
    'am pm a.m p.m edt est et utc okay yeah hi hello please let'
  ).split(' '),
);

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

/** A run is capitalised words separated only by a space or a hyphen ("MR. KIRBY: I" is not a name). */
function joined(run: TokenRun, a: number, b: number, text: string): boolean {
  if (run.starts[b]! - run.ends[a]! !== 1) return false;
  const c = text.charCodeAt(run.ends[a]!);
  return c === 32 || c === 45;
}

interface NameStats {
  display: string;
  articles: number;
  lastArticle: number;
  single: boolean;
  capitalUses: number;
}

/** Counts capitalised word runs by article while the index is built. */
export class NameCounter {
  readonly names = new Map<string, NameStats>();

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
      let s = i;
      let e = Math.min(j, to);
      while (s < e && GENERIC.has(rawLower(run, s, text))) s++;
      while (e > s && GENERIC.has(rawLower(run, e - 1, text))) e--;
      // A lone capitalised first word of a sentence is usually just capitalised, not a name.
      if (e > s && !(i === from && e - s === 1 && s === from)) this.count(run, s, e, text, termText, article);
      i = j;
    }
  }

  private count(
    run: TokenRun,
    from: number,
    to: number,
    text: string,
    termText: readonly string[],
    article: number,
  ): void {
    let key = termText[run.ids[from]!]!;
    for (let k = from + 1; k < to; k++) key += ` ${termText[run.ids[k]!]!}`;
    const stats = this.names.get(key);
    if (stats === undefined) {
      this.names.set(key, {
        display: text.slice(run.starts[from]!, run.ends[to - 1]!).replace(/['\u2019]s$/, ''),
        articles: 1,
        lastArticle: article,
        single: to - from === 1,
        capitalUses: 1,
      });
      return;
    }
    stats.capitalUses++;
    if (stats.lastArticle !== article) {
      stats.articles++;
      stats.lastArticle = article;
    }
  }
}

/** A name found often enough in the corpus to be offered as a topic. */
export interface DiscoveredTopic extends Topic {
  curated: false;
}

/**
 * The most widespread names not already covered by a curated topic, by number of articles.
 * One-word names must be written capitalised in most of their uses ("Force" alone is not a name).
 */
export function discoverNames(
  counter: NameCounter,
  matcher: AliasMatcher,
  /** All uses of a term, any case: lower-case uses are these minus the capitalised ones counted here. */
  totalUses: (term: string) => number,
  options: { minArticles: number; max: number; taken: Set<string> },
): DiscoveredTopic[] {
  const bySlug = new Map<string, DiscoveredTopic>();
  const candidates = [...counter.names.entries()]
    .filter(([, s]) => s.articles >= options.minArticles)
    .sort((a, b) => b[1].articles - a[1].articles);
  for (const [key, stats] of candidates) {
    if (bySlug.size >= options.max) break;
    const words = key.split(' ');
    if (words.every((w) => GENERIC.has(w) || CONNECTORS.has(w))) continue;
    if (stats.single) {
      const lower = totalUses(key) - stats.capitalUses;
      if (lower > stats.capitalUses * 0.25) continue;
    }
    const toks = tokenize(stats.display);
    const covered = matcher.match(toks.map((t) => ({ ...t, upper: true }))).reduce((n, m) => n + m.length, 0);
    if (covered === toks.length) continue;
    const slug = slugify(stats.display);
    if (slug === '' || options.taken.has(slug) || bySlug.has(slug)) continue;
    bySlug.set(slug, { slug, name: stats.display, aliases: [], curated: false, articles: stats.articles });
  }
  return [...bySlug.values()];
}
