/**
 * Structural checks of an index read from disk. The checksum catches a damaged file; these catch a file
 * that is intact but wrong (a writer's bug, or a file made by hand), whose offsets would otherwise drive
 * the retrieval loops out of bounds or into a spin: every offset array must rise, stay inside the array
 * it points into, and agree in length with what it describes.
 */
import type { Article } from '../corpus/article.ts';
import type { Postings, SearchIndex } from './build.ts';

type Offsets = Uint32Array | Int32Array;

/** Why `index` cannot be used over `articles`, or undefined when every bound holds. */
export function indexProblem(
  index: Omit<SearchIndex, 'matcher' | 'synonyms' | 'vocabulary' | 'names' | 'options'>,
  articles: readonly Article[],
): string | undefined {
  const passages = index.passageArticle.length;
  const sentences = index.sentenceStart.length;
  const terms = index.termText.length;
  for (const [name, a] of [
    ['passageDay', index.passageDay],
    ['passageStart', index.passageStart],
    ['passageEnd', index.passageEnd],
    ['passageFirstSentence', index.passageFirstSentence],
    ['passageLastSentence', index.passageLastSentence],
    ['passageLength', index.passageLength],
  ] as const) {
    if (a.length !== passages) return `${name} has ${a.length} entries for ${passages} passages`;
  }
  if (index.sentenceEnd.length !== sentences) return 'sentenceStart and sentenceEnd differ in length';
  if (index.sentenceInfo.length !== sentences) return 'sentenceInfo and sentenceStart differ in length';
  if (!Array.isArray(index.speakers)) return 'speakers missing';
  for (let s = 0; s < sentences; s++) {
    if (index.sentenceInfo[s]! >>> 2 > index.speakers.length) return `sentence ${s} names an unknown speaker`;
  }
  if (index.titleLength.length !== articles.length) return 'titleLength does not match the articles';
  if (index.topicMentions.length > index.topics.length) return 'more topic mentions than topics';
  return (
    rising('articlePassageStart', index.articlePassageStart, articles.length + 1, passages) ??
    rising('tokenStart', index.tokenStart, passages + 1, index.tokens.length) ??
    postings('body', index.body, terms, passages) ??
    postings('title', index.title, terms, articles.length) ??
    passageBounds(index, articles, sentences) ??
    mentions(index, passages, articles.length)
  );
}

/** `a` has `length` entries, starts at 0, never falls, and ends at `end`. */
function rising(name: string, a: Offsets, length: number, end: number): string | undefined {
  if (a.length !== length) return `${name} has ${a.length} entries, expected ${length}`;
  if (a[0] !== 0 || a[length - 1] !== end) return `${name} does not span [0, ${end}]`;
  for (let i = 1; i < length; i++) if (a[i]! < a[i - 1]!) return `${name} falls at ${i}`;
  return undefined;
}

/** The values of `a` rise (looked up by binary search). */
function ascending(name: string, a: Offsets): string | undefined {
  for (let i = 1; i < a.length; i++) if (a[i]! <= a[i - 1]!) return `${name} are not in order at ${i}`;
  return undefined;
}

/** Every value of `a` is below `limit`. */
function below(name: string, a: Offsets | Uint8Array, limit: number): string | undefined {
  for (let i = 0; i < a.length; i++) if (a[i]! >= limit) return `${name}[${i}] = ${a[i]} >= ${limit}`;
  return undefined;
}

function postings(name: string, p: Postings, terms: number, documents: number): string | undefined {
  if (p.tfs.length !== p.ids.length) return `${name}: ids and counts differ in length`;
  return (
    rising(`${name}.start`, p.start, terms + 1, p.ids.length) ??
    below(`${name}.ids`, p.ids, documents) ??
    (p.recent === undefined ? undefined : postings(`${name}.recent`, p.recent, terms, documents))
  );
}

function passageBounds(
  index: Parameters<typeof indexProblem>[0],
  articles: readonly Article[],
  sentences: number,
): string | undefined {
  for (let p = 0; p < index.passageArticle.length; p++) {
    const article = articles[index.passageArticle[p]!];
    if (article === undefined) return `passage ${p} names no article`;
    const textLength = article.text.length;
    if (index.passageStart[p]! > index.passageEnd[p]! || index.passageEnd[p]! > textLength)
      return `passage ${p} lies outside its article`;
    const first = index.passageFirstSentence[p]!;
    const last = index.passageLastSentence[p]!;
    if (first > last || last > sentences) return `passage ${p} has sentences out of range`;
    for (let s = first; s < last; s++)
      if (index.sentenceStart[s]! > index.sentenceEnd[s]! || index.sentenceEnd[s]! > textLength)
        return `sentence ${s} lies outside its article`;
  }
  return undefined;
}

function mentions(
  index: Parameters<typeof indexProblem>[0],
  passages: number,
  articles: number,
): string | undefined {
  for (const [t, m] of index.topicMentions.entries()) {
    if (m.counts.length !== m.passages.length) return `topic ${t}: passages and counts differ in length`;
    const problem =
      below(`topic ${t} passages`, m.passages, passages) ??
      below(`topic ${t} title articles`, m.titleArticles, articles) ??
      ascending(`topic ${t} passages`, m.passages) ??
      ascending(`topic ${t} title articles`, m.titleArticles);
    if (problem !== undefined) return problem;
  }
  return undefined;
}
