import { describe, expect, it } from 'vitest';
import { CorpusEngine } from '../../src/engine/engine.ts';
import { buildIndex } from '../../src/engine/index/build.ts';
import { loadTopics } from '../../src/engine/index/topics.ts';
import { testArticle } from '../helpers/articles.ts';
import { TOPICS } from '../helpers/fixtures.ts';

const definitions = await loadTopics(TOPICS);
const ARTICLES = [
  // A digest whose story is split over two lines, one passage each.
  testArticle({
    id: 'digest-story',
    date: '2022-10-13',
    text: 'The jihadist group Tahrir al-Sham captures the city of Zorvana following days of clashes.\nTahrir al-Sham forces capture the town of Melkiran amid ongoing clashes in the region.',
  }),
  // A digest whose next line is another story.
  testArticle({
    id: 'digest-other',
    date: '2022-10-14',
    text: 'Rebels of the Quorrin Front capture the town of Belvaro amid ongoing clashes in the region.\nFloods in the province of Dastrel displace thousands of families after days of rain.',
  }),
  // Lines that share one very rare name go on with one story.
  testArticle({
    id: 'digest-rare',
    date: '2022-10-15',
    text: 'Fighters loyal to Quelmaro capture the city of Ostravel after a siege.\nQuelmaro forces capture the village of Pashkir amid ongoing clashes in the region.',
  }),
  // Lines that share one name many stories mention are told apart.
  testArticle({
    id: 'digest-common',
    date: '2022-10-16',
    text: 'Rebels backed by Nordavia capture the city of Tellmar after a siege.\nTroops of Nordavia capture the village of Ruskav amid ongoing clashes in the region.',
  }),
  ...Array.from({ length: 20 }, (_, n) =>
    testArticle({
      id: `nordavia-${n}`,
      date: '2022-09-01',
      text: `Talks with Nordavia resumed in round ${n}.`,
    }),
  ),
  ...Array.from({ length: 2500 }, (_, n) =>
    testArticle({
      id: `markets-${n}`,
      date: '2022-10-01',
      text: `Markets in Paris closed higher on day ${n}.`,
    }),
  ),
];
const engine = new CorpusEngine({ index: buildIndex(ARTICLES, definitions), corpusVersion: 'test' });

describe('evidence read over a passage and its neighbours', () => {
  it('pools the lines of one story that a digest splits into passages', async () => {
    const answer = await engine.ask('Who captured Zorvana and Melkiran in October 2022?');
    expect(answer.status).toBe('answered');
    expect(answer.sources[0]?.articleId).toBe('digest-story');
  });

  it('pools lines that share one very rare name', async () => {
    const answer = await engine.ask('Who captured Ostravel and Pashkir in October 2022?');
    expect(answer.status).toBe('answered');
    expect(answer.sources[0]?.articleId).toBe('digest-rare');
  });

  it('does not pool lines that share only a name many stories mention', async () => {
    expect((await engine.ask('Who captured Tellmar and Ruskav in October 2022?')).status).toBe('no_sources');
  });

  it('does not pool a digest line with the next story', async () => {
    expect((await engine.ask('Who captured Belvaro and Dastrel in October 2022?')).status).toBe('no_sources');
  });
});
