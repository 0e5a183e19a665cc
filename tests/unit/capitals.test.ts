import { describe, expect, it } from 'vitest';
import { CorpusEngine } from '../../src/engine/engine.ts';
import { buildIndex } from '../../src/engine/index/build.ts';
import { normaliseTerm } from '../../src/engine/index/tokenize.ts';
import { loadSynonyms } from '../../src/engine/index/topics.ts';
import { planQuery } from '../../src/engine/query.ts';
import { testArticle } from '../helpers/articles.ts';
import { SYNONYMS } from '../helpers/fixtures.ts';

const engine = new CorpusEngine({
  index: buildIndex(
    [
      testArticle({
        id: 'canada',
        date: '2023-05-24',
        title: 'Diplomacy',
        text: 'Canada and Saudi Arabia agree to restore full diplomatic relations, broken off in 2018 over the Khashoggi killing.',
      }),
      testArticle({
        id: 'riyadh',
        date: '2025-05-13',
        title: 'Visit',
        text: 'President Trump gives an address in Riyadh on investment. Ottawa weather is cold.',
      }),
      testArticle({
        id: 'pakistan',
        date: '2024-04-12',
        title: 'Censorship in Mali',
        text: 'Pakistan designates the Iranian Quds Force Liwa Zainebiyoun as a terrorist organization.',
      }),
      testArticle({
        id: 'pilgrims',
        date: '2024-08-21',
        title: 'Crash',
        text: 'A bus carrying Shia Pakistani pilgrims crashes in Iran; officials in Islamabad mourn.',
      }),
      testArticle({
        id: 'checkpoints',
        date: '2024-02-01',
        title: 'Checkpoints',
        text: 'Militia fighters run checkpoints near Paris, where a group protests.',
      }),
      testArticle({
        id: 'flood',
        date: '2024-01-01',
        title: 'Weather',
        text: 'Floods close roads in Saudi Arabia and Canada.',
      }),
    ],
    [],
    { synonyms: await loadSynonyms(SYNONYMS) },
  ),
  corpusVersion: 'test',
  now: () => new Date('2026-08-10T00:00:00Z'),
});

const alternates = (question: string, word: string) => {
  const c = planQuery(engine.index, question).concepts.find((x) => x.text === word);
  return c?.kind === 'word' ? c.alternates.map((t) => engine.index.termText[t]) : [];
};

describe('capitals in questions', () => {
  it('reads a capital that acts as its country', async () => {
    expect(alternates('When did Ottawa and Riyadh restore diplomatic relations?', 'Ottawa')).toContain(
      'canada',
    );
    expect(alternates('When did Ottawa and Riyadh restore diplomatic relations?', 'Riyadh')).toContain(
      'saudi',
    );
    // Written with a possessive, it is the same capital.
    expect(alternates("How did Ottawa's government answer?", "Ottawa's")).toContain('canada');
    const a = await engine.ask('When did Ottawa and Riyadh patch up the rift over the Khashoggi killing?');
    expect(a.status).toBe('answered');
    expect(a.sources[0]?.articleId).toBe('canada');
  });

  it('leaves a capital that places an event as the city', () => {
    // "An address in Riyadh" is about the city; a source on Saudi Arabia elsewhere is not about it.
    expect(alternates('What did Trump say in Riyadh about investment?', 'Riyadh')).not.toContain('saudi');
    expect(alternates('Who flew to Ottawa for the talks?', 'Ottawa')).not.toContain('canada');
    expect(alternates('Which ministers were the first to visit Riyadh?', 'Riyadh')).not.toContain('saudi');
  });

  it('leaves a capital as written where the question names its country too', () => {
    // "… and how has Riyadh responded (Saudi Arabia)?": the country again adds nothing, and passages that
    // name Riyadh would lose their lead to every one that names Saudi Arabia.
    expect(alternates('Are floods hitting Saudi Arabia, and how has Riyadh responded?', 'Riyadh')).toEqual(
      [],
    );
  });

  it('reads a capital as its country beside a demonym: the demonym describes, the capital acts', () => {
    const q =
      'Which Iranian-run militia of Pakistani Shia fighters did Islamabad outlaw as a terrorist group?';
    expect(alternates(q, 'Islamabad')).toContain('pakistan');
    // "Terrorist group" is what the digest calls a "terrorist organization" (data/synonyms.json).
    expect(alternates(q, 'group')).toContain(normaliseTerm('organization'));
  });
});
