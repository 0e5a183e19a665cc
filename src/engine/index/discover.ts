import { slugify } from '../text.ts';
import { type Token, tokenize } from './tokenize.ts';
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
function rawLower(t: Token, text: string, offset: number): string {
  return text.slice(offset + t.start, offset + t.end).toLowerCase();
}

/** A capitalised word that can be part of a name: not a number, not a contraction like "I'm". */
function isNameWord(t: Token, text: string, offset: number): boolean {
  if (!t.capital || /^\d/.test(t.term)) return false;
  const end = offset + t.end;
  const c = text.charCodeAt(end - 2);
  // Cheap check first: contractions end in 'm 'd 's 't or 'll 've 're.
  if (c !== 39 && c !== 0x2019 && text.charCodeAt(end - 3) !== 39 && text.charCodeAt(end - 3) !== 0x2019)
    return true;
  return !/['\u2019](?:m|ll|ve|d|re|t)$/i.test(text.slice(offset + t.start, end));
}

/** A run is capitalised words separated only by a space or a hyphen ("MR. KIRBY: I" is not a name). */
function joined(a: Token, b: Token, text: string, offset: number): boolean {
  if (b.start - a.end !== 1) return false;
  const c = text.charCodeAt(offset + a.end);
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

  addSentence(tokens: readonly Token[], text: string, offset: number, article: number): void {
    let i = 0;
    while (i < tokens.length) {
      const tok = tokens[i]!;
      if (!tok.capital || !isNameWord(tok, text, offset)) {
        i++;
        continue;
      }
      let j = i + 1;
      while (
        j < tokens.length &&
        j - i < MAX_NAME_TOKENS &&
        joined(tokens[j - 1]!, tokens[j]!, text, offset)
      ) {
        const next = tokens[j]!;
        if (isNameWord(next, text, offset)) j++;
        else if (
          CONNECTORS.has(next.term) &&
          tokens[j + 1] !== undefined &&
          isNameWord(tokens[j + 1]!, text, offset)
        )
          j += 2;
        else break;
      }
      let s = i;
      let e = Math.min(j, tokens.length);
      while (s < e && GENERIC.has(rawLower(tokens[s]!, text, offset))) s++;
      while (e > s && GENERIC.has(rawLower(tokens[e - 1]!, text, offset))) e--;
      // A lone capitalised first word of a sentence is usually just capitalised, not a name.
      if (e > s && !(i === 0 && e - s === 1 && s === 0))
        this.count(tokens.slice(s, e), text, offset, article);
      i = j;
    }
  }

  private count(run: readonly Token[], text: string, offset: number, article: number): void {
    const key = run.map((t) => t.term).join(' ');
    const stats = this.names.get(key);
    if (stats === undefined) {
      const single = run.length === 1;
      this.names.set(key, {
        display: text.slice(offset + run[0]!.start, offset + run.at(-1)!.end).replace(/['\u2019]s$/, ''),
        articles: 1,
        lastArticle: article,
        single,
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
