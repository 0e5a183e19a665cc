import { describe, expect, it } from 'vitest';
import { DEFAULT_ABSTENTION, judge } from '../../src/engine/abstain.ts';
import { buildIndex } from '../../src/engine/index/build.ts';
import { loadTopics } from '../../src/engine/index/topics.ts';
import { planQuery } from '../../src/engine/query.ts';
import { conceptWeights } from '../../src/engine/summarize/evidence.ts';
import { testArticle } from '../helpers/articles.ts';
import { TOPICS } from '../helpers/fixtures.ts';

const definitions = await loadTopics(TOPICS);
const ARTICLES = [
  // Passages that share the question's words without answering it, ranked first.
  ...[1, 2, 3].map((n) =>
    testArticle({
      id: `stalled-${n}`,
      date: `2024-02-0${n}`,
      text: `Lawmakers say the national security supplemental stalled again in week ${n}.`,
    }),
  ),
  testArticle({
    id: 'gaggle',
    date: '2024-02-23',
    text: 'The national security supplemental sets aside about two and a half billion dollars for Zephyria Command.',
  }),
  ...Array.from({ length: 30 }, (_, n) =>
    testArticle({
      id: `markets-${n}`,
      date: '2024-02-01',
      text: `Markets in Paris closed higher on day ${n}.`,
    }),
  ),
];
const index = buildIndex(ARTICLES, definitions);
const plan = planQuery(index, 'How much of the national security supplemental went to Zephyria Command?');
const weights = conceptWeights(index, plan);
const passageOf = (id: string) => index.passageArticle.indexOf(index.articles.findIndex((a) => a.id === id));
// The answering passage ranked last, past the passages read.
const ranked = ['stalled-1', 'stalled-2', 'stalled-3', 'gaggle'].map((id, n) => ({
  passage: passageOf(id),
  score: 10 - n,
}));
const options = { ...DEFAULT_ABSTENTION, passagesRead: 3 };

describe('abstention reading past the first passages', () => {
  it('answers from a lower-ranked passage that holds the evidence on its own', () => {
    const verdict = judge(index, plan, weights, ranked, {}, { ...options, passagesSearched: 4 });
    expect(verdict.refusal).toBeUndefined();
    if (verdict.refusal === undefined)
      expect(verdict.anchored.map((p) => index.articles[index.passageArticle[p.passage]!]!.id)).toContain(
        'gaggle',
      );
  });

  it('does not read past the passages searched', () => {
    expect(
      judge(index, plan, weights, ranked, {}, { ...options, passagesSearched: 3 }).refusal,
    ).toBeDefined();
  });
});
