import { describe, expect, it } from 'vitest';
import { CorpusEngine } from '../../src/engine/engine.ts';
import { buildIndex } from '../../src/engine/index/build.ts';
import { testArticle } from '../helpers/articles.ts';

// Protests in Iran in two years, and a tower whose name carries a number.
const ARTICLES = [
  ...['2022-10-03', '2022-11-20', '2026-01-08', '2026-01-11', '2026-02-06'].map((date, n) =>
    testArticle({
      id: `protests-${date}`,
      date,
      text: `Security forces fire on protesters in Tehran as protests spread across Iran for a week (${n}); dozens are arrested.`,
    }),
  ),
  testArticle({
    id: 'vision',
    date: '2024-09-24',
    text: "The summit is the culmination of Saudi Arabia's Vision 2030 reform program.",
  }),
];
const engine = new CorpusEngine({ index: buildIndex(ARTICLES, []), corpusVersion: 'years' });

describe('a year among the free text of a briefing', () => {
  it('keeps the briefing and its key dates to that year, read as when rather than as a word', async () => {
    const b = await engine.brief('iran protests 2026');
    expect(b.status).toBe('answered');
    const dates = [...b.bullets, ...b.keyDates].map((x) => x.date);
    expect(dates.length).toBeGreaterThan(1);
    expect(dates.every((d) => d?.startsWith('2026-'))).toBe(true);
    expect(b.sources.map((s) => s.articleId)).toContain('protests-2026-02-06');
  });

  it('says when a topic has nothing in that year', async () => {
    const b = await engine.brief('iran protests 1999');
    expect(b.status).toBe('no_sources');
    expect(b.reason).toMatch(/1999-01-01.*1999-12-31/);
  });

  it('leaves a year that a name the corpus writes carries ("vision 2030"), or one the corpus never reaches', async () => {
    const b = await engine.brief('saudi vision 2030');
    expect(b.status).toBe('answered');
    expect(b.sources[0]?.articleId).toBe('vision');
  });

  it('refuses a year outside the dates asked, saying how to fix it', async () => {
    await expect(engine.brief('iran protests 2022', { since: '2025-01-01' })).rejects.toThrow(
      /2022 is outside --since 2025-01-01/,
    );
  });
});
