/**
 * A feed item as an article file: `feeds/<feed>/<date>-<slug>.md` under the corpus, Markdown with the
 * front matter the corpus loader reads (src/engine/corpus/parse.ts: title, date, source, url, tags),
 * plus `feed` and `author`, which the loader ignores and a reader of the file does not. Readable,
 * diffable, and removable by hand.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { atomicWrite, slugName } from './subscriptions.ts';

export interface ArticleDraft {
  title: string;
  /** `YYYY-MM-DD`. */
  date: string;
  /** The publisher: the page's site name, else the feed's title. */
  source: string | null;
  url: string | null;
  feed: string;
  /** The feed's topics, as the loader's `tags`. */
  tags: readonly string[];
  author: string | null;
  text: string;
}

export function renderArticle(a: ArticleDraft): string {
  const front: Record<string, unknown> = { title: a.title, date: a.date };
  if (a.source !== null) front.source = a.source;
  if (a.url !== null) front.url = a.url;
  front.feed = a.feed;
  if (a.tags.length > 0) front.tags = [...a.tags];
  if (a.author !== null) front.author = a.author;
  // Quoted strings throughout: a title such as "No: the answer" must stay a string, never YAML syntax.
  const yaml = stringifyYaml(front, {
    defaultStringType: 'QUOTE_DOUBLE',
    defaultKeyType: 'PLAIN',
    lineWidth: 0,
  });
  return `---\n${yaml}---\n\n${a.text.trim()}\n`;
}

/** A new file's path relative to the corpus: `feeds/<feed>/<date>-<slug>.md`, never an existing one. */
export function articlePath(corpusDir: string, a: Pick<ArticleDraft, 'feed' | 'date' | 'title'>): string {
  const stem = `feeds/${a.feed}/${a.date}-${slugName(a.title, 80)}`;
  for (let n = 1; ; n++) {
    const rel = `${stem}${n === 1 ? '' : `-${n}`}.md`;
    if (!existsSync(path.join(corpusDir, rel))) return rel;
  }
}

export async function writeArticle(corpusDir: string, rel: string, a: ArticleDraft): Promise<void> {
  await atomicWrite(path.join(corpusDir, rel), renderArticle(a));
}
