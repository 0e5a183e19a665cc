import { damerau } from './index/fuzzy.ts';
import type { Topic } from './index/topics.ts';
import { slugify } from './text.ts';

/** A topic offered while someone types: for autocomplete menus. */
export interface TopicSuggestion {
  slug: string;
  name: string;
  articles: number;
  curated: boolean;
}

/** How well one spelling (slug, name or alias, folded to `a-z0-9 `) matches what was typed. */
function matchScore(typed: string, spelling: string): number {
  if (spelling === typed) return 100;
  if (spelling.startsWith(typed)) return 80;
  if (spelling.split(' ').some((word) => word.startsWith(typed))) return 60;
  if (spelling.includes(typed)) return 40;
  // A typo in what was typed so far: compare with the spelling's start of the same length.
  if (typed.length >= 4) {
    const limit = typed.length >= 7 ? 2 : 1;
    const words = [spelling, ...spelling.split(' ')];
    if (words.some((w) => damerau(typed, w.slice(0, typed.length), limit) <= limit)) return 20;
  }
  return 0;
}

const fold = (s: string) => slugify(s).replace(/-/g, ' ');

/**
 * Topics matching what was typed, best first: exact, then prefix, then word prefix, then substring,
 * then one or two typos; ties go to curated topics, then to the most covered. Empty input lists the
 * curated topics first, then the most covered discovered ones.
 */
export function suggestTopics(topics: readonly Topic[], typed: string, limit = 25): TopicSuggestion[] {
  const query = fold(typed);
  const scored: { topic: Topic; score: number }[] = [];
  for (const topic of topics) {
    if (topic.articles === 0) continue;
    let score = query === '' ? 1 : 0;
    if (score === 0) {
      for (const spelling of [topic.slug.replace(/-/g, ' '), topic.name, ...topic.aliases]) {
        score = Math.max(score, matchScore(query, fold(spelling)));
        if (score === 100) break;
      }
    }
    if (score > 0) scored.push({ topic, score });
  }
  scored.sort(
    (a, b) =>
      b.score - a.score ||
      Number(b.topic.curated) - Number(a.topic.curated) ||
      b.topic.articles - a.topic.articles ||
      a.topic.name.localeCompare(b.topic.name),
  );
  return scored.slice(0, limit).map(({ topic }) => ({
    slug: topic.slug,
    name: topic.name,
    articles: topic.articles,
    curated: topic.curated,
  }));
}
