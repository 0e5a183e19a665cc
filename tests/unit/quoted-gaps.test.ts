import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../src/engine/index/build.ts';
import type { CandidateSentence } from '../../src/engine/summarize/evidence.ts';
import { withQuotedGaps } from '../../src/engine/summary.ts';
import { testArticle } from '../helpers/articles.ts';
import { testCandidate } from '../helpers/candidates.ts';

const TEXT = 'The militia fired rockets at the base. Two soldiers were wounded in the attack.';
const index = buildIndex([testArticle({ id: 'a', date: '2024-01-01', text: TEXT })], []);
const sentence = (passage: number, start: number, end: number): CandidateSentence =>
  testCandidate({ article: 0, passage, start, end });

describe('model answers with gaps filled from the evidence', () => {
  const first = sentence(10, 0, 38);
  const second = sentence(11, 39, TEXT.length);
  const unseen = sentence(12, 0, 38);

  it('quotes the chosen sentence of a shown passage whose model bullet was dropped', () => {
    const kept = [{ text: 'Militia rockets hit the base.', citations: [1] }];
    expect(withQuotedGaps(index, [10, 11], [first, second], kept)).toEqual([
      ...kept,
      { text: 'Two soldiers were wounded in the attack.', citations: [2] },
    ]);
  });

  it('never cites a passage the model was not shown (an answer may have more bullets than passages shown)', () => {
    const out = withQuotedGaps(index, [10, 11], [first, unseen, second], []);
    expect(out.flatMap((b) => b.citations).every((n) => n >= 1 && n <= 2)).toBe(true);
    expect(out).toHaveLength(2);
  });
});
