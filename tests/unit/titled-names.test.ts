import { describe, expect, it } from 'vitest';
import { CorpusEngine } from '../../src/engine/engine.ts';
import { buildIndex } from '../../src/engine/index/build.ts';
import { planQuery } from '../../src/engine/query.ts';
import { testArticle } from '../helpers/articles.ts';

const engine = new CorpusEngine({
  index: buildIndex(
    [
      testArticle({
        id: 'herzog',
        date: '2023-10-09',
        title: 'Briefing',
        text: 'We met Ambassador Mike Herzog and the defense attaché of Israel at the White House.',
      }),
      testArticle({
        id: 'huckabee',
        date: '2026-02-27',
        title: 'Embassy',
        text: 'The US Ambassador to Israel Mike Huckabee says that all embassy staff may leave Israel and urges them to do so quickly.',
      }),
    ],
    [],
  ),
  corpusVersion: 'test',
  now: () => new Date('2026-03-01T00:00:00Z'),
});

describe('a title before a name', () => {
  it('reads the name, not the title and a first name the corpus holds for someone else', async () => {
    const question = 'What did Ambassador Mike Huckabee tell embassy staff in Israel?';
    const plan = planQuery(engine.index, question);
    expect(plan.concepts.filter((c) => c.kind === 'phrase').map((c) => c.text)).toEqual(['Mike Huckabee']);
    const a = await engine.ask(question);
    expect(a.status).toBe('answered');
    expect(a.sources[0]?.articleId).toBe('huckabee');
  });

  it('keeps a titled name the corpus holds whole', () => {
    const plan = planQuery(engine.index, 'Whom did Ambassador Mike Herzog meet?');
    expect(plan.concepts.filter((c) => c.kind === 'phrase').map((c) => c.text)).toEqual([
      'Ambassador Mike Herzog',
    ]);
  });

  it('makes no missing name of a title and one word', () => {
    expect(planQuery(engine.index, 'What did Ambassador Zorblax say about Israel?').absentNames).toEqual([]);
  });
});
