import { describe, expect, it } from 'vitest';
import { CorpusEngine } from '../../src/engine/engine.ts';
import { buildIndex } from '../../src/engine/index/build.ts';
import { loadTopics } from '../../src/engine/index/topics.ts';
import { planQuery } from '../../src/engine/query.ts';
import { testArticle } from '../helpers/articles.ts';
import { TOPICS } from '../helpers/fixtures.ts';

const definitions = await loadTopics(TOPICS);
const ARTICLES = [
  // A later fact sheet whose timeline items report other months than the one asked about.
  testArticle({
    id: 'fact-sheet',
    date: '2026-03-02',
    text: [
      'March 2023: An Iranian drone attack killed an American contractor at a base in Syria.',
      'December 2023: Iran-backed militias wounded three U.S. service members in an attack on Erbil Air Base.',
    ].join('\n\n'),
  }),
  testArticle({
    id: 'briefing',
    date: '2023-10-27',
    text: 'A United States contractor died of a heart attack while moving to shelter during one of the drone attacks on the base.',
  }),
  testArticle({
    id: 'retrospective',
    date: '2021-12-17',
    text: 'Attacks on American troops in Iraq accelerated after the strike against Qasem Soleimani in January of 2020.',
  }),
];
const engine = new CorpusEngine({ index: buildIndex(ARTICLES, definitions), corpusVersion: 'test' });
const firstSource = async (question: string) => {
  const answer = await engine.ask(question);
  return answer.sources.find((s) => s.n === answer.bullets[0]?.citations[0])?.articleId;
};

describe('a question bounded in time', () => {
  it('reads an idiom as the word sources use ("lose his life" is "died")', () => {
    const words = planQuery(engine.index, 'How did an American contractor lose his life?').concepts.map(
      (c) => c.text,
    );
    expect(words).not.toContain('lose');
    expect(words).not.toContain('life');
    expect(words).toContain('died');
  });

  it('reads a phrasal verb as the word sources use ("pull out" is "withdraw", "shut down" is "close")', () => {
    const vocabulary = buildIndex(
      [
        testArticle({
          id: 'words',
          date: '2026-01-01',
          text: 'Israel will withdraw from Gaza. Iraq will close its airspace. Ahmadinejad will attend the funeral as drones fly. Crowds show up on radar to pull out boats and shut down the port. Militias seize a port; who took over as leader?',
        }),
      ],
      definitions,
    );
    const words = (q: string) => planQuery(vocabulary, q).concepts.map((c) => c.text);
    expect(words('Is Israel going to pull out of Gaza?')).toContain('withdraw');
    expect(words('Is Israel going to pull out of Gaza?')).not.toContain('pull');
    expect(words('Did Iraq shut down its airspace?')).toContain('close');
    // "Show up" is "attend" only where someone shows up at something.
    expect(words('Did Ahmadinejad show up at the funeral?')).toContain('attend');
    expect(words('Did the drones show up on radar?')).not.toContain('attend');
    // Taking over as leader is succeeding someone, not seizing anything.
    expect(words('Who took over the port?')).toContain('seize');
    expect(words('Who took over as leader of Hezbollah?')).not.toContain('seize');
  });

  it('leads with what happened in its window, not a later timeline item about another month', async () => {
    expect(
      await firstSource('How did an American contractor lose his life in drone attacks in October 2023?'),
    ).toBe('briefing');
  });

  it('counts a sentence naming the window as of it, whenever it was published', async () => {
    expect(await firstSource('Did attacks on American troops in Iraq accelerate in January 2020?')).toBe(
      'retrospective',
    );
  });
});

describe('a question bounded in time that several articles of its window answer', () => {
  const corpus = new CorpusEngine({
    index: buildIndex(
      [
        ...[27, 29, 31].map((d) =>
          testArticle({
            id: `march-${d}`,
            date: `2026-03-${d}`,
            text: `Gasoline prices in the United States climb to a new high of $${(3.6 + d / 100).toFixed(2)} a gallon as the Strait of Hormuz stays closed.`,
          }),
        ),
        testArticle({
          id: 'old',
          date: '2022-02-28',
          text: 'Gasoline prices in the United States climb to a record high as Russia invades Ukraine, and US gasoline prices climb higher still.',
        }),
      ],
      definitions,
    ),
    corpusVersion: 'test',
  });

  it('is answered from its window alone, however well an older line matches the words', async () => {
    const answer = await corpus.ask('How high did US gasoline prices climb in late March 2026?');
    const ids = answer.sources.map((s) => s.articleId);
    expect(ids).toContain('march-31');
    expect(ids).not.toContain('old');
  });
});

describe('a question about a time named relative to now', () => {
  // The corpus's newest news is of 2026-08-20: "the last month" is the month before it.
  const corpus = new CorpusEngine({
    index: buildIndex(
      [
        testArticle({
          id: 'old-strike',
          date: '2019-12-29',
          text: 'The United States strikes five Kataib Hezbollah facilities in Iraq and Syria, killing 25 fighters.',
        }),
        testArticle({
          id: 'recent-houthi',
          date: '2026-08-10',
          text: 'The Houthis fire two missiles at a tanker in the Red Sea; the crew is unharmed.',
        }),
        testArticle({
          id: 'older-houthi',
          date: '2026-05-01',
          text: 'The Houthis fire drones at Eilat, and Israel strikes the port of Hodeidah.',
        }),
        testArticle({
          id: 'newest',
          date: '2026-08-20',
          text: 'Iraq reopens its airspace to civilian flights after weeks of closure.',
        }),
      ],
      definitions,
    ),
    corpusVersion: 'test',
  });

  it('is answered from that time alone', async () => {
    const answer = await corpus.ask('What did the Houthis do in the last month?');
    expect(answer.status).toBe('answered');
    expect(answer.sources.map((s) => s.articleId)).toEqual(['recent-houthi']);
  });

  it('says which days it read the time as when nothing then answers, never quoting older news', async () => {
    const answer = await corpus.ask('What happened to Kataib Hezbollah in the last month?');
    expect(answer.status).toBe('no_sources');
    expect(answer.reason).toContain('"in the last month" was read as 2026-07-21 to 2026-08-20');
  });
});
