import type { Article } from '../corpus/article.ts';
import { assemble } from './append.ts';

export { needsLayout } from './append.ts';

import { IndexBuilder } from './builder.ts';
import { DEFAULT_CHUNKING } from './passages.ts';
import type { IndexOptions, SearchIndex } from './shape.ts';
import { AliasMatcher, type TopicDefinition } from './topics.ts';

export * from './shape.ts';

/** Text characters of `articles`: sizes a builder's arrays once. */
function characters(articles: readonly Article[]): number {
  let n = 0;
  for (const a of articles) n += a.text.length;
  return n;
}

export function buildIndex(
  articles: Article[],
  definitions: readonly TopicDefinition[],
  options: IndexOptions = {},
): SearchIndex {
  const matcher = new AliasMatcher(definitions);
  const builder = new IndexBuilder(matcher, options.chunking ?? DEFAULT_CHUNKING, characters(articles));
  for (const article of articles) builder.add(article);
  return assemble(undefined, builder.finish(), matcher, options);
}

/** Options of {@link extendIndex}. */
export interface ExtendOptions {
  /**
   * Whether postings whose recent entries pass an eighth of them are laid out whole by this extension,
   * a copy of the postings; without, {@link needsLayout} tells the caller it is due. Default true.
   */
  layOut?: boolean;
}

/**
 * The index of `base`'s articles followed by `added`: the same index, array for array, that
 * `buildIndex([...base.articles, ...added])` gives (its postings read alike, see `append.ts`), at the cost
 * of indexing `added` and appending to `base`'s arrays, with `base`'s topic definitions and options.
 * `base` is not changed and may stay in service meanwhile.
 */
export function extendIndex(
  base: SearchIndex,
  added: readonly Article[],
  options: ExtendOptions = {},
): SearchIndex {
  const chunking = base.options.chunking ?? DEFAULT_CHUNKING;
  const builder = new IndexBuilder(base.matcher, chunking, characters(added), base);
  for (const article of added) builder.add(article);
  return assemble(base, builder.finish(), base.matcher, base.options, options.layOut ?? true);
}

/** Whether `index` was built with these topic definitions and options, so that it can be extended with them. */
export function sameSettings(
  index: SearchIndex,
  definitions: readonly TopicDefinition[],
  options: IndexOptions,
): boolean {
  return (
    JSON.stringify(index.matcher.definitions) === JSON.stringify(definitions) &&
    JSON.stringify(index.options) === JSON.stringify(options)
  );
}
