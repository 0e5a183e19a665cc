import { slugify } from '../text.ts';
import type { Article, DuplicateMerge } from './article.ts';

/**
 * Which of several records with the same normalised text survives. One record is kept whole (its title,
 * date, URL and publisher together: a copy's URL never lands on another copy's title), chosen by:
 * 1. the earliest date (the first publication; later copies are reposts);
 * 2. then the URL whose last path segment best matches its own title (a scraper that paired a page with
 *    the wrong URL leaves a slug that names another document);
 * 3. then the smallest id, so the choice never depends on file order.
 */
export function mergeDuplicates(copies: readonly Article[]): { kept: Article; merges: DuplicateMerge[] } {
  const ranked = copies.map((article) => ({ article, match: urlTitleMatch(article) }));
  ranked.sort(
    (a, b) =>
      compare(a.article.date, b.article.date) || b.match - a.match || compare(a.article.id, b.article.id),
  );
  const best = ranked[0]!;
  const merges = ranked.slice(1).map(({ article, match }) => ({
    articleId: article.id,
    mergedInto: best.article.id,
    origin: article.origin,
    reason:
      article.date !== best.article.date
        ? `same text as "${best.article.id}", which is dated earlier (${best.article.date}, not ${article.date})`
        : match !== best.match
          ? `same text as "${best.article.id}", whose URL matches its title better`
          : `same text as "${best.article.id}" (same date and URL match; the smaller id is kept)`,
  }));
  return { kept: best.article, merges };
}

/**
 * The share of the title's words that the URL's slug holds, 0 to 1 (0 without a URL). The slug is the
 * last non-empty path segment: "…/fact-sheet-president-donald-j-trump-re-designates-the-houthis-…/".
 */
export function urlTitleMatch(article: Pick<Article, 'title' | 'url'>): number {
  if (article.url === null) return 0;
  let path: string;
  try {
    path = new URL(article.url).pathname;
  } catch {
    path = article.url;
  }
  const segment =
    path
      .split('/')
      .filter((s) => s !== '')
      .at(-1) ?? '';
  const slugWords = new Set(slugify(decodeSafely(segment)).split('-'));
  const titleWords = slugify(article.title)
    .split('-')
    .filter((w) => w !== '');
  if (titleWords.length === 0) return 0;
  return titleWords.filter((w) => slugWords.has(w)).length / titleWords.length;
}

function decodeSafely(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
