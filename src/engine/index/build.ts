import type { Article } from '../corpus/article.ts';
import { assemble } from './append.ts';
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

/**
 * The index of `base`'s articles followed by `added`: the same index, array for array, that
 * `buildIndex([...base.articles, ...added])` gives, at the cost of indexing `added` and copying `base`'s
 * arrays once (see `append.ts`), with `base`'s topic definitions and options. `base` is not changed and
 * may stay in service meanwhile.
 */
export function extendIndex(base: SearchIndex, added: readonly Article[]): SearchIndex {
  const chunking = base.options.chunking ?? DEFAULT_CHUNKING;
  const builder = new IndexBuilder(base.matcher, chunking, characters(added), base);
  for (const article of added) builder.add(article);
  return assemble(base, builder.finish(), base.matcher, base.options);
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
