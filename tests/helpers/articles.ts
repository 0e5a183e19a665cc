import type { Article } from '../../src/engine/corpus/article.ts';
import { normaliseBody } from '../../src/engine/text.ts';

/** An article as the loader makes it, from the fields a test cares about (the text cleaned as on load). */
export function testArticle(fields: {
  id: string;
  date: string;
  text: string;
  title?: string;
  publisher?: string | null;
  url?: string | null;
}): Article {
  const { id, date, text } = fields;
  return {
    id,
    title: fields.title ?? id,
    date,
    publisher: fields.publisher ?? null,
    url: fields.url ?? null,
    tags: [],
    text: normaliseBody(text),
    origin: `${id}.txt`,
  };
}
