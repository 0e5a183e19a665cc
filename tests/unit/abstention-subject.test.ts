import { describe, expect, it } from 'vitest';
import { CorpusEngine } from '../../src/engine/engine.ts';
import { buildIndex } from '../../src/engine/index/build.ts';
import { loadTopics } from '../../src/engine/index/topics.ts';
import { testArticle } from '../helpers/articles.ts';
import { TOPICS } from '../helpers/fixtures.ts';

const definitions = await loadTopics(TOPICS);
const engine = new CorpusEngine({
  index: buildIndex(
    [
      testArticle({
        id: 'call',
        date: '2021-12-17',
        title: 'Background call',
        // Iran is named two sentences before the answer, which names only the OFAC director.
        text: 'Iran moves its oil through front companies. Many of them change their names often. Our Director of OFAC, Andrea Gacki, was just in Dubai and met companies to warn them about sanctions evasion.',
      }),
      ...Array.from({ length: 5 }, (_, n) =>
        testArticle({
          id: `other-${n}`,
          date: '2021-12-01',
          text: `Markets in Paris closed higher on day ${n}, and Iran was quiet.`,
        }),
      ),
    ],
    definitions,
  ),
  corpusVersion: 'test',
  now: () => new Date('2022-01-10T00:00:00Z'),
});

describe('the subject a typed answer is told of', () => {
  it('is the question’s rarest name as well as its topic', async () => {
    // The subject topic (Iran) is not in the answer's sentence; its rarest name (OFAC) is.
    const a = await engine.ask(
      'Which OFAC official went to Dubai to warn companies about Iran sanctions evasion?',
    );
    expect(a.status).toBe('answered');
    expect(a.sources[0]?.articleId).toBe('call');
  });
});
