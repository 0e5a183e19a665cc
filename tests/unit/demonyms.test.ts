import { describe, expect, it } from 'vitest';
import { CorpusEngine } from '../../src/engine/engine.ts';
import { buildIndex } from '../../src/engine/index/build.ts';
import { planQuery } from '../../src/engine/query.ts';
import { testArticle } from '../helpers/articles.ts';

const engine = new CorpusEngine({
  index: buildIndex(
    [
      testArticle({
        id: 'qatar',
        date: '2026-08-01',
        title: 'Shipping',
        text: 'An LNG tanker carrying gas from Qatar crosses the Strait of Hormuz, the first from Qatar since July.',
      }),
      testArticle({
        id: 'pakistan',
        date: '2024-04-12',
        title: 'Designations',
        text: 'The government of Pakistan bans the Shia militia Liwa Zainebiyoun. A Pakistani court hears the case, and a Qatari envoy attends.',
      }),
      testArticle({
        id: 'kurdistan',
        date: '2024-05-01',
        title: 'Gas',
        text: 'Drones hit the gas field of Iraqi Kurdistan. The strike was an attack on Iraq, officials in Iraq say.',
      }),
    ],
    [],
  ),
  corpusVersion: 'test',
  now: () => new Date('2026-08-10T00:00:00Z'),
});

describe('demonyms in questions', () => {
  it('reads a demonym as its place', async () => {
    const plan = planQuery(engine.index, 'Are Qatari LNG tankers crossing Hormuz?');
    const qatari = plan.concepts.find((c) => c.text === 'Qatari');
    expect(qatari?.kind).toBe('word');
    expect(qatari?.kind === 'word' && qatari.alternates.map((t) => engine.index.termText[t])).toContain(
      'qatar',
    );
    const a = await engine.ask('Are Qatari LNG tankers crossing Hormuz?');
    expect(a.status).toBe('answered');
    expect(a.sources[0]?.articleId).toBe('qatar');
  });

  it('makes no name of a demonym before a word, so none is missing', () => {
    const plan = planQuery(engine.index, 'Which militia of Pakistani Shia fighters did Pakistan ban?');
    expect(plan.absentNames).toEqual([]);
    expect(plan.concepts.some((c) => c.kind === 'phrase')).toBe(false);
  });

  it('reads a demonym and one word by their words: no name the corpus must hold', async () => {
    // "Qatari LNG" read whole would miss "LNG … from Qatar"; so "Iraqi Kurdistan" is its words too.
    const plan = planQuery(engine.index, 'Who hit the gas field of Iraqi Kurdistan?');
    expect(plan.absentNames).toEqual([]);
    expect(plan.concepts.some((c) => c.kind === 'phrase')).toBe(false);
    expect((await engine.ask('Who hit the gas field of Iraqi Kurdistan?')).sources[0]?.articleId).toBe(
      'kurdistan',
    );
    // A word less a demonym's ending that the corpus rarely writes is no place ("Saudi" is not of "Saud").
    expect(planQuery(engine.index, 'Did the Iraqi court rule?').absentNames).toEqual([]);
  });
});
