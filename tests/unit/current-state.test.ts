import { describe, expect, it } from 'vitest';
import { CorpusEngine } from '../../src/engine/engine.ts';
import { buildIndex } from '../../src/engine/index/build.ts';
import { loadTopics } from '../../src/engine/index/topics.ts';
import { planQuery } from '../../src/engine/query.ts';
import { testArticle } from '../helpers/articles.ts';
import { TOPICS } from '../helpers/fixtures.ts';

const definitions = await loadTopics(TOPICS);
const ARTICLES = [
  testArticle({
    id: 'deploy-2019',
    date: '2019-10-25',
    text: 'The United States deploys more troops to eastern Syria to guard the oil fields.',
  }),
  testArticle({
    id: 'withdraw-2026',
    date: '2026-02-18',
    text: 'The United States announces that it will withdraw all remaining troops stationed in Syria.',
  }),
  // The United States is named everywhere, so its name weighs little against the question's other words.
  ...['Cuba', 'Venezuela', 'Belarus', 'Myanmar', 'Nicaragua', 'Eritrea'].map((country, i) =>
    testArticle({
      id: `sanctions-${i}`,
      date: `2025-0${i + 1}-10`,
      text: `The United States imposes new sanctions on officials of ${country}.`,
    }),
  ),
  // Newer, and about troops in Syria, but not American ones.
  testArticle({
    id: 'raid-2026',
    date: '2026-08-22',
    text: 'Israeli troops stationed in southern Syria raid a village and detain three people.',
  }),
];
const engine = new CorpusEngine({ index: buildIndex(ARTICLES, definitions), corpusVersion: 'test' });

describe('a question about the current state', () => {
  it('reads "still" as asking for the newest evidence, not as a word the evidence must hold', () => {
    const plan = planQuery(engine.index, 'Are American troops still stationed in Syria?');
    expect(plan.wantsRecent).toBe(true);
    expect(plan.concepts.map((c) => c.text)).not.toContain('still');
    // "What is the status / situation of X" asks for the state of X: the words are no evidence to hold.
    const status = planQuery(engine.index, 'What is the status of American troops in Syria?');
    expect(status.wantsRecent).toBe(true);
    expect(status.concepts.map((c) => c.text)).not.toContain('status');
  });

  it('leads with the newest line about its whole subject, not a newer one about part of it', async () => {
    const answer = await engine.ask('Are American troops still stationed in Syria?');
    expect(answer.status).toBe('answered');
    const first = answer.sources.find((s) => s.n === answer.bullets[0]!.citations[0]);
    expect(first?.articleId).toBe('withdraw-2026');
    // The older deployment may follow only as background, after the newer state.
    const order = answer.bullets.map((b) => answer.sources.find((s) => s.n === b.citations[0])!.articleId);
    if (order.includes('deploy-2019')) expect(order.indexOf('deploy-2019')).toBeGreaterThan(0);
  });
});

describe('an event named to date a question', () => {
  const words = (q: string) => planQuery(engine.index, q).concepts.map((c) => c.text);

  it('is no subject when the question has its own dates ("after Assad fell (December 8-10, 2024)")', () => {
    expect(
      words('What did Israeli troops raid in Syria after Assad fell (December 8-10, 2024)?'),
    ).not.toContain('Assad');
    expect(
      words('What did the United States do in Syria since the fall of Assad in December 2024?'),
    ).not.toContain('Assad');
  });

  it('stays the subject when it carries the dates itself or the question has none', () => {
    expect(words('Did attacks in Syria die down after the January 2020 killing of Soleimani?')).toContain(
      'Soleimani',
    );
    expect(words('What did Israeli troops raid in Syria after Assad fell?')).toContain('Assad');
  });
});

describe('the lead of a current-state answer', () => {
  const corpus = new CorpusEngine({
    index: buildIndex(
      [
        testArticle({
          id: 'arrest',
          date: '2026-05-15',
          text: 'A commander of Kataib Hezbollah is arrested in Turkey and extradited to the United States.',
        }),
        testArticle({
          id: 'offer',
          date: '2026-06-02',
          text: 'Two militias say they will hand their weapons to the government. However, Kataib Hezbollah rejects the offer and will keep its own.',
        }),
        ...Array.from({ length: 6 }, (_, n) =>
          testArticle({
            id: `other-${n}`,
            date: '2025-01-10',
            text: `Markets in Baghdad closed higher on day ${n}.`,
          }),
        ),
      ],
      definitions,
    ),
    corpusVersion: 'test',
  });

  it('is a plain sentence rather than a newer one that leans on the one before ("However, …")', async () => {
    const answer = await corpus.ask('What is the latest on Kataib Hezbollah?');
    const first = answer.sources.find((s) => s.n === answer.bullets[0]!.citations[0]);
    expect(first?.articleId).toBe('arrest');
    // It follows, quoted with the sentence it answers.
    expect(answer.bullets.slice(1).map((b) => b.text)).toContain(
      'Two militias say they will hand their weapons to the government. However, Kataib Hezbollah rejects the offer and will keep its own.',
    );
  });
});

describe('word forms of a question word', () => {
  const index = buildIndex(
    [
      testArticle({ id: 'coast', date: '2024-01-01', text: 'Coastal towns were shelled along the coast.' }),
      testArticle({
        id: 'popular',
        date: '2024-01-02',
        text: 'The Popular Mobilization Forces popularity grew.',
      }),
      testArticle({ id: 'population', date: '2024-01-03', text: 'The population of the city grew again.' }),
    ],
    [],
  );
  const forms = (word: string) => {
    const c = planQuery(index, `what about the ${word}`).concepts.find((x) => x.text === word);
    return c?.kind === 'word' ? c.alternates.map((t) => index.termText[t]) : [];
  };

  it('include the longer words the stem begins ("coast", "coastal")', () => {
    expect(forms('coast')).toContain('coastal');
  });

  it('leave out longer words that are other words than the one typed ("population" is not "popular")', () => {
    expect(forms('population')).not.toContain('popular');
  });
});
