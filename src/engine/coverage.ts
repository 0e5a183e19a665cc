/**
 * What the corpus covers: its size and date range, its topics, and which topics a subset of it (what is
 * new since the last daily post) mentions most.
 */
import type { SearchIndex } from './index/build.ts';
import type { ArticleFilter } from './request.ts';
import type { TopicList } from './result.ts';

/** How topic coverage is counted. */
export interface CoverageOptions {
  /** Topics returned at most. @default 10 */
  limit: number;
  /**
   * Largest subset whose articles are searched for discovered topic names (curated topics have
   * postings; discovered ones are found by reading the text). @default 500 — a day's digest is far smaller.
   */
  discoveredMax: number;
}

export const DEFAULT_COVERAGE: CoverageOptions = { limit: 10, discoveredMax: 500 };

/** A topic and how many articles of a subset mention it. */
export interface TopicCoverage {
  slug: string;
  name: string;
  articles: number;
}

/**
 * Topics by how many of the articles `only` keeps mention them, most first: curated topics by their
 * every spelling, discovered ones by name (checked only while the subset is small, as a digest's is).
 */
export function coverage(
  index: SearchIndex,
  only: ArticleFilter,
  limit: number,
  settings: CoverageOptions = DEFAULT_COVERAGE,
): TopicCoverage[] {
  const kept: number[] = [];
  index.articles.forEach((a, i) => {
    if (only.keep(a)) kept.push(i);
  });
  const keep = new Set(kept);
  const counts = index.topics.map((topic, t) => {
    const mentions = index.topicMentions[t];
    let n = 0;
    if (mentions !== undefined) {
      // Mentions are sorted by passage, so each article's come together.
      let last = -1;
      for (const p of mentions.passages) {
        const a = index.passageArticle[p]!;
        if (a !== last && keep.has(a)) n++;
        last = a;
      }
    } else if (kept.length <= settings.discoveredMax) {
      for (const a of kept) {
        const article = index.articles[a]!;
        // Any of its spellings counts: "Biden" is a mention of Joe Biden.
        const names = [topic.name, ...topic.aliases];
        if (names.some((name) => article.title.includes(name) || article.text.includes(name))) n++;
      }
    }
    return { slug: topic.slug, name: topic.name, articles: n };
  });
  return counts
    .filter((c) => c.articles > 0)
    .sort((a, b) => b.articles - a.articles)
    .slice(0, limit);
}

/** What a corpus holds, for help and status pages. */
export interface CorpusStats {
  articles: number;
  passages: number;
  /** Dates of the oldest and newest article, YYYY-MM-DD. */
  oldest: string;
  newest: string;
  corpusVersion: string;
}

export function corpusStats(index: SearchIndex, corpusVersion: string): CorpusStats {
  let oldest = '';
  let newest = '';
  for (const a of index.articles) {
    if (oldest === '' || a.date < oldest) oldest = a.date;
    if (a.date > newest) newest = a.date;
  }
  return {
    articles: index.articles.length,
    passages: index.passageArticle.length,
    oldest,
    newest,
    corpusVersion,
  };
}

/** The topics that some article mentions, curated and discovered. */
export function topicList(index: SearchIndex): TopicList {
  return {
    topics: index.topics
      .filter((t) => t.articles > 0)
      .map((t) => ({
        slug: t.slug,
        name: t.name,
        aliases: t.aliases,
        articles: t.articles,
        curated: t.curated,
      })),
  };
}
