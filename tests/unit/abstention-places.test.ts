import { describe, expect, it } from 'vitest';
import { CorpusEngine } from '../../src/engine/engine.ts';
import { buildIndex } from '../../src/engine/index/build.ts';
import { loadTopics } from '../../src/engine/index/topics.ts';
import { testArticle } from '../helpers/articles.ts';
import { TOPICS } from '../helpers/fixtures.ts';

const definitions = await loadTopics(TOPICS);
const ARTICLES = [
  testArticle({
    id: 'tanker',
    date: '2024-01-27',
    text: 'The oil tanker Marlin Luanda was attacked by Houthi missiles in the Gulf of Aden, causing a fire onboard.',
  }),
  // Other news, so that Yemen is a name of weight, though less specific than the tanker's.
  ...Array.from({ length: 40 }, (_, n) =>
    testArticle({
      id: `markets-${n}`,
      date: '2024-02-01',
      text: `Markets in Paris closed higher on trading day ${n}.`,
    }),
  ),
  ...[1, 2, 3, 4].map((n) =>
    testArticle({
      id: `yemen-${n}`,
      date: `2024-01-0${n}`,
      text: `Aid agencies say food prices in Yemen rose again in week ${n} as fuel imports fell.`,
    }),
  ),
];
const engine = new CorpusEngine({ index: buildIndex(ARTICLES, definitions), corpusVersion: 'test' });

describe('the place a question sets its event in', () => {
  it('need not be named by the evidence when the question names something more specific', async () => {
    const answer = await engine.ask('What happened to the tanker Marlin Luanda off Yemen?');
    expect(answer.status).toBe('answered');
    expect(answer.sources[0]?.articleId).toBe('tanker');
  });

  it('still leaves a question unanswered when the specific thing it asks about is missing', async () => {
    expect((await engine.ask('What happened to the tanker Galaxy Leader off Yemen?')).status).toBe(
      'no_sources',
    );
    expect((await engine.ask('What was the population of Yemen?')).status).toBe('no_sources');
  });
});
