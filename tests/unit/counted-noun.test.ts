import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../src/engine/index/build.ts';
import { tokenize } from '../../src/engine/index/tokenize.ts';
import { holdsAnswer } from '../../src/engine/summarize/answer-type.ts';
import { askedCounted } from '../../src/engine/summarize/counted-noun.ts';
import { testArticle } from '../helpers/articles.ts';

const index = buildIndex(
  [
    testArticle({
      id: 'a',
      date: '2024-01-01',
      title: 'Current events',
      text: 'About 25 vessels cross the strait. Ships wait.',
    }),
  ],
  [],
  { synonyms: [['ship', 'ships', 'vessel', 'vessels']] },
);
const count = (question: string, text: string) =>
  holdsAnswer(index, 'count', text, new Set(tokenize(question).map((t) => t.term)), question);

describe('what a "how many" counts', () => {
  it('reads the counted noun, and none for people at large', () => {
    expect([...askedCounted('How many ISIS prisoners escaped during the attack?')!]).toContain('prison');
    expect(askedCounted('How many people died in the fire?')).toBeUndefined();
    expect(askedCounted('How many died in the strike?')).toBeUndefined();
  });

  it('a number of something else does not tell how many', () => {
    const q = 'How many ISIS prisoners escaped during the attack on the prison?';
    expect(count(q, 'Nations must address the thousands of ISIS detainees in inadequate facilities.')).toBe(
      false,
    );
    expect(count(q, 'Around 300 ISIS prisoners escaped during the attack.')).toBe(true);
    // A number with no noun after it may count what was asked.
    expect(count(q, 'The escapees numbered 300, officials said.')).toBe(true);
    expect(count(q, 'At least 12 were recaptured.')).toBe(true);
  });

  it('a synonym of the counted noun counts it', () => {
    expect(
      count('How many ships are getting through the strait?', 'About 25 vessels cross the strait.'),
    ).toBe(true);
  });
});
