import { describe, expect, it } from 'vitest';
import type { CandidateSentence } from '../../src/engine/summarize/evidence.ts';
import { selectSentences } from '../../src/engine/summarize/extractive.ts';
import { testCandidate } from '../helpers/candidates.ts';

let next = 0;
function candidate(words: string, over: Partial<CandidateSentence> = {}): CandidateSentence {
  const start = next;
  next += 1000;
  return testCandidate({
    article: next,
    passage: next,
    start,
    end: start + words.length,
    terms: new Set(words.toLowerCase().split(' ')),
    ...over,
  });
}

describe('extractive selection', () => {
  it('never says the same thing twice', () => {
    const a = candidate('militia drone attack killed three soldiers at the base');
    const b = candidate('militia drone attack killed three soldiers at the base today');
    const c = candidate('sanctions announced against the group financial network leaders');
    const chosen = selectSentences([a, b, c], { max: 3 });
    expect(chosen).toContain(c);
    expect(chosen.filter((x) => x === a || x === b)).toHaveLength(1);
  });

  it('never makes a bullet of a question or a fragment', () => {
    const q = candidate('was the militia behind the attack on the base', {
      question: true,
      passageScore: 50,
    });
    const f = candidate('has criticized efforts to counter the group or', {
      fragment: true,
      passageScore: 50,
    });
    const plain = candidate('the militia claimed the attack on the base');
    expect(selectSentences([q, f, plain], { max: 3 })).toEqual([plain]);
  });

  it('prefers a plain statement to transcribed filler saying as much', () => {
    const spoken = candidate('i mean this has the earmarks of the militia attacks', { spoken: true });
    const plain = candidate('officials said the attacks bore the hallmarks of the militia');
    expect(selectSentences([spoken, plain], { max: 1 })).toEqual([plain]);
  });

  it('with a view penalty, leads with a reported development over a stronger-matching view', () => {
    const view = candidate('the administration remains deeply concerned about the militia threat', {
      event: false,
      passageScore: 12,
    });
    const event = candidate('the militia launched two drones at the base on friday', { passageScore: 10 });
    expect(selectSentences([view, event], { max: 1 })).toEqual([view]);
    expect(selectSentences([view, event], { max: 1, viewPenalty: 0.7 })).toEqual([event]);
  });

  it('takes at most the allowed number of sentences from one article', () => {
    const same = { article: 1 };
    const picks = selectSentences(
      [
        candidate('first distinct statement about the strike on the base', same),
        candidate('second separate claim regarding sanctions and financial networks', same),
        candidate('third unrelated point concerning ceasefire negotiations in cairo', same),
      ],
      { max: 3, perArticle: 2 },
    );
    expect(picks).toHaveLength(2);
  });
});
